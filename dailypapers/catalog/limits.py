"""Rate limits counted atomically in the database: every limit of ours (API, search and feeds,
form mails, the global mail budget) counts here.

Django's database cache `incr` is a read followed by a write, so concurrent processes lose
counts: three processes x 300 increments ended at 439, and the API admitted 125 requests in a
120-per-minute window (issue 13). Here one statement does the whole step,

    INSERT … ON CONFLICT (name) DO UPDATE SET hits = CASE same window THEN hits + 1 ELSE 1 END
    RETURNING hits

which is atomic on PostgreSQL (the conflicting row is locked) and on SQLite (one writer at a
time). The table (`dailypapers_counter`, created by ops' migration 0002) holds one row per
(limit, client) and fixed window; rows of past windows are deleted now and then.

Rates are written "N/s", "N/min", "N/hour" or "N/day" (catalog/rates.py).
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction

from dailypapers.catalog.rates import parse_rate

TABLE = "dailypapers_counter"
# One call in this many also deletes rows of windows that have ended (a few ms on 10^5 rows).
PURGE_ONE_IN = 500


@dataclass(frozen=True)
class Decision:
    allowed: bool
    hits: int  # this window's count, this hit included
    limit: int
    retry_after: int  # seconds until the window ends
    name: str = ""  # which limit decided


_UPSERT = (
    f"INSERT INTO {TABLE} (name, window_start, hits, expires) VALUES (%s, %s, 1, %s) "
    f"ON CONFLICT (name) DO UPDATE SET "
    f"hits = CASE WHEN {TABLE}.window_start = excluded.window_start THEN {TABLE}.hits + 1 ELSE 1 END, "
    f"window_start = excluded.window_start, expires = excluded.expires "
    f"RETURNING hits"
)


def _row_name(name: str, ident: str) -> str:
    # Hashed: the table never stores an address or an email, and names stay short.
    return f"{name}:{hashlib.sha256(ident.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}"


def hit(name: str, ident: str, rate: str | tuple[int, int] | None, *, now: float | None = None) -> Decision:
    """Count one hit of `ident` (a client address, a member id, "all") against limit `name`."""
    parsed = parse_rate(rate) if isinstance(rate, str) else rate
    if parsed is None:
        return Decision(True, 0, 0, 0, name)
    limit, period = parsed
    now = time.time() if now is None else now
    window_start = int(now // period) * period
    expires = window_start + period
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_UPSERT, [_row_name(name, ident), window_start, expires])
        hits = cursor.fetchone()[0]
        if random.randrange(PURGE_ONE_IN) == 0:
            cursor.execute(f"DELETE FROM {TABLE} WHERE expires < %s", [int(now)])
    return Decision(hits <= limit, hits, limit, max(1, int(expires - now + 0.999)), name)


def used(name: str, ident: str, rate: str | tuple[int, int] | None, *, now: float | None = None) -> int:
    """Hits counted so far in the current window (0 when none or unlimited); counts nothing."""
    parsed = parse_rate(rate) if isinstance(rate, str) else rate
    if parsed is None:
        return 0
    _, period = parsed
    now = time.time() if now is None else now
    window_start = int(now // period) * period
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hits FROM {TABLE} WHERE name = %s AND window_start = %s", [_row_name(name, ident), window_start]
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


# --- mail a visitor can make us send ------------------------------------------------------
MAIL_CLIENT, MAIL_SITE, MAIL_SITE_IDENT = "mail-client", "mail-site", "site"


def spend_mail(client: str) -> Decision:
    """Count one mail that a visitor at `client` asked for (a subscription confirmation, a
    sign-up or password-reset mail) against settings.MAILS_PER_CLIENT, then against the
    site-wide settings.MAIL_BUDGET. `allowed` is False when either is spent; `name` tells
    which, MAIL_CLIENT or MAIL_SITE (the client's is checked first, so one client cannot spend
    the site's budget)."""
    from django.conf import settings

    per_client = hit(MAIL_CLIENT, client, settings.MAILS_PER_CLIENT)
    if not per_client.allowed:
        return per_client
    return hit(MAIL_SITE, MAIL_SITE_IDENT, settings.MAIL_BUDGET)


def mail_budget_left() -> tuple[int, int] | None:
    """(mails left in this window, the window's budget) for /metrics; None when unlimited."""
    from django.conf import settings

    parsed = parse_rate(settings.MAIL_BUDGET)
    if parsed is None:
        return None
    return max(parsed[0] - used(MAIL_SITE, MAIL_SITE_IDENT, parsed), 0), parsed[0]
