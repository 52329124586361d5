"""The paper look-ups offered to programs outside the web: MCP tools and the `papers` command.

Plain functions with keyword arguments returning the catalogue's paper records
(`catalog.wire.PaperRecord`; the one paper of `get_paper` with its abstract); bad input raises
`ToolInputError` naming the argument. The MCP server and the CLI are thin shells over these.
"""

from __future__ import annotations

from pydantic import Field

from dailypapers.alerts.records import MatchRecord, match_record
from dailypapers.alerts.saved import by_token, recent_matches
from dailypapers.api.listing import ListingError, parse_window
from dailypapers.api.listing import daily_papers as daily_queryset
from dailypapers.api.listing import get_paper as find_paper
from dailypapers.catalog.author_pages import AuthorNotFound, author_record, find_author
from dailypapers.catalog.wire import AuthorRecord, PaperRecord, PaperRecordWithAbstract
from dailypapers.community.ranking import trending_papers as ranked_papers
from dailypapers.search.filters import SearchError
from dailypapers.search.service import search_papers as search_service
from dailypapers.search.service import similar_papers as similar_service

MAX_LIMIT = 100
WINDOWS = ("", "day", "week", "month")


class ToolInputError(ValueError):
    """An argument we cannot use; the message names it."""


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ToolInputError(f"limit: expected a whole number from 1 to {MAX_LIMIT}, got {limit!r}")
    return limit


def _paper(arxiv_id: str):
    paper = find_paper(arxiv_id or "")
    if paper is None:
        raise ToolInputError(f"arxiv_id: no paper {arxiv_id!r} on this site")
    return paper


def search_papers(
    *, query: str, limit: int = 10, category: str | None = None, has_code: bool | None = None
) -> list[PaperRecordWithAbstract]:
    query = (query or "").strip()
    if not query:
        raise ToolInputError("query: give some words, a title or an arXiv id")
    try:
        answer = search_service(query[:250], limit=_limit(limit), category=category or None, has_code=has_code)
    except SearchError as exc:
        raise ToolInputError(str(exc)) from None
    return [PaperRecordWithAbstract.of(row["paper"]) for row in answer["results"]]


def get_paper(*, arxiv_id: str) -> PaperRecordWithAbstract:
    return PaperRecordWithAbstract.of(_paper(arxiv_id))


def daily_papers(
    *, date: str | None = None, week: str | None = None, month: str | None = None, limit: int = 20
) -> list[PaperRecord]:
    """The daily feed: one day, ISO week or month (by the day papers joined it); default: latest."""
    try:
        window = parse_window(date=date, week=week, month=month)
    except ListingError as exc:
        raise ToolInputError(str(exc)) from None
    papers = daily_queryset(window=window)
    if window is None:  # "today": the latest day that has papers
        latest = papers.values_list("featured_on", flat=True).first()
        papers = papers.filter(featured_on=latest) if latest else papers
    return [PaperRecord.of(p) for p in papers[: _limit(limit)]]


def trending_papers(*, window: str = "", limit: int = 20) -> list[PaperRecord]:
    """By hotness (window ""), or by upvotes among papers featured in the last day/week/month."""
    if window not in WINDOWS:
        raise ToolInputError(f"window: expected day, week, month or empty, got {window!r}")
    return [PaperRecord.of(p) for p in ranked_papers(window=window, limit=_limit(limit))]


def similar_papers(*, arxiv_id: str, limit: int = 10) -> list[PaperRecord]:
    rows = similar_service(_paper(arxiv_id), limit=_limit(limit))
    return [PaperRecord.of(row["paper"]) for row in rows]


def new_papers_for(*, saved_search: str, limit: int = 20) -> list[MatchRecord]:
    """A saved search's newest matches, each saying why; `saved_search` is its private token
    (the last part of its feed URL), so only who holds the URL can read it."""
    saved = by_token(saved_search)
    if saved is None or not saved.user.is_active:
        raise ToolInputError("saved_search: no saved search has this token (copy it from its page's feed URL)")
    return [match_record(match) for match in recent_matches(saved, limit=_limit(limit))]


def get_author(*, slug: str, limit: int = 20) -> AuthorRecord:
    """An author by the slug of their page (`/authors/<slug>`; a variant's slug gives the
    canonical author): names, newest papers, co-authors, categories."""
    try:
        ref = find_author((slug or "").strip().removeprefix("/authors/"))
    except AuthorNotFound:
        raise ToolInputError(f"slug: no author {slug!r} on this site (author pages are /authors/<slug>)") from None
    return author_record(ref, limit=_limit(limit))


class ForYouRecord(PaperRecord):
    """A paper of a member's "for you" feed, with why it is there."""

    reason: str = Field(description="Why it is recommended, e.g. 'Like “X” that you saved' or 'By A, whom you follow'.")


def for_you(*, user, limit: int = 20) -> list[ForYouRecord]:
    """The member's "for you" feed (community.foryou, the ranking the page and feed use)."""
    from dailypapers.community.foryou import for_you as ranked_for_you

    items = ranked_for_you(user=user, limit=_limit(limit))["items"]
    return [ForYouRecord(**PaperRecord.of(item["paper"]).model_dump(), reason=item["reason"]) for item in items]


def for_you_with_token(*, token: str, limit: int = 20) -> list[ForYouRecord]:
    """`for_you` for the member owning this personal API token (Settings → API tokens)."""
    from dailypapers.api.tokens import user_for_token

    user = user_for_token((token or "").strip())
    if user is None:
        raise ToolInputError("token: not a valid personal API token (make one on the API tokens page)")
    return for_you(user=user, limit=limit)
