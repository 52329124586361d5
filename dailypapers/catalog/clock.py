"""The site's "today": the calendar day, or the newest listing day when the catalogue is older.

A site whose ingest stopped (an offline demo on the shared corpus, which ends 2026-07-01; a
paused harvester; an archive mirror) must still show its latest data. So every rule that means
"today" for the feeds reads `today()` here: trending's day / week / month, "for you", the
dashboard's charts, a submission's age and feed day, a digest's default edition. It is the
calendar day while papers keep arriving, and the newest listing day once the catalogue falls
behind; `catalogue_behind()` says which, so pages can say "latest listing: 1 July 2026".

The newest day is one MAX on the indexed `listing_date` (falling back to `featured_on` for
papers without one), remembered for NEWEST_DAY_SECONDS per process and forgotten whenever
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
_remembered: dict[str, tuple[float, date | None]] = {}
_lock = threading.Lock()


def newest_listing_day() -> date | None:
    """The newest day a paper was listed on (or featured on, without a listing day); None when empty."""
    now = time.monotonic()
    with _lock:
        found = _remembered.get("newest")
    if found and found[0] > now:
        return found[1]
    days = Paper.objects.aggregate(listed=Max("listing_date"), featured=Max("featured_on"))
    newest = days["listed"] or days["featured"]
    with _lock:
        _remembered["newest"] = (now + NEWEST_DAY_SECONDS, newest)
    return newest


def forget(*args, **kwargs) -> None:
    """Drop the remembered newest day (papers were ingested or saved); signal receivers call it."""
    with _lock:
        _remembered.clear()


def calendar_today() -> date:
    return timezone.localdate()


def today() -> date:
    """The calendar day, or the newest listing day when the catalogue has none as recent."""
    calendar_day = calendar_today()
    newest = newest_listing_day()
    return newest if newest is not None and newest < calendar_day else calendar_day


def catalogue_behind() -> date | None:
    """The newest listing day when it is older than the calendar day (the site runs on it), else None."""
    newest = newest_listing_day()
    return newest if newest is not None and newest < calendar_today() else None
