# dailypapers — two commands: `make demo` (install, migrate, load papers, serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
export DAILYPAPERS_HOME ?= $(CURDIR)/var
DATA ?=
HOST ?= 127.0.0.1
PORT ?= 8000
ARXIV_CATEGORIES ?= cs.AI cs.CL cs.CV cs.LG
ARXIV_DAYS ?= 3

.PHONY: demo test test-sqlite test-postgres install install-test clean help

help:
	@echo "make demo               install, migrate, load papers (arXiv, or DATA=FILE) and serve on http://$(HOST):$(PORT)"
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

# A laptop demo: a random secret kept under $DAILYPAPERS_HOME, DEBUG off, SQLite.
demo: install
	@mkdir -p "$(DAILYPAPERS_HOME)"
	@test -s "$(DAILYPAPERS_HOME)/secret_key" || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > "$(DAILYPAPERS_HOME)/secret_key"
	@SECRET_KEY=$$(cat "$(DAILYPAPERS_HOME)/secret_key") $(MAKE) --no-print-directory demo-run

demo-run:
	$(BIN)/dailypapers migrate --verbosity 0
	$(BIN)/dailypapers demo-load $(if $(DATA),--file "$(DATA)") --categories $(ARXIV_CATEGORIES) --days $(ARXIV_DAYS)
	@# Embeddings fill in while the site serves (keyword search answers meanwhile); stopped with it.
	$(BIN)/dailypapers index --watch 60 --verbosity 0 & INDEX_PID=$$!; \
	trap 'kill $$INDEX_PID 2>/dev/null' EXIT INT TERM; \
	$(BIN)/dailypapers serve --host $(HOST) --port $(PORT)

test: install-test
	scripts/install-test-deps.sh
	$(BIN)/lint-imports
	$(BIN)/python -m pytest
	$(BIN)/python -m tests.pgcluster $(BIN)/python -m pytest

test-sqlite: install-test
	$(BIN)/python -m pytest $(ARGS)

test-postgres: install-test
	$(BIN)/python -m tests.pgcluster $(BIN)/python -m pytest $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
