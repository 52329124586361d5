# dailypapers — two commands: `make demo` (install, migrate, load papers, run the worker, serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
export DAILYPAPERS_HOME ?= $(CURDIR)/var
DATA ?=
HOST ?= 127.0.0.1
PORT ?= 8000
BASE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
BASE_HOST = $(firstword $(subst :, ,$(patsubst http://%,%,$(patsubst https://%,%,$(BASE_URL)))))
ARXIV_CATEGORIES ?= cs.AI cs.CL cs.CV cs.LG
ARXIV_DAYS ?= 3

.PHONY: demo test test-sqlite test-postgres install install-test clean help

help:
	@echo "make demo               install, migrate, load papers (arXiv, or DATA=FILE), run the worker and serve on $(BASE_URL) (HOST=, PORT=)"
	@echo "make test               install (Python packages; Debian's chromium and postgresql when run as root) and run the whole suite on SQLite, then on PostgreSQL"

# Debian's python3 needs the python3-venv package for `-m venv`; as root we install it.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y --no-install-recommends python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "python3 -m venv failed: install Debian's python3-venv (sudo apt-get install python3-venv)" >&2; exit 1; fi; }
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# A laptop demo: a random secret and the settings below kept under $DAILYPAPERS_HOME (every
# `dailypapers` command run with that home reads them), DEBUG off, SQLite, mail written to
# $DAILYPAPERS_HOME/mail/.
# Links in mails, feeds and the API point at BASE_URL, the address it serves on (HOST 0.0.0.0
# listens everywhere; links then name 127.0.0.1 unless BASE_URL says otherwise).
demo: export DAILYPAPERS_BASE_URL ?= $(BASE_URL)
demo: export ALLOWED_HOSTS ?= 127.0.0.1,localhost,$(BASE_HOST)
demo: export DAILYPAPERS_EMAIL_BACKEND ?= file
demo: install
	@mkdir -p "$(DAILYPAPERS_HOME)"
	@test -s "$(DAILYPAPERS_HOME)/secret_key" || (umask 077; $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > "$(DAILYPAPERS_HOME)/secret_key")
	@# Every command run with this home (digest send, mcp, createsuperuser) reads these too.
	@printf '# Written by make demo; the environment wins over these.\nDAILYPAPERS_BASE_URL=%s\nALLOWED_HOSTS=%s\nDAILYPAPERS_EMAIL_BACKEND=%s\n' \
	  "$$DAILYPAPERS_BASE_URL" "$$ALLOWED_HOSTS" "$$DAILYPAPERS_EMAIL_BACKEND" > "$(DAILYPAPERS_HOME)/settings.env"
	$(BIN)/dailypapers migrate --verbosity 0
	$(BIN)/dailypapers demo-load $(if $(DATA),--file "$(DATA)") --categories $(ARXIV_CATEGORIES) --days $(ARXIV_DAYS)
	@echo "mail (sign-up, confirmations, digests) is written to $(DAILYPAPERS_HOME)/mail/; the worker logs to $(DAILYPAPERS_HOME)/worker.log"
	@# The worker runs the schedule (embedding new papers, arXiv ingest, digests) while the site
	@# serves, in a process group of its own, and stops with it: SIGTERM lets it finish cleanly,
	@# but it would wait for a running job (embedding a whole corpus takes hours), so whatever
	@# is left of it 5 s later is killed. Every job resumes where it stopped.
	setsid $(BIN)/dailypapers worker >> "$(DAILYPAPERS_HOME)/worker.log" 2>&1 & WORKER=$$!; \
	echo $$WORKER > "$(DAILYPAPERS_HOME)/worker.pid"; \
	trap 'kill -TERM -$$WORKER 2>/dev/null; for i in 1 2 3 4 5; do kill -0 -$$WORKER 2>/dev/null && sleep 1; done; \
	      kill -KILL -$$WORKER 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/dailypapers serve --host $(HOST) --port $(PORT)

test: install-test
	scripts/install-test-deps.sh
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest
	$(BIN)/python -m tests.pgcluster $(BIN)/python -m pytest

test-sqlite: install-test
	$(BIN)/python -m pytest $(ARGS)

test-postgres: install-test
	$(BIN)/python -m tests.pgcluster $(BIN)/python -m pytest $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
