"""The paper lists the API, feeds, CLI and MCP tools serve, as plain query functions.

Windows follow the Hugging Face daily-papers API: `date=YYYY-MM-DD`, `week=YYYY-Www` (ISO
week), `month=YYYY-MM`, all on the day a paper joined the daily feed (`featured_on`), not its
arXiv date. Every function returns visible papers only (moderators' `hidden` flag is respected)
and raises `ListingError` with the parameter's name for bad input, so views answer 400.
"""

from __future__ import annotations

from django.db.models import QuerySet

from dailypapers.catalog import feed
from dailypapers.catalog.arxiv_ids import normalize_arxiv_id
from dailypapers.catalog.feed import Window
from dailypapers.catalog.models import Paper

DAILY_SORTS = ("publishedAt", "trending")


class ListingError(ValueError):
    """A query parameter we cannot use; `param` names it."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param


def parse_window(*, date: str | None = None, week: str | None = None, month: str | None = None) -> Window | None:
    """The featured-day window asked for (the pages' own parsers), or None for "all days"."""
    given = [(name, value) for name, value in (("date", date), ("week", week), ("month", month)) if value]
    if len(given) > 1:
        raise ListingError(given[1][0], f"give only one of date, week, month (got {', '.join(n for n, _ in given)})")
    if not given:
        return None
    name, value = given[0]
    try:
        if name == "date":
            day = feed.parse_day(value)
            return Window(day, day)
        return feed.parse_week(value) if name == "week" else feed.parse_month(value)
    except feed.FeedParameterError as exc:
        raise ListingError(name, f"expected {exc.expected}, got {value!r}") from None
    except (ValueError, OverflowError):  # e.g. the month after 9999-12 does not exist
        raise ListingError(name, f"out of range: {value!r}") from None


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
    from dailypapers.api.community_bridge import submitted_paper_ids

    return submitted_paper_ids(username)


def all_papers_page(*, cursor: str | None = None, limit: int = 50) -> tuple[list[Paper], str | None]:
    """Every indexed paper, newest arXiv date first, keyset-paged by an opaque cursor."""
    papers = visible_papers().order_by("-published", "-pk")
    if cursor:
        try:
            pk = int(cursor)
            anchor = Paper.objects.only("published", "pk").get(pk=pk)
        except (ValueError, Paper.DoesNotExist, OverflowError):
            raise ListingError("cursor", f"not a cursor this server handed out: {cursor!r}") from None
        if anchor.published is None:
            papers = papers.filter(published__isnull=True, pk__lt=pk)
        else:
            from django.db.models import Q

            papers = papers.filter(Q(published__lt=anchor.published) | Q(published=anchor.published, pk__lt=pk) | Q(published__isnull=True))
    # NULL dates sort first on PostgreSQL descending and last on SQLite: pin them last on both.
    from django.db.models import F

    papers = papers.order_by(F("published").desc(nulls_last=True), "-pk")
    page = list(papers[: limit + 1])
    next_cursor = str(page[limit - 1].pk) if len(page) > limit else None
    return page[:limit], next_cursor


def get_paper(arxiv_id: str) -> Paper | None:
    """The visible paper with this id (any version suffix or arXiv URL form accepted), or None."""
    try:
        key = normalize_arxiv_id(arxiv_id)
    except (ValueError, TypeError):
        return None
    return visible_papers().filter(arxiv_id=key).first()
