"""This site's own API under `/api/v1/`: what the Hugging Face API has no endpoint for
(similar papers, trending windows, search filters, upvote, submit, comments).

Reads are open (rate-limited); writes need a personal access token or the session with CSRF
(`security.WRITE_AUTH`). Writes call the community app's functions, the same ones the pages
call; their refusals answer 400 (bad input), 404, 409 (a rule refuses) or 429 (a limit).
"""

from __future__ import annotations

from typing import Literal, Optional

from ninja import Query, Router
from ninja.errors import HttpError

from dailypapers.api import community_bridge as community
from dailypapers.api.hf_format import hf_paper
from dailypapers.api.listing import get_paper
from dailypapers.api.params import CATEGORY, PLAIN_TEXT, IsoDate, clean_text
from dailypapers.api.schemas import CommentIn, CommentOut, Error, HfPaper, MeOut, SubmissionIn, SubmissionOut, VoteOut
from dailypapers.api.security import WRITE_AUTH
from dailypapers.api.tokens import request_token_user

router = Router(tags=["dailypapers"])


def _paper_or_404(arxiv_id: str):
    paper = get_paper(arxiv_id)
    if paper is None:
        raise HttpError(404, f"Paper not found: {arxiv_id[:100]!r}")
    return paper


@router.get("/papers/{anytext:arxiv_id}", response={200: HfPaper, 404: Error}, by_alias=True, summary="One paper")
def paper(request, arxiv_id: str):
    return hf_paper(_paper_or_404(arxiv_id))


@router.get("/similar/{anytext:arxiv_id}", response={200: list[HfPaper], 400: Error, 404: Error}, by_alias=True, summary="Papers similar to one paper")
def similar(request, arxiv_id: str, limit: int = Query(10, ge=1, le=50)):
    """Nearest papers by meaning (the search app's embeddings; keyword similarity of the title without them)."""
    return [hf_paper(p) for p in community.similar_or_related(_paper_or_404(arxiv_id), limit=limit)]


@router.get("/trending", response={200: list[HfPaper], 400: Error}, by_alias=True, summary="Trending papers")
def trending(request, window: Literal["", "day", "week", "month"] = Query("", description="Empty: all featured papers by hotness (the published formula); day/week/month: by upvotes among papers featured in that window."), limit: int = Query(20, ge=1, le=100)):
    return [hf_paper(p) for p in community.trending(window=window, limit=limit)]


@router.get("/search", response={200: list[HfPaper], 400: Error}, by_alias=True, summary="Search with filters")
def search(
    request,
    q: str = Query(..., max_length=250, pattern=PLAIN_TEXT, description="Search text."),
    category: Optional[str] = Query(None, max_length=32, pattern=CATEGORY, description="arXiv category, e.g. cs.CL."),
    date_from: Optional[IsoDate] = Query(None, description="Earliest arXiv date, YYYY-MM-DD."),
    date_to: Optional[IsoDate] = Query(None, description="Latest arXiv date, YYYY-MM-DD."),
    has_code: Optional[bool] = Query(None, description="Only papers with a code repository."),
    mode: Literal["hybrid", "keyword", "meaning"] = Query("hybrid", description="hybrid: keyword and meaning fused; keyword; meaning."),
    sort: Literal["relevance", "newest", "upvotes"] = "relevance",
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=10000),
):
    query = clean_text("q", q, max_length=250)
    if not query:
        return []
    filters = {"category": clean_text("category", category, max_length=32), "date_from": date_from, "date_to": date_to, "has_code": has_code, "sort": sort, "mode": mode}
    return [hf_paper(p) for p in community.search(query, limit=limit, offset=offset, **filters)]


@router.get("/me", auth=WRITE_AUTH, response={200: MeOut, 401: Error}, summary="Who the token or session belongs to")
def me(request):
    by = "token" if request_token_user(request) else "session"
    return {"username": request.auth.get_username(), "authenticated_by": by}


@router.post("/upvotes/{anytext:arxiv_id}", auth=WRITE_AUTH, response={200: VoteOut, 401: Error, 403: Error, 404: Error}, summary="Upvote a paper")
def upvote(request, arxiv_id: str):
    return community.set_vote(user=request.auth, paper=_paper_or_404(arxiv_id), up=True)


@router.delete("/upvotes/{anytext:arxiv_id}", auth=WRITE_AUTH, response={200: VoteOut, 401: Error, 403: Error, 404: Error}, summary="Withdraw an upvote")
def remove_upvote(request, arxiv_id: str):
    return community.set_vote(user=request.auth, paper=_paper_or_404(arxiv_id), up=False)


@router.post("/submissions", auth=WRITE_AUTH, response={200: SubmissionOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 429: Error, 503: Error}, summary="Submit a paper to the daily feed")
def submit(request, body: SubmissionIn):
    return community.submit(user=request.auth, arxiv_id=body.arxiv_id, comment=body.comment)


@router.get("/comments/{anytext:arxiv_id}", response={200: list[CommentOut], 404: Error}, summary="Comments on a paper")
def comments(request, arxiv_id: str):
    return community.comments(paper=_paper_or_404(arxiv_id))


@router.post("/comments/{anytext:arxiv_id}", auth=WRITE_AUTH, response={200: CommentOut, 400: Error, 401: Error, 403: Error, 404: Error, 429: Error}, summary="Comment on a paper")
def add_comment(request, arxiv_id: str, body: CommentIn):
    return community.add_comment(user=request.auth, paper=_paper_or_404(arxiv_id), body=body.body)
