"""The site's "today": the calendar day, or the newest listing day when the catalogue is older.

A site whose ingest stopped (an offline demo on the shared corpus, which ends 2026-07-01; a
paused harvester; an archive mirror) must still show its latest data. So every rule that means
"today" for the feeds reads `today()` here: trending's day / week / month, "for you", the
dashboard's charts, a submission's age and feed day, a digest's default edition. It is the
calendar day while papers keep arriving, and the newest listing day once the catalogue is
more than STALE_AFTER_DAYS behind; `catalogue_behind()` says which, so pages can say "latest
listing: 1 July 2026". The threshold keeps a live site on the calendar over weekends and
holidays: arXiv's longest pause in the shared corpus is 4 days (25 to 29 December 2025).

The newest day is one MAX on the indexed `listing_date` (then on `featured_on`, for a site whose
papers have no listing day), remembered for NEWEST_DAY_SECONDS per process and forgotten whenever
papers are ingested or saved, so a page asks it at most every few seconds.
"""

from __future__ import annotations

import threading
import time
from datetime import date

from django.db.models import Max
from django.utils import timezone

from .models import Paper

# Long enough that a busy page asks once per interval, short enough that a second web worker
# (which does not see this worker's ingest signals) catches up within seconds.
NEWEST_DAY_SECONDS = 10.0
STALE_AFTER_DAYS = 7
_remembered: dict[str, tuple[float, date | None]] = {}
_lock = threading.Lock()


def newest_listing_day() -> date | None:
    """The newest day a paper was listed on (or featured on, without a listing day); None when empty."""
    now = time.monotonic()
    with _lock:
        found = _remembered.get("newest")
    if found and found[0] > now:
        return found[1]
    # One MAX a query: SQLite reads a lone MAX from the index end, two in one query scan the table.
    newest = (
        Paper.objects.aggregate(day=Max("listing_date"))["day"]
        or Paper.objects.aggregate(day=Max("featured_on"))["day"]
    )
    with _lock:
        _remembered["newest"] = (now + NEWEST_DAY_SECONDS, newest)
    return newest


def forget(*args, **kwargs) -> None:
    """Drop the remembered newest day (papers were ingested or saved); signal receivers call it."""
    with _lock:
        _remembered.clear()


def calendar_today() -> date:
    return timezone.localdate()


def catalogue_behind(calendar_day: date | None = None) -> date | None:
    """The newest listing day when it is more than STALE_AFTER_DAYS before the calendar day
    (then the site runs on it), else None."""
    calendar_day = calendar_day or calendar_today()
    newest = newest_listing_day()
    return newest if newest is not None and (calendar_day - newest).days > STALE_AFTER_DAYS else None


def today(calendar_day: date | None = None) -> date:
    """The site's today: the calendar day (or `calendar_day`, for a caller that was handed the
    time), or the newest listing day when the catalogue is behind it."""
    calendar_day = calendar_day or calendar_today()
    return catalogue_behind(calendar_day) or calendar_day
