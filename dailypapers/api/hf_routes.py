"""Hugging Face papers API-compatible routes: same paths, parameters and field names, so
`huggingface_hub.HfApi(endpoint=<this site>)` works (`list_daily_papers`, `paper_info`,
`list_papers`). Paging follows HF: `p`/`limit` on the daily list, `cursor`/`limit` on the full
index, and a `Link: <…>; rel="next"` header whenever another page exists.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlencode

from django.http import HttpResponse
from ninja import Query, Router
from ninja.errors import HttpError

from dailypapers.api.cors import allow_any_origin
from dailypapers.api.hf_format import HfDailyItem, HfPaper, HfPaperInfo, with_submitters
from dailypapers.api.listing import all_papers_page, daily_papers, get_paper, parse_window
from dailypapers.api.params import CURSOR, PLAIN_TEXT, IsoDate, IsoMonth, IsoWeek, clean_text
from dailypapers.api.schemas import answers
from dailypapers.catalog.site import absolute_url
from dailypapers.search.service import MAX_LIMIT, search_papers

router = Router(tags=["Hugging Face compatible"])
router.add_decorator(allow_any_origin, mode="view")  # every route here is a public read


def _next_link(request, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f'<{absolute_url(request.path, request)}?{query}>; rel="next"'


@router.get(
    "/daily_papers",
    response=answers(list[HfDailyItem], 400, 404),
    by_alias=True,
    summary="Daily papers (HF-compatible)",
)
def list_daily_papers(
    request,
    response: HttpResponse,
    date: IsoDate | None = Query(None, description="Feed day, YYYY-MM-DD."),
    week: IsoWeek | None = Query(None, description="ISO week, YYYY-Www (e.g. 2025-W09; years 1990 to 2999)."),
    month: IsoMonth | None = Query(None, description="Month, YYYY-MM (years 1990 to 2999)."),
    submitter: str | None = Query(
        None, max_length=150, pattern=PLAIN_TEXT, description="User name of the member who submitted the paper."
    ),
    sort: Literal["publishedAt", "trending"] = Query(
        "publishedAt", description="publishedAt: newest feed day first, by upvotes within a day; trending: by hotness."
    ),
    p: int = Query(0, ge=0, le=10000, description="Page number, from 0."),
    limit: int = Query(50, ge=1, le=100, description="Papers per page."),
):
    """Papers on the daily feed, filtered by the day, ISO week or month they joined it."""
    submitter = clean_text("submitter", submitter, max_length=150)
    window = parse_window(date=date, week=clean_text("week", week), month=clean_text("month", month))
    papers = list(daily_papers(window=window, sort=sort, submitter=submitter)[p * limit : (p + 1) * limit + 1])
    if len(papers) > limit:
        response["Link"] = _next_link(
            request,
            date=date.isoformat() if date else None,
            week=week,
            month=month,
            submitter=submitter,
            sort=sort,
            p=p + 1,
            limit=limit,
        )
    return with_submitters(papers[:limit])


@router.get(
    "/papers/search", response=answers(list[HfDailyItem], 400), by_alias=True, summary="Search papers (HF-compatible)"
)
def search(
    request,
    q: str = Query(
        "", max_length=250, pattern=PLAIN_TEXT, description="Search text (keywords, a title or an arXiv id)."
    ),
    limit: int = Query(20, ge=1, le=120, description="Most results to return."),
):
    """Hybrid keyword and semantic search over titles, authors and abstracts."""
    query = clean_text("q", q, max_length=250)
    if not query:
        return []
    # HF allows up to 120; our search answers at most its MAX_LIMIT (100) at a time.
    answer = search_papers(query, limit=min(limit, MAX_LIMIT))
    return with_submitters(row["paper"] for row in answer["results"])


@router.get("/papers", response=answers(list[HfPaper], 400), by_alias=True, summary="All papers (HF-compatible)")
def list_all_papers(
    request,
    response: HttpResponse,
    cursor: str | None = Query(None, pattern=CURSOR, description="Opaque cursor from the previous page's Link header."),
    limit: int = Query(50, ge=1, le=100),
):
    """Every paper in the index, newest arXiv listing day first, then by arXiv id."""
    papers, next_cursor = all_papers_page(cursor=clean_text("cursor", cursor, max_length=40), limit=limit)
    if next_cursor:
        response["Link"] = _next_link(request, cursor=next_cursor, limit=limit)
    return with_submitters(papers)


@router.get(
    "/papers/{anytext:arxiv_id}", response=answers(HfPaperInfo, 404), by_alias=True, summary="One paper (HF-compatible)"
)
def paper_info(request, arxiv_id: str):
    """One paper by arXiv id (new style `2503.11731`, old style `hep-th/9901001`, any version suffix)."""
    paper = get_paper(arxiv_id)
    if paper is None:
        raise HttpError(404, f"Paper not found: {arxiv_id[:100]!r}")
    return paper
