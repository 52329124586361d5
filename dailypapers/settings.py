"""Django settings, all read from the environment through `dailypapers.env.ENV_SETTINGS`.

Defaults make a laptop demo work (SQLite under ./var); a public site sets SECRET_KEY,
DATABASE_URL, ALLOWED_HOSTS and DAILYPAPERS_BASE_URL. An unsafe secret is refused when
DEBUG is off.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dailypapers.env import (
    effective_environment,
    read_environment,
    read_secret_key_file,
    secret_key_is_safe,
    unsafe_secret_key_message,
)

ENV = read_environment()
BASE_DIR = Path(__file__).resolve().parent
HOME = Path(ENV["DAILYPAPERS_HOME"]).expanduser().resolve()
HOME.mkdir(parents=True, exist_ok=True)

DEBUG = ENV["DEBUG"]
# The environment wins; otherwise the key `make demo` keeps beside the database, so every
# command run with the same DAILYPAPERS_HOME (digest send, mcp, shell) signs like the server.
SECRET_KEY_FILE = HOME / "secret_key"
SECRET_KEY = ENV["SECRET_KEY"] or read_secret_key_file(SECRET_KEY_FILE)
if not DEBUG and not secret_key_is_safe(SECRET_KEY):
    raise ImproperlyConfigured(
        unsafe_secret_key_message(SECRET_KEY, SECRET_KEY_FILE, from_environment=bool(ENV["SECRET_KEY"]))
    )
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only"

ALLOWED_HOSTS = ENV["ALLOWED_HOSTS"]
BASE_URL = ENV["DAILYPAPERS_BASE_URL"].rstrip("/")
# Set by the operator: the public address wins over the Host a request came with.
BASE_URL_FROM_ENVIRONMENT = bool(effective_environment().get("DAILYPAPERS_BASE_URL", "").strip())

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs page's Swagger UI from our static files, not a CDN
    "dailypapers.catalog",
    "dailypapers.ingest",
    "dailypapers.search",
    "dailypapers.library",
    "dailypapers.community",
    "dailypapers.alerts",
    "dailypapers.digest",
    "dailypapers.api",
    "dailypapers.web",
    "dailypapers.ops",
]

MIDDLEWARE = [
    "dailypapers.ops.requestlog.RequestIdMiddleware",
    "dailypapers.ops.metrics.MetricsMiddleware",
    "dailypapers.ops.limits.ExpensiveRouteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "dailypapers.urls"
WSGI_APPLICATION = "dailypapers.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dailypapers.web.context.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
if ENV["DATABASE_URL"]:
    DATABASES = {"default": dj_database_url.parse(ENV["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "dailypapers.sqlite3",
            "OPTIONS": {
                # WAL lets readers run while the ingest or the worker writes; IMMEDIATE
                # transactions take the write lock up front instead of failing halfway with
                # "database is locked" when two writers meet. 8 KB pages (for a new database;
                # an existing one keeps its own): a bulk ingest ran 3-8 % faster in SQLite
                # than with the default 4 KB, keyword search the same.
                "init_command": (
                    "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- Internationalisation and static files --------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders too, so a fresh `serve` works before collectstatic.
WHITENOISE_USE_FINDERS = True

# --- Mail ------------------------------------------------------------------------------
SMTP_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND = {
    "smtp": SMTP_EMAIL_BACKEND,
    # A demo without a mail server: every message (sign-up, confirmation, digest) is a file here.
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}[ENV["DAILYPAPERS_EMAIL_BACKEND"]]
EMAIL_FILE_PATH = HOME / "mail"
EMAIL_HOST = ENV["EMAIL_HOST"]
EMAIL_PORT = ENV["EMAIL_PORT"]
EMAIL_HOST_USER = ENV["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = ENV["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = ENV["EMAIL_USE_TLS"]
DEFAULT_FROM_EMAIL = ENV["DEFAULT_FROM_EMAIL"]
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Ingest ----------------------------------------------------------------------------
ARXIV_CATEGORIES = ENV["DAILYPAPERS_ARXIV_CATEGORIES"]
ARXIV_DELAY_SECONDS = ENV["DAILYPAPERS_ARXIV_DELAY"]

# --- Cache --------------------------------------------------------------------------------
# In the database, not process memory: rate-limit counters, login throttles and cached pages
# are shared by every web process and host. Its table is created by `migrate`.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "dailypapers_cache",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# Feed and paper pages for anonymous readers come from this cache (catalog/pagecache.py),
# invalidated by every change to what a card shows; this bounds an entry's life. 0 turns it off.
PAGE_CACHE_SECONDS = 300

# --- Security --------------------------------------------------------------------------
# Served over HTTPS (DAILYPAPERS_BASE_URL starts with https://, TLS ends at the proxy, which
# sets X-Forwarded-Proto): secure cookies, HSTS for a year, redirect plain HTTP.
HTTPS = BASE_URL.startswith("https://")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes speak plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the operator's other subdomains are not ours to pin
CSRF_TRUSTED_ORIGINS = [BASE_URL]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Second factor (allauth.mfa): any member, staff included, can turn on TOTP with recovery
# codes on /accounts/2fa/; the admin logs in through the same flow (ops/apps.py), so a staff
# account with 2FA on cannot reach /admin/ with the password alone.
INSTALLED_APPS += ["allauth.mfa"]
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "dailypapers"
# No page takes more than a comment or a form; larger bodies are refused with 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Content Security Policy (django-csp): scripts only from our own static files — no inline
# scripts, no on* attributes, no eval (htmx's hx-on is not used). Inline styles stay allowed:
# htmx injects its indicator style and the SVG charts use style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Clients and limits -------------------------------------------------------------------
# Who a request comes from (catalog/clients.py): X-Forwarded-For is believed only from these
# proxies. Every per-client limit counts by it: allauth's (through our account adapter),
# the API's, the search/feed/export limit and the mail limits below, and the request log.
TRUSTED_PROXIES = ENV["DAILYPAPERS_TRUSTED_PROXIES"]
# Search pages, /search?format=json, feeds and exports cost 10-100x a cached feed page: per
# client address, counted atomically in the database (catalog/limits.py); over it 429.
EXPENSIVE_RATE: str = ENV["DAILYPAPERS_SEARCH_RATE"]
# How many of those may run at once on one host; more wait for nobody: 503 + Retry-After, so
# a flood of searches cannot slow every page (8 search threads took paper pages from 18 ms to
# 300-650 ms on 2 cores). Slots are flock()ed files, freed by the kernel if a worker dies.
EXPENSIVE_CONCURRENCY: int = ENV["DAILYPAPERS_SEARCH_CONCURRENCY"] or max(1, (os.cpu_count() or 2) // 2)
EXPENSIVE_SLOTS_DIR: Path = HOME / "slots"
# Mails a visitor can make us send (subscription confirmations, sign-up and password-reset
# mails): per client address, and for the whole site. /metrics shows the budget left.
MAILS_PER_CLIENT: str = ENV["DAILYPAPERS_MAILS_PER_CLIENT"]
MAIL_BUDGET: str = ENV["DAILYPAPERS_MAIL_BUDGET"]

# --- Logging ---------------------------------------------------------------------------
METRICS_ALLOWED_IPS = ENV["DAILYPAPERS_METRICS_ALLOWED_IPS"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dailypapers.ops.requestlog.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "dailypapers.ops.requestlog.RequestJsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if ENV["LOG_FORMAT"] == "json" else "text",
        }
    },
    "loggers": {
        "dailypapers": {"handlers": ["console"], "level": ENV["LOG_LEVEL"], "propagate": False},
        # One access line per request comes from RequestIdMiddleware; `serve` turns it on.
        "dailypapers.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- api ---
# Rate limits of the JSON API ("N/min" etc., empty = unlimited); counters live in this cache.
API_RATE_LIMIT_ANONYMOUS: str = ENV["DAILYPAPERS_API_RATE_ANONYMOUS"]
API_RATE_LIMIT_MEMBER: str = ENV["DAILYPAPERS_API_RATE_MEMBER"]
try:
    from dailypapers.catalog.rates import parse_rate as _parse_rate

    _parse_rate(API_RATE_LIMIT_ANONYMOUS), _parse_rate(API_RATE_LIMIT_MEMBER)
except ValueError as _exc:
    raise ImproperlyConfigured(f"DAILYPAPERS_API_RATE_ANONYMOUS / DAILYPAPERS_API_RATE_MEMBER: {_exc}") from None
# Items per RSS/Atom feed.
FEED_ITEMS: int = 30
# `Accept: text/markdown` on /papers/<id> answers the paper as Markdown (HF does the same).
MIDDLEWARE.append("dailypapers.api.middleware.MarkdownNegotiationMiddleware")
# Outside every other middleware but the request id and metrics: their errors under /api/ become JSON too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"), "dailypapers.api.errors.ApiJsonErrorsMiddleware"
)

# --- community ---
# Accounts through django-allauth: email is the login, verified before the first login;
# allauth's defaults already refuse to reveal whether an email is registered.
INSTALLED_APPS += [
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
]
MIDDLEWARE += ["allauth.account.middleware.AccountMiddleware"]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 first (OWASP's first choice); the others still verify older hashes and upgrade them.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
# Django's validators (allauth's sign-up and password change use them): at least 10
# characters (NIST SP 800-63B asks 8 at the least; 6 was accepted before), not the user's
# name or email, not one of the 20,000 commonest passwords, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The name mails greet with ("Hello from dailypapers!"), instead of the request's host and port.
SITE_NAME = "dailypapers"
# Our adapter (community/accounts.py): allauth's limits count the client address of
# catalog/clients.py (not the proxy's), its mails draw on the per-client and site-wide mail
# budgets and greet with SITE_NAME, and operator-made superusers count as verified.
ACCOUNT_ADAPTER = "dailypapers.community.accounts.AccountAdapter"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a POST confirms, so mail scanners that follow links do not
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[dailypapers] "
# A password reset for an unknown address sends nothing (the page still says "sent"), so the
# form cannot be used to mail strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Failed logins: 10 a minute per address, then 5 per 5 minutes per account (locked out for
# the rest of those 5 minutes); allauth counts them in the cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
SOCIALACCOUNT_PROVIDERS: dict = {}
# GitHub and ORCID logins appear only when the operator sets their OAuth keys.
for _provider, _prefix in (("github", "DAILYPAPERS_GITHUB"), ("orcid", "DAILYPAPERS_ORCID")):
    if ENV[f"{_prefix}_CLIENT_ID"]:
        INSTALLED_APPS += [f"allauth.socialaccount.providers.{_provider}"]
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": ENV[f"{_prefix}_CLIENT_ID"], "secret": ENV[f"{_prefix}_SECRET"], "key": ""}]
        }

# Trending: hotness = log10(1 + upvotes) + (featured time - TRENDING_EPOCH) / window.
# With a 24 h window a paper featured a day later needs 10x fewer votes to rank level.
TRENDING_WINDOW_HOURS: float = ENV["DAILYPAPERS_TRENDING_WINDOW_HOURS"]
TRENDING_EPOCH: str = "2020-01-01T00:00:00+00:00"  # fixed origin of the age term; never change on a live site
TRENDING_PAGE_SIZE: int = 30  # papers per trending / top list (as many as a feed page)

# Submissions: each rule refuses with a message naming the rule.
SUBMISSION_MAX_AGE_DAYS: int = ENV["DAILYPAPERS_SUBMISSION_MAX_AGE_DAYS"]
SUBMISSIONS_PER_MEMBER_PER_DAY: int = ENV["DAILYPAPERS_SUBMISSIONS_PER_DAY"]

# Curation: with no curation rule defined, every newly ingested paper joins the daily feed
# (the ingest reads this too). Once a curator defines rules, only matching papers do.
FEATURE_ALL_INGESTED: bool = ENV["DAILYPAPERS_FEATURE_ALL_INGESTED"]

# Comments: accounts younger than NEW_MEMBER_DAYS get the lower hourly limit.
COMMENTS_PER_HOUR: int = ENV["DAILYPAPERS_COMMENTS_PER_HOUR"]
NEW_MEMBER_DAYS: int = ENV["DAILYPAPERS_NEW_MEMBER_DAYS"]
NEW_MEMBER_COMMENTS_PER_HOUR: int = ENV["DAILYPAPERS_NEW_MEMBER_COMMENTS_PER_HOUR"]
COMMENT_MAX_CHARS: int = ENV["DAILYPAPERS_COMMENT_MAX_CHARS"]

# --- search ---
# Model paths, the exact-search threshold and the embedding batch size are engineering
# constants beside the code that uses them (search/embedder.py, vectors.py, indexing.py).
SEARCH_EMBED_TIMEOUT: float = ENV[
    "DAILYPAPERS_SEARCH_EMBED_TIMEOUT"
]  # a slower query embedding falls back to keyword results
SEARCH_EMBED_THREADS: int = ENV["DAILYPAPERS_SEARCH_THREADS"]  # onnxruntime threads for batches, 0 = all cores
SEARCH_KEYWORDS: bool = ENV["DAILYPAPERS_SEARCH_KEYWORDS"]  # keywords extracted by the embedding job
SEARCH_INDEX_DIR: Path = HOME / "search"  # the HNSW vector index file lives here (derived, rebuildable)

# --- digest ---
# django-q2 runs the periodic jobs below with its ORM broker: the queue lives in our own
# database (SQLite or PostgreSQL), so the worker needs no extra service.
INSTALLED_APPS += ["django_q"]  # noqa: F405
Q_CLUSTER: dict = {
    "name": "dailypapers",
    "orm": "default",
    "workers": 2,
    "timeout": 3600,  # seconds one job may run (an arXiv ingest of a busy day takes minutes)
    "retry": 4000,  # must exceed timeout, or a long job is handed to a second worker
    "max_attempts": 1,  # our jobs resume by themselves on the next tick; no blind re-runs
    "catch_up": False,  # after downtime run a missed job once, not once per missed slot
    "poll": 2,  # seconds between looks at the ORM queue
    "ack_failures": True,
}
# The one list of periodic jobs `dailypapers worker` runs. Each: name, func (dotted path to a
# plain function taking no arguments), every ("minutes", "hourly", "daily", "weekly"),
# minutes (for "minutes"), at ("HH:MM" UTC, first run). A func that does not import is
# reported by the worker and skipped, so an app can add its job later.
DAILYPAPERS_SCHEDULE: list[dict] = [
    {"name": "ingest arXiv", "func": "dailypapers.ingest.jobs.ingest_arxiv", "every": "hourly", "at": "00:05"},
    {
        "name": "embed new papers",
        "func": "dailypapers.alerts.jobs.embed_and_match",  # embeds, then matches saved searches
        "every": "minutes",
        "minutes": 15,
        "at": "00:10",
    },
    {
        "name": "retrain for-you models",
        "func": "dailypapers.community.taste.retrain_changed",
        "every": "minutes",
        "minutes": 10,
        "at": "00:00",
    },
    {
        # Document frequencies for keyword ranking (search/term_statistics.py).
        "name": "keyword term statistics",
        "func": "dailypapers.search.term_statistics.refresh_job",
        "every": "minutes",
        "minutes": 360,
        "at": "00:00",
    },
    {"name": "daily digest", "func": "dailypapers.digest.jobs.send_daily", "every": "daily", "at": "07:00"},
    {"name": "weekly digest", "func": "dailypapers.digest.jobs.send_weekly", "every": "weekly", "at": "07:30"},
    {
        "name": "send queued mail",
        "func": "dailypapers.digest.jobs.send_queued_mail",
        "every": "minutes",
        "minutes": 1,
        "at": "00:00",
    },
    {
        "name": "webhook retries",
        "func": "dailypapers.alerts.jobs.deliver_webhooks",
        "every": "minutes",
        "minutes": 1,
        "at": "00:00",
    },
    {
        "name": "digest retries",
        "func": "dailypapers.digest.jobs.send_due",
        "every": "minutes",
        "minutes": 10,
        "at": "00:00",
    },
    {
        "name": "purge unconfirmed subscriptions",
        "func": "dailypapers.digest.jobs.purge_unconfirmed",
        "every": "daily",
        "at": "03:00",
    },
]
# What an operator tunes comes from the environment (docs/settings.md); the retry backoff is
# a constant in digest/sending.py.
DIGEST_CONFIRM_MAX_AGE_DAYS: int = ENV["DAILYPAPERS_DIGEST_CONFIRM_MAX_AGE_DAYS"]
DIGEST_PURGE_UNCONFIRMED_DAYS: int = ENV["DAILYPAPERS_DIGEST_PURGE_UNCONFIRMED_DAYS"]
DIGEST_MAX_PAPERS: int = ENV["DAILYPAPERS_DIGEST_MAX_PAPERS"]
DIGEST_MAX_ATTEMPTS: int = ENV["DAILYPAPERS_DIGEST_MAX_ATTEMPTS"]
WEBHOOK_MAX_ATTEMPTS: int = ENV["DAILYPAPERS_WEBHOOK_MAX_ATTEMPTS"]
WEBHOOK_DISABLE_AFTER: int = ENV["DAILYPAPERS_WEBHOOK_DISABLE_AFTER"]
WEBHOOK_ALLOW_PRIVATE_HOSTS: bool = ENV["DAILYPAPERS_WEBHOOK_ALLOW_PRIVATE_HOSTS"]
DIGEST_SOFT_BOUNCE_LIMIT: int = ENV["DAILYPAPERS_DIGEST_SOFT_BOUNCE_LIMIT"]
# Confirmation / "already subscribed" mails, so the form cannot be used to flood a mailbox.
DIGEST_MAILS_PER_ADDRESS_PER_HOUR: int = ENV["DAILYPAPERS_DIGEST_MAILS_PER_ADDRESS_PER_HOUR"]
DIGEST_BOUNCE_WEBHOOK_SECRET: str = ENV["DAILYPAPERS_BOUNCE_WEBHOOK_SECRET"]  # empty refuses every webhook call
# Right side of Message-IDs and of the List-Id: the site's host name.
DIGEST_MESSAGE_ID_DOMAIN: str = BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
DIGEST_UNSUBSCRIBE_MAILTO: str = ENV["DAILYPAPERS_UNSUBSCRIBE_MAILTO"] or (
    "unsubscribe@" + (DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost")
)
