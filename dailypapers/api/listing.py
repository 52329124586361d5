"""The paper lists the API, feeds, CLI and MCP tools serve, as plain query functions.

Windows follow the Hugging Face daily-papers API: `date=YYYY-MM-DD`, `week=YYYY-Www` (ISO
week), `month=YYYY-MM`, all on the day a paper joined the daily feed (`featured_on`), not its
arXiv date, parsed by catalog/windows.py and listed by catalog.feed.feed_papers like the
pages. Every function returns visible papers only (moderators' `hidden` flag is respected) and
raises `ListingError` with the parameter's name for bad input, so views answer 400.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import F, Q, QuerySet

from dailypapers.catalog import windows
from dailypapers.catalog.arxiv_ids import normalize_arxiv_id
from dailypapers.catalog.feed import feed_papers
from dailypapers.catalog.models import Paper
from dailypapers.catalog.windows import FeedParameterError, Window

DAILY_SORTS = ("publishedAt", "trending")
# A cursor of /api/papers: listing day (date ordinal, 1 = 0001-01-01) or "n", then an arXiv id.
CURSOR_FORM = r"(n|[1-9][0-9]{0,5}|[1-2][0-9]{6}|3[0-5][0-9]{5})_([A-Za-z0-9./-]{1,40})"


class ListingError(ValueError):
    """A query parameter we cannot use; `param` names it."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param


def parse_window(
    *, date: str | dt.date | None = None, week: str | None = None, month: str | None = None
) -> Window | None:
    """The featured-day window asked for (catalog/windows.py's rules), or None for "all days"."""
    try:
        return windows.parse_window(date=date, week=week, month=month)
    except FeedParameterError as exc:
        raise ListingError(exc.field, str(exc).split(": ", 1)[1]) from None


def daily_papers(
    *, window: Window | None = None, sort: str = "publishedAt", submitter: str | None = None
) -> QuerySet[Paper]:
    """Papers on the daily feed, newest day first and by upvotes within a day, or by hotness."""
    if sort not in DAILY_SORTS:
        raise ListingError("sort", f"expected one of {', '.join(DAILY_SORTS)}, got {sort!r}")
    papers = feed_papers(window, sort=sort)
    if submitter:
        papers = papers.filter(pk__in=_submitted_by(submitter))
    return papers


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
    papers = Paper.objects.visible()
    if cursor:
        match = re.fullmatch(CURSOR_FORM, cursor)
        if not match:
            raise ListingError("cursor", f"not a cursor this server hands out: {cursor[:50]!r}")
        after_id = match[2]
        if match[1] == "n":
            papers = papers.filter(listing_date__isnull=True, arxiv_id__gt=after_id)
        else:
            day = dt.date.fromordinal(int(match[1]))
            papers = papers.filter(
                Q(listing_date__lt=day) | Q(listing_date=day, arxiv_id__gt=after_id) | Q(listing_date__isnull=True)
            )
    # NULL sorts first descending on PostgreSQL and last on SQLite: pin it last on both.
    page = list(papers.order_by(F("listing_date").desc(nulls_last=True), "arxiv_id")[: limit + 1])
    return page[:limit], (_cursor_of(page[limit - 1]) if len(page) > limit else None)


def get_paper(arxiv_id: str) -> Paper | None:
    """The visible paper with this id (any version suffix or arXiv URL form accepted), or None."""
    try:
        key = normalize_arxiv_id(arxiv_id)
    except (ValueError, TypeError):
        return None
    return Paper.objects.visible().filter(arxiv_id=key).first()
