"""Settings read from the environment: one typed list, each with a one-line help.

The list drives three things: parsing (settings.py calls `read_environment`), validation
(a bad value is refused with the variable's name), and docs (`dailypapers settings` and
docs/settings.md print the same list, and a test fails when one is undocumented).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable


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
    EnvSetting("DATABASE_URL", str, "", "Database URL; empty means SQLite at $DAILYPAPERS_HOME/dailypapers.sqlite3, postgres://… for PostgreSQL."),
    EnvSetting("SECRET_KEY", str, "", "Django secret key; required (and not the default) when DEBUG is off."),
    EnvSetting("DEBUG", _bool, "0", "Development mode: detailed error pages. Never on a public site."),
    EnvSetting("ALLOWED_HOSTS", _list, "127.0.0.1,localhost", "Comma-separated host names this site answers to."),
    EnvSetting("DAILYPAPERS_BASE_URL", str, "http://127.0.0.1:8000", "Public URL of the site, used in emails and feeds."),
    EnvSetting("DAILYPAPERS_ARXIV_CATEGORIES", _list, "cs.AI,cs.CL,cs.CV,cs.LG", "arXiv categories the scheduled ingest fetches."),
    EnvSetting("DAILYPAPERS_ARXIV_DELAY", float, "3.0", "Seconds between requests to arXiv (arXiv asks for 3)."),
    EnvSetting("EMAIL_HOST", str, "localhost", "SMTP server host."),
    EnvSetting("EMAIL_PORT", int, "25", "SMTP server port."),
    EnvSetting("EMAIL_HOST_USER", str, "", "SMTP user name."),
    EnvSetting("EMAIL_HOST_PASSWORD", str, "", "SMTP password."),
    EnvSetting("EMAIL_USE_TLS", _bool, "0", "Use STARTTLS to the SMTP server."),
    EnvSetting("DEFAULT_FROM_EMAIL", str, "dailypapers <noreply@localhost>", "Sender of the site's emails."),
    EnvSetting("LOG_LEVEL", str, "INFO", "Log level of the dailypapers loggers."),
    EnvSetting("DAILYPAPERS_BOUNCE_WEBHOOK_SECRET", str, "", "Shared secret the mail provider sends to the bounce/complaint webhook; empty disables the webhook."),
    EnvSetting("DAILYPAPERS_API_RATE_ANONYMOUS", str, "120/min", "API: requests per IP for anonymous clients (N/s, N/min, N/hour, N/day; empty = unlimited)."),
    EnvSetting("DAILYPAPERS_API_RATE_MEMBER", str, "1200/min", "API: requests per member holding a token or session (same form; empty = unlimited)."),
    EnvSetting("LOG_FORMAT", str, "json", "Log format: json (one object per line, with request ids) or text."),
    EnvSetting("DAILYPAPERS_METRICS_ALLOWED_IPS", _list, "127.0.0.1,::1", "Client addresses allowed to read /metrics."),
    EnvSetting("DAILYPAPERS_GITHUB_CLIENT_ID", str, "", "OAuth client id of a GitHub app; set it (and the secret) to offer GitHub login."),
    EnvSetting("DAILYPAPERS_GITHUB_SECRET", str, "", "OAuth client secret of the GitHub app."),
    EnvSetting("DAILYPAPERS_ORCID_CLIENT_ID", str, "", "ORCID client id; set it (and the secret) to offer ORCID login."),
    EnvSetting("DAILYPAPERS_ORCID_SECRET", str, "", "ORCID client secret."),
    EnvSetting("DAILYPAPERS_TRENDING_WINDOW_HOURS", float, "24", "Trending: hours of age that weigh as much as 10x the upvotes."),
    EnvSetting("DAILYPAPERS_SUBMISSION_MAX_AGE_DAYS", int, "14", "Submissions: oldest first-version age (days) a member may submit."),
    EnvSetting("DAILYPAPERS_SUBMISSIONS_PER_DAY", int, "5", "Submissions: most papers one member may submit per day."),
    EnvSetting("DAILYPAPERS_FEATURE_ALL_INGESTED", _bool, "1", "Feature every newly ingested paper on the daily feed while no curation rule is defined."),
    EnvSetting("DAILYPAPERS_SEARCH_EMBED_TIMEOUT", float, "1.0", "Search: seconds a query embedding may take before keyword results answer alone."),
    EnvSetting("DAILYPAPERS_SEARCH_THREADS", int, "0", "Search: onnxruntime threads for the embedder (0 = all cores)."),
    EnvSetting("DAILYPAPERS_COMMENTS_PER_HOUR", _positive_int, "30",
               "Comments: most comments one member may post per hour."),
    EnvSetting("DAILYPAPERS_NEW_MEMBER_COMMENTS_PER_HOUR", _positive_int, "5",
               "Comments: hourly limit for accounts younger than DAILYPAPERS_NEW_MEMBER_DAYS."),
    EnvSetting("DAILYPAPERS_NEW_MEMBER_DAYS", _positive_int, "3",
               "Comments: days an account counts as new (the lower limit)."),
    EnvSetting("DAILYPAPERS_COMMENT_MAX_CHARS", _positive_int, "10000",
               "Comments: longest comment body, in characters."),
    EnvSetting("DAILYPAPERS_DIGEST_MAX_PAPERS", _positive_int, "10", "Digest: papers per digest email."),
    EnvSetting("DAILYPAPERS_DIGEST_MAX_ATTEMPTS", _positive_int, "5",
               "Digest: SMTP attempts per message before it is marked failed."),
    EnvSetting("DAILYPAPERS_DIGEST_CONFIRM_MAX_AGE_DAYS", _positive_int, "7",
               "Digest: days a subscription confirmation link stays valid."),
    EnvSetting("DAILYPAPERS_DIGEST_PURGE_UNCONFIRMED_DAYS", _positive_int, "30",
               "Digest: days after which unconfirmed subscriptions are deleted."),
    EnvSetting("DAILYPAPERS_DIGEST_SOFT_BOUNCE_LIMIT", _positive_int, "3",
               "Digest: soft bounces before an address is suppressed."),
    EnvSetting("DAILYPAPERS_DIGEST_MAILS_PER_ADDRESS_PER_HOUR", _positive_int, "3",
               "Digest: confirmation mails the subscribe form may send one address per hour."),
    EnvSetting("DAILYPAPERS_UNSUBSCRIBE_MAILTO", str, "",
               "Digest: mailbox in the List-Unsubscribe header; empty = unsubscribe@ the sender's domain."),
]

INSECURE_SECRET_KEYS = {"", "change-me", "changeme", "secret", "django-insecure"}


def read_environment(environ=os.environ) -> dict[str, Any]:
    return {setting.name: setting.read(environ) for setting in ENV_SETTINGS}
