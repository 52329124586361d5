"""The paper look-ups offered to programs outside the web: MCP tools and the `papers` command.

Plain functions with keyword arguments returning plain JSON-ready data; bad input raises
`ToolInputError` naming the argument. The MCP server and the CLI are thin shells over these.
"""

from __future__ import annotations

from dailypapers.api import community_bridge as community
from dailypapers.api.hf_format import paper_url
from dailypapers.api.listing import ListingError, daily_papers as daily_queryset, get_paper as find_paper, parse_window
from dailypapers.catalog.models import Paper
from dailypapers.search.filters import SearchError

MAX_LIMIT = 100


class ToolInputError(ValueError):
    """An argument we cannot use; the message names it."""


def paper_record(paper: Paper, *, with_abstract: bool = True) -> dict:
    record = {
        "id": paper.arxiv_id,
        "title": paper.title,
        "authors": paper.author_names,
        "published": paper.published.date().isoformat() if paper.published else None,
        "featured_on": paper.featured_on.isoformat() if paper.featured_on else None,
        "categories": list(paper.categories or []),
        "upvotes": paper.upvotes,
        "comments": paper.num_comments,
        "url": paper_url(paper),
        "arxiv_url": paper.abs_url,
        "pdf_url": paper.pdf_url,
        "code_url": paper.code_url or None,
        "project_url": paper.project_url or None,
    }
    if with_abstract:
        record["abstract"] = paper.abstract
    return record


def _limit(limit: int) -> int:
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ToolInputError(f"limit: expected a whole number from 1 to {MAX_LIMIT}, got {limit!r}")
    return limit


def search_papers(*, query: str, limit: int = 10, category: str | None = None, has_code: bool | None = None) -> list[dict]:
    query = (query or "").strip()
    if not query:
        raise ToolInputError("query: give some words, a title or an arXiv id")
    limit = _limit(limit)
    try:
        papers = community.search(query[:250], limit=limit, category=category or None, has_code=has_code)
    except SearchError as exc:
        raise ToolInputError(str(exc)) from None
    return [paper_record(p) for p in papers]


def get_paper(*, arxiv_id: str) -> dict:
    paper = find_paper(arxiv_id or "")
    if paper is None:
        raise ToolInputError(f"arxiv_id: no paper {arxiv_id!r} on this site")
    return paper_record(paper)


def daily_papers(*, date: str | None = None, week: str | None = None, month: str | None = None, limit: int = 20) -> list[dict]:
    """The daily feed: one day, ISO week or month (by the day papers joined it); default: latest."""
    try:
        window = parse_window(date=date, week=week, month=month)
    except ListingError as exc:
        raise ToolInputError(str(exc)) from None
    papers = daily_queryset(window=window)
    if window is None:  # "today": the latest day that has papers
        latest = papers.values_list("featured_on", flat=True).first()
        papers = papers.filter(featured_on=latest) if latest else papers
    return [paper_record(p, with_abstract=False) for p in papers[: _limit(limit)]]


def trending_papers(*, window: str = "", limit: int = 20) -> list[dict]:
    """By hotness (window ""), or by upvotes among papers featured in the last day/week/month."""
    if window not in ("", "day", "week", "month"):
        raise ToolInputError(f"window: expected day, week, month or empty, got {window!r}")
    return [paper_record(p, with_abstract=False) for p in community.trending(window=window, limit=_limit(limit))]


def similar_papers(*, arxiv_id: str, limit: int = 10) -> list[dict]:
    paper = find_paper(arxiv_id or "")
    if paper is None:
        raise ToolInputError(f"arxiv_id: no paper {arxiv_id!r} on this site")
    return [paper_record(p, with_abstract=False) for p in community.similar_or_related(paper, limit=_limit(limit))]
