"""The arXiv listing day of a submission.

arXiv's schedule (https://info.arxiv.org/help/availability.html): submissions close at 14:00
US/Eastern each weekday; what came in since the previous cut-off is announced at 20:00 ET
that evening (Friday's batch on Sunday evening), and the listing it appears in is dated the
next day — the "new listings for Tuesday" are announced Monday evening. So a paper submitted
before 14:00 ET on weekday D (or after 14:00 on the weekday before, or over the weekend)
is listed on the weekday after D: Mon–Thu cut-offs list Tue–Fri, Friday's lists on Monday.
arXiv holidays shift this by a day or more; we do not model them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
CUTOFF_HOUR = 14


def cutoff_day(submitted: dt.datetime) -> dt.date:
    """The weekday whose 14:00 ET cut-off the submission made."""
    local = submitted.astimezone(EASTERN) if submitted.tzinfo else submitted.replace(tzinfo=dt.UTC).astimezone(EASTERN)
    day = local.date()
    if local.hour >= CUTOFF_HOUR:
        day += dt.timedelta(days=1)
    while day.weekday() >= 5:  # Saturday, Sunday
        day += dt.timedelta(days=1)
    return day


def listing_date_for(submitted: dt.datetime) -> dt.date:
    day = cutoff_day(submitted)
    return day + dt.timedelta(days=3 if day.weekday() == 4 else 1)
