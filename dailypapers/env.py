"""Settings read from the environment: one typed list, each with a one-line help.

The list drives three things: parsing (settings.py calls `read_environment`), validation
(a bad value is refused with the variable's name), and docs (`dailypapers settings` and
docs/settings.md print the same list, and a test fails when one is undocumented).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SettingError(ValueError):
    """An environment variable holds a value we cannot use."""


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


def _rate(raw: str) -> str:
    from dailypapers.catalog.rates import parse_rate

    parse_rate(raw)  # refuses "ten a minute" with the expected form
    return raw.strip()


def _proxies(raw: str):
    from dailypapers.catalog.clients import parse_trusted_proxies

    return parse_trusted_proxies(raw)


def _choice(*options: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ValueError(f"expected one of {', '.join(options)}")
        return value

    return parse


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class EnvSetting:
    name: str
    parse: Callable[[str], Any]
    default: str
    help: str

    def read(self, environ=os.environ) -> Any:
        raw = environ.get(self.name, self.default)
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise SettingError(f"environment variable {self.name}={raw!r}: {exc}") from None


# Add a setting here and document it in docs/settings.md (tests/test_docs.py checks).
ENV_SETTINGS: list[EnvSetting] = [
    EnvSetting("DAILYPAPERS_HOME", str, "./var", "Folder for the SQLite database, vector index and other state."),
    EnvSetting(
        "DATABASE_URL",
        str,
        "",
        "Database URL; empty means SQLite at $DAILYPAPERS_HOME/dailypapers.sqlite3, postgres://… for PostgreSQL.",
    ),
    EnvSetting(
        "SECRET_KEY",
        str,
        "",
        "Django secret key; unset, $DAILYPAPERS_HOME/secret_key is read (make demo writes it). "
        "Required, 32+ characters, when DEBUG is off.",
    ),
    EnvSetting("DEBUG", _bool, "0", "Development mode: detailed error pages. Never on a public site."),
    EnvSetting("ALLOWED_HOSTS", _list, "127.0.0.1,localhost", "Comma-separated host names this site answers to."),
    EnvSetting(
        "DAILYPAPERS_BASE_URL", str, "http://127.0.0.1:8000", "Public URL of the site, used in emails and feeds."
    ),
    EnvSetting(
        "DAILYPAPERS_ARXIV_CATEGORIES",
        _list,
        "cs.AI,cs.CL,cs.CV,cs.LG",
        "arXiv categories the scheduled ingest fetches.",
    ),
    EnvSetting("DAILYPAPERS_ARXIV_DELAY", float, "3.0", "Seconds between requests to arXiv (arXiv asks for 3)."),
    EnvSetting(
        "DAILYPAPERS_EMAIL_BACKEND",
        _choice("smtp", "file", "console"),
        "smtp",
        "Where mail goes: smtp (EMAIL_HOST), file (one file per message in $DAILYPAPERS_HOME/mail; "
        "make demo's choice) or console (standard output).",
    ),
    EnvSetting("EMAIL_HOST", str, "localhost", "SMTP server host."),
    EnvSetting("EMAIL_PORT", int, "25", "SMTP server port."),
    EnvSetting("EMAIL_HOST_USER", str, "", "SMTP user name."),
    EnvSetting("EMAIL_HOST_PASSWORD", str, "", "SMTP password."),
    EnvSetting("EMAIL_USE_TLS", _bool, "0", "Use STARTTLS to the SMTP server."),
    EnvSetting("DEFAULT_FROM_EMAIL", str, "dailypapers <noreply@localhost>", "Sender of the site's emails."),
    EnvSetting("LOG_LEVEL", str, "INFO", "Log level of the dailypapers loggers."),
    EnvSetting(
        "DAILYPAPERS_BOUNCE_WEBHOOK_SECRET",
        str,
        "",
        "Shared secret the mail provider sends to the bounce/complaint webhook; empty disables the webhook.",
    ),
    EnvSetting(
        "DAILYPAPERS_API_RATE_ANONYMOUS",
        str,
        "120/min",
        "API: requests per IP for anonymous clients (N/s, N/min, N/hour, N/day; empty = unlimited).",
    ),
    EnvSetting(
        "DAILYPAPERS_API_RATE_MEMBER",
        str,
        "1200/min",
        "API: requests per member holding a token or session (same form; empty = unlimited).",
    ),
    EnvSetting(
        "DAILYPAPERS_TRUSTED_PROXIES",
        _proxies,
        "127.0.0.1,::1",
        "Reverse proxies whose X-Forwarded-For names the client: addresses/CIDR ranges, or a count; empty = none.",
    ),
    EnvSetting(
        "DAILYPAPERS_SEARCH_RATE",
        _rate,
        "60/min",
        "Search pages, search JSON, feeds and exports: requests per client address (empty = unlimited).",
    ),
    EnvSetting(
        "DAILYPAPERS_SEARCH_CONCURRENCY",
        int,
        "0",
        "Searches, feeds and exports running at once per host before 503 + Retry-After (0 = half the cores, at "
        "least 1).",
    ),
    EnvSetting(
        "DAILYPAPERS_MAILS_PER_CLIENT",
        _rate,
        "10/hour",
        "Mails (subscription confirmations, sign-up, password reset) one client address can make the site send.",
    ),
    EnvSetting(
        "DAILYPAPERS_MAIL_BUDGET",
        _rate,
        "300/hour",
        "Mails of those kinds the whole site sends; over it the forms answer 503 (see /metrics).",
    ),
    EnvSetting("LOG_FORMAT", str, "json", "Log format: json (one object per line, with request ids) or text."),
    EnvSetting("DAILYPAPERS_METRICS_ALLOWED_IPS", _list, "127.0.0.1,::1", "Client addresses allowed to read /metrics."),
    EnvSetting(
        "DAILYPAPERS_GITHUB_CLIENT_ID",
        str,
        "",
        "OAuth client id of a GitHub app; set it (and the secret) to offer GitHub login.",
    ),
    EnvSetting("DAILYPAPERS_GITHUB_SECRET", str, "", "OAuth client secret of the GitHub app."),
    EnvSetting(
        "DAILYPAPERS_ORCID_CLIENT_ID", str, "", "ORCID client id; set it (and the secret) to offer ORCID login."
    ),
    EnvSetting("DAILYPAPERS_ORCID_SECRET", str, "", "ORCID client secret."),
    EnvSetting(
        "DAILYPAPERS_TRENDING_WINDOW_HOURS",
        float,
        "24",
        "Trending: hours of age that weigh as much as 10x the upvotes.",
    ),
    EnvSetting(
        "DAILYPAPERS_SUBMISSION_MAX_AGE_DAYS",
        int,
        "14",
        "Submissions: oldest first-version age (days) a member may submit.",
    ),
    EnvSetting("DAILYPAPERS_SUBMISSIONS_PER_DAY", int, "5", "Submissions: most papers one member may submit per day."),
    EnvSetting(
        "DAILYPAPERS_FEATURE_ALL_INGESTED",
        _bool,
        "1",
        "Feature every newly ingested paper on the daily feed while no curation rule is defined.",
    ),
    EnvSetting(
        "DAILYPAPERS_SEARCH_EMBED_TIMEOUT",
        float,
        "1.0",
        "Search: seconds a query embedding may take before keyword results answer alone.",
    ),
    EnvSetting(
        "DAILYPAPERS_SEARCH_THREADS",
        int,
        "0",
        "Search: onnxruntime threads embedding batches of texts (0 = all cores); one text, a query, runs on one.",
    ),
    EnvSetting(
        "DAILYPAPERS_SEARCH_KEYWORDS",
        _bool,
        "1",
        "Search: extract each paper's keywords when it is embedded (0 = off; `dailypapers keywords` fills them later).",
    ),
    EnvSetting(
        "DAILYPAPERS_COMMENTS_PER_HOUR", _positive_int, "30", "Comments: most comments one member may post per hour."
    ),
    EnvSetting(
        "DAILYPAPERS_NEW_MEMBER_COMMENTS_PER_HOUR",
        _positive_int,
        "5",
        "Comments: hourly limit for accounts younger than DAILYPAPERS_NEW_MEMBER_DAYS.",
    ),
    EnvSetting(
        "DAILYPAPERS_NEW_MEMBER_DAYS", _positive_int, "3", "Comments: days an account counts as new (the lower limit)."
    ),
    EnvSetting(
        "DAILYPAPERS_COMMENT_MAX_CHARS", _positive_int, "10000", "Comments: longest comment body, in characters."
    ),
    EnvSetting("DAILYPAPERS_DIGEST_MAX_PAPERS", _positive_int, "10", "Digest: papers per digest email."),
    EnvSetting(
        "DAILYPAPERS_WEBHOOK_MAX_ATTEMPTS",
        _positive_int,
        "8",
        "Webhooks: attempts per (hook, paper) before it is marked failed (retries back off 1, 2, 4 … minutes).",
    ),
    EnvSetting(
        "DAILYPAPERS_WEBHOOK_DISABLE_AFTER",
        _positive_int,
        "10",
        "Webhooks: consecutive failed attempts after which a hook is disabled and its member told.",
    ),
    EnvSetting(
        "DAILYPAPERS_WEBHOOK_ALLOW_PRIVATE_HOSTS",
        _bool,
        "0",
        "Webhooks: also post to loopback and private-network addresses (an intranet receiver); off on a public site.",
    ),
    EnvSetting(
        "DAILYPAPERS_DIGEST_MAX_ATTEMPTS",
        _positive_int,
        "5",
        "Digest: SMTP attempts per message before it is marked failed.",
    ),
    EnvSetting(
        "DAILYPAPERS_DIGEST_CONFIRM_MAX_AGE_DAYS",
        _positive_int,
        "7",
        "Digest: days a subscription confirmation link stays valid.",
    ),
    EnvSetting(
        "DAILYPAPERS_DIGEST_PURGE_UNCONFIRMED_DAYS",
        _positive_int,
        "30",
        "Digest: days after which unconfirmed subscriptions are deleted.",
    ),
    EnvSetting(
        "DAILYPAPERS_DIGEST_SOFT_BOUNCE_LIMIT",
        _positive_int,
        "3",
        "Digest: soft bounces before an address is suppressed.",
    ),
    EnvSetting(
        "DAILYPAPERS_DIGEST_MAILS_PER_ADDRESS_PER_HOUR",
        _positive_int,
        "3",
        "Digest: confirmation mails the subscribe form may send one address per hour.",
    ),
    EnvSetting(
        "DAILYPAPERS_UNSUBSCRIBE_MAILTO",
        str,
        "",
        "Digest: mailbox in the List-Unsubscribe header; empty = unsubscribe@ the sender's domain.",
    ),
]

_DEFAULTS = {setting.name: setting.default for setting in ENV_SETTINGS}
INSECURE_SECRET_KEYS = {"", "change-me", "changeme", "secret", "django-insecure"}
SECRET_KEY_MIN_LENGTH = 32


def read_secret_key_file(path: Path) -> str:
    """The key `make demo` writes to $DAILYPAPERS_HOME/secret_key; empty when there is none."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingError(f"cannot read the secret key file {path}: {exc}") from None


def secret_key_is_safe(key: str) -> bool:
    known = key in INSECURE_SECRET_KEYS or key.startswith("django-insecure")
    return not known and len(key) >= SECRET_KEY_MIN_LENGTH


def unsafe_secret_key_message(key: str, key_file: Path, *, from_environment: bool) -> str:
    """Why the key is refused and how to get the right one: a command run beside a demo must
    sign with the server's key, so a freshly generated key is only advice for a new site."""
    if from_environment:
        problem = "SECRET_KEY (from the environment) is too short (< 32 characters) or a known default"
    elif key:
        problem = f"SECRET_KEY (read from {key_file}) is too short (< 32 characters) or a known default"
    else:
        problem = f"SECRET_KEY is missing: the environment sets none and {key_file} does not exist"
    return (
        f"{problem}, and DEBUG is off. `make demo` keeps its key in $DAILYPAPERS_HOME/secret_key: "
        "run this command with the same DAILYPAPERS_HOME as the server (make demo's default is ./var), "
        "or set SECRET_KEY to the server's key. For a new site, write a long random one, e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > $DAILYPAPERS_HOME/secret_key"
    )


# Settings a home folder keeps for every command run with it: `make demo` writes its address
# and mail sink here, so `dailypapers digest send` beside the demo links to the port it serves
# on and writes to its mail folder. The environment wins over the file.
HOME_SETTINGS_FILE = "settings.env"


def home_folder(environ=os.environ) -> Path:
    return Path(environ.get("DAILYPAPERS_HOME") or _DEFAULTS["DAILYPAPERS_HOME"]).expanduser()


def read_home_settings(path: Path) -> dict[str, str]:
    """NAME=value lines of a home's settings file ('#' comments, blank lines allowed); {} when
    there is none. A name that is not a setting, or DAILYPAPERS_HOME itself, is refused."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingError(f"cannot read {path}: {exc}") from None
    values = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name = name.strip()
        if not equals or name not in _DEFAULTS or name in {"DAILYPAPERS_HOME", "SECRET_KEY"}:
            raise SettingError(
                f"{path}, line {number}: expected NAME=value with NAME a setting other than "
                f"DAILYPAPERS_HOME and SECRET_KEY (see `dailypapers settings`), got {line[:80]!r}"
            )
        values[name] = value.strip()
    return values


def effective_environment(environ=os.environ) -> dict[str, str]:
    """The environment over the home folder's settings file."""
    return {**read_home_settings(home_folder(environ) / HOME_SETTINGS_FILE), **environ}


def read_environment(environ=os.environ) -> dict[str, Any]:
    merged = effective_environment(environ)
    return {setting.name: setting.read(merged) for setting in ENV_SETTINGS}
