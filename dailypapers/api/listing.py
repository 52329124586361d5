"""The paper lists the API, feeds, CLI and MCP tools serve, as plain query functions.

Windows follow the Hugging Face daily-papers API: `date=YYYY-MM-DD`, `week=YYYY-Www` (ISO
week), `month=YYYY-MM`, all on the day a paper joined the daily feed (`featured_on`), not its
arXiv date. Every function returns visible papers only (moderators' `hidden` flag is respected)
and raises `ListingError` with the parameter's name for bad input, so views answer 400.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.db.models import F, Q, QuerySet

from dailypapers.catalog.arxiv_ids import normalize_arxiv_id
from dailypapers.catalog.feed import Window
from dailypapers.catalog.models import Paper

DAILY_SORTS = ("publishedAt", "trending")
# A cursor of /api/papers: listing day (date ordinal, 1 = 0001-01-01) or "n", then an arXiv id.
CURSOR_FORM = r"(n|[1-9][0-9]{0,5}|[1-2][0-9]{6}|3[0-5][0-9]{5})_([A-Za-z0-9./-]{1,40})"


class ListingError(ValueError):
    """A query parameter we cannot use; `param` names it."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param


class NoSuchWeek(LookupError):
    """Week 53 of a year that has 52 ISO weeks: well-formed, but no such week (404)."""


def parse_window(*, date: str | None = None, week: str | None = None, month: str | None = None) -> Window | None:
    """The featured-day window asked for, or None for "all days". When several are given the
    narrowest wins (date, then week, then month), as the Hugging Face API does."""
    given = [(name, value) for name, value in (("date", date), ("week", week), ("month", month)) if value]
    if not given:
        return None
    name, value = given[0]
    if name == "date":
        if isinstance(value, dt.date):
            return Window(value, value)
        try:
            day = dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
        except ValueError:
            day = None
        if day is None:
            raise ListingError("date", f"expected a day as YYYY-MM-DD, got {value!r}")
        return Window(day, day)
    if name == "week":
        match = re.fullmatch(r"(\d{4})-W(\d{2})", value)
        if not match or not 1 <= int(match[2]) <= 53 or int(match[1]) < 1000:
            raise ListingError("week", f"expected an ISO week as YYYY-Www, e.g. 2025-W09, got {value!r}")
        try:
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:  # week 53 of a year with 52 weeks
            raise NoSuchWeek(f"week: {match[1]} has no ISO week {match[2]}") from None
        return Window(monday, monday + dt.timedelta(days=6))
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if not match or not (1 <= int(match[1]) and 1 <= int(match[2]) <= 12):
        raise ListingError("month", f"expected a month as YYYY-MM, e.g. 2026-06, got {value!r}")
    year, month_number = int(match[1]), int(match[2])
    return Window(dt.date(year, month_number, 1), dt.date(year, month_number, calendar.monthrange(year, month_number)[1]))


def visible_papers() -> QuerySet[Paper]:
    return Paper.objects.filter(hidden=False)


def daily_papers(*, window: Window | None = None, sort: str = "publishedAt", submitter: str | None = None) -> QuerySet[Paper]:
    """Papers on the daily feed, newest day first and by upvotes within a day, or by hotness."""
    if sort not in DAILY_SORTS:
        raise ListingError("sort", f"expected one of {', '.join(DAILY_SORTS)}, got {sort!r}")
    papers = visible_papers().filter(featured_on__isnull=False)
    if window:
        papers = papers.filter(featured_on__gte=window.start, featured_on__lte=window.end)
    if submitter:
        papers = papers.filter(pk__in=_submitted_by(submitter))
    if sort == "trending":
        return papers.order_by("-hotness", "-upvotes", "arxiv_id")
    return papers.order_by("-featured_on", "-upvotes", "arxiv_id")


def _submitted_by(username: str):
    """Ids of papers a member submitted to the daily feed (the community app's submissions)."""
    from dailypapers.community.models import Submission

    return Submission.objects.filter(user__username=username).values_list("paper_id", flat=True)


def _cursor_of(paper: Paper) -> str:
    """`<listing day as a date ordinal>_<arXiv id>` (`n_<id>` without a day): the position after
    which the next page starts. It needs no lookup, so any well-formed cursor works."""
    day = str(paper.listing_date.toordinal()) if paper.listing_date else "n"
    return f"{day}_{paper.arxiv_id}"


def all_papers_page(*, cursor: str | None = None, limit: int = 50) -> tuple[list[Paper], str | None]:
    """Every visible paper, newest arXiv listing day first (undated last), then by arXiv id:
    the catalogue's (-listing_date, arxiv_id) index gives this order, so a page is an index
    range scan however large the catalogue."""
    papers = visible_papers()
    if cursor:
        match = re.fullmatch(CURSOR_FORM, cursor)
        if not match:
            raise ListingError("cursor", f"not a cursor this server hands out: {cursor[:50]!r}")
        after_id = match[2]
        if match[1] == "n":
            papers = papers.filter(listing_date__isnull=True, arxiv_id__gt=after_id)
        else:
            day = dt.date.fromordinal(int(match[1]))
            papers = papers.filter(Q(listing_date__lt=day) | Q(listing_date=day, arxiv_id__gt=after_id) | Q(listing_date__isnull=True))
    # NULL sorts first descending on PostgreSQL and last on SQLite: pin it last on both.
    page = list(papers.order_by(F("listing_date").desc(nulls_last=True), "arxiv_id")[: limit + 1])
    return page[:limit], (_cursor_of(page[limit - 1]) if len(page) > limit else None)


def get_paper(arxiv_id: str) -> Paper | None:
    """The visible paper with this id (any version suffix or arXiv URL form accepted), or None."""
    try:
        key = normalize_arxiv_id(arxiv_id)
    except (ValueError, TypeError):
        return None
    return visible_papers().filter(arxiv_id=key).first()
