"""Feed windows: the one parser of `date=`, `week=` and `month=`, and the windows trending uses.

Every caller (the feed pages, `/api/daily_papers`, the `papers daily` command, the MCP tools,
digests, search date filters, the `ingest` and `digest` commands) parses days and windows here,
so one rule set holds everywhere:

- `date=YYYY-MM-DD`: a day that exists (`2026-02-30` is refused as "no such day", not as a
  badly written one);
- `week=YYYY-Www`: an ISO week, Monday to Sunday; week 53 only in years that have one (2026
  does, 2025 does not);
- `month=YYYY-MM`: a calendar month;
- years 1990 to 2999: arXiv began in 1991, and the bound keeps the date arithmetic of the
  pages (next month, chart windows) away from year 9999, where Python raises OverflowError;
- when several of date, week, month are given, each must be valid and the narrowest wins
  (date, then week), as in the Hugging Face API.

An empty value is the same as none. DAY_PATTERN, WEEK_PATTERN and MONTH_PATTERN say the same
as regular expressions built from these rules, for the OpenAPI schema: a value matches its
pattern exactly when it parses.

Bad input raises `FeedParameterError` (a ValueError) naming the parameter, its value and what
was expected; the pages and the API answer it with 400, the commands with exit status 2.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

YEARS = range(1990, 3000)
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
WINDOW_KEYS = ("date", "week", "month")
# Trending's rolling windows: the last N days up to "today" (catalog.clock.today()).
RECENT_DAYS = {"day": 1, "week": 7, "month": 30}


class FeedParameterError(ValueError):
    """A feed parameter (`date`, `week`, `month`, `category`, `page`, …) is not valid."""

    def __init__(self, field: str, value: object, expected: str):
        self.field, self.value, self.expected = field, value, expected
        shown = value if isinstance(value, str) and len(value) <= 60 else f"{str(value)[:60]}…"
        super().__init__(f"{field}: {expected}, got {shown!r}")


@dataclass(frozen=True)
class Window:
    """Days from `start` to `end`, both included."""

    start: date
    end: date


def _year(text: str, field: str, value: str) -> int:
    year = int(text)
    if year not in YEARS:
        raise FeedParameterError(field, value, f"the year must be from {YEARS.start} to {YEARS.stop - 1}")
    return year


def parse_day(value: str | date, field: str = "date") -> date:
    """A day written YYYY-MM-DD (or a date, returned as it is)."""
    if isinstance(value, date):
        return value
    match = _DAY.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise FeedParameterError(field, value, "expected a day as YYYY-MM-DD, e.g. 2026-06-30")
    year, month, day = _year(match[1], field, value), int(match[2]), int(match[3])
    if not 1 <= month <= 12:
        raise FeedParameterError(field, value, f"no such day: there is no month {match[2]}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise FeedParameterError(field, value, f"no such day: {date(year, month, 1):%B %Y} has {last} days")
    return date(year, month, day)


def parse_week(value: str) -> Window:
    """An ISO week written YYYY-Www: Monday to Sunday."""
    match = _WEEK.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise FeedParameterError("week", value, "expected an ISO week as YYYY-Www, e.g. 2026-W26")
    year, week = _year(match[1], "week", value), int(match[2])
    weeks = date(year, 12, 28).isocalendar()[1]  # 28 December is always in the year's last ISO week
    if not 1 <= week <= weeks:
        raise FeedParameterError("week", value, f"no such week: {year} has ISO weeks 01 to {weeks}")
    monday = date.fromisocalendar(year, week, 1)
    return Window(monday, monday + timedelta(days=6))


def parse_month(value: str) -> Window:
    """A calendar month written YYYY-MM."""
    match = _MONTH.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise FeedParameterError("month", value, "expected a month as YYYY-MM, e.g. 2026-06")
    year, month = _year(match[1], "month", value), int(match[2])
    if not 1 <= month <= 12:
        raise FeedParameterError("month", value, "no such month: months are 01 to 12")
    return Window(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def parse_window(*, date: str | date | None = None, week: str | None = None, month: str | None = None) -> Window | None:
    """The window that `date=`, `week=` or `month=` names (the narrowest given); None for none."""
    given = [
        (key, value) for key, value in zip(WINDOW_KEYS, (date, week, month), strict=False) if value not in (None, "")
    ]
    windows = [_PARSERS[key](value) for key, value in given]  # every value given must be valid
    return windows[0] if windows else None


def _day_window(value: str | date) -> Window:
    day = parse_day(value)
    return Window(day, day)


_PARSERS = {"date": _day_window, "week": parse_week, "month": parse_month}


def _years(keep) -> str:
    return "|".join(str(year) for year in YEARS if keep(year))


_YEAR = r"(?:199[0-9]|2[0-9]{3})"  # YEARS; tests/catalog/test_windows.py checks patterns against parsing
# An empty value means "not given" (an HTML form's empty field), so the patterns allow it too.
DAY_PATTERN = (
    rf"^(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    rf"|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:{_years(calendar.isleap)})-02-29)?$"
)
WEEK_PATTERN = (
    rf"^(?:{_YEAR}-W(?:0[1-9]|[1-4][0-9]|5[0-2])|(?:{_years(lambda y: date(y, 12, 28).isocalendar()[1] == 53)})-W53)?$"
)
MONTH_PATTERN = rf"^(?:{_YEAR}-(?:0[1-9]|1[0-2]))?$"


def week_label(day: date) -> str:
    """The ISO week holding `day`, as `week=` takes it: 2026-W27."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def recent_window(span: str, *, today: date) -> Window:
    """Trending's rolling window `span` (day, week, month): the last 1, 7 or 30 days to `today`."""
    if span not in RECENT_DAYS:
        raise FeedParameterError("window", span, f"expected one of {', '.join(RECENT_DAYS)}")
    return Window(today - timedelta(days=RECENT_DAYS[span] - 1), today)
