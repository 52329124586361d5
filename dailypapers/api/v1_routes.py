"""This site's own API under `/api/v1/`: what the Hugging Face API has no endpoint for
(similar papers, trending windows, search filters, organisations, upvote, submit, comments).

Reads are open (rate-limited); writes need a personal access token or the session with CSRF
(`security.WRITE_AUTH`). Writes call the community app's functions, the same ones the pages
call; their refusals (`community.refusals.Refused`) answer the status their code has in
`STATUS_OF_CODE` (ninja_api's handler), e.g. 409 for a duplicate submission, 429 for a limit.
"""

from __future__ import annotations

from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from dailypapers.api.cors import allow_any_origin
from dailypapers.api.hf_format import HfPaper, with_submitters
from dailypapers.api.listing import get_paper
from dailypapers.api.params import CATEGORY, PLAIN_TEXT, IsoDate, clean_text
from dailypapers.api.schemas import (
    CommentIn,
    CommentOut,
    MeOut,
    OrgMemberOut,
    SubmissionIn,
    SubmissionOut,
    VoteOut,
    answers,
)
from dailypapers.api.security import WRITE_AUTH
from dailypapers.api.tokens import request_token_user
from dailypapers.catalog.author_pages import AuthorNotFound, author_record, find_author
from dailypapers.catalog.wire import AuthorRecord
from dailypapers.community.claims import claimed_by
from dailypapers.community.comments import comment_thread, post_comment
from dailypapers.community.orgs import organisation_page
from dailypapers.community.ranking import trending_papers
from dailypapers.community.submissions import submit_paper
from dailypapers.community.votes import cast_vote
from dailypapers.search.service import search_papers, similar_papers

router = Router(tags=["dailypapers"])


def _paper_or_404(arxiv_id: str):
    paper = get_paper(arxiv_id)
    if paper is None:
        raise HttpError(404, f"arxiv_id: no paper {arxiv_id[:100]!r} on this site")
    return paper


@decorate_view(allow_any_origin)
@router.get("/papers/{anytext:arxiv_id}", response=answers(HfPaper, 404), by_alias=True, summary="One paper")
def paper(request, arxiv_id: str):
    return _paper_or_404(arxiv_id)


@decorate_view(allow_any_origin)
@router.get("/authors/{slug}", response=answers(AuthorRecord, 400, 404), summary="One author")
def author(request, slug: str, limit: int = Query(20, ge=1, le=100, description="Newest papers to include.")):
    """An author by the slug of their page (`/authors/<slug>`): the name as arXiv lists it, the
    spellings merged into it, the paper count and newest papers, frequent co-authors and
    categories. A variant spelling's slug answers with its canonical author. `claimed_by` is
    the member who verified the authorship, null while nobody has."""
    try:
        ref = find_author(slug)
    except AuthorNotFound:
        raise HttpError(404, f"slug: no author {slug[:100]!r} on this site") from None
    record = author_record(ref, limit=limit, request=request)
    holder = claimed_by(ref.author)
    return record.model_copy(update={"claimed_by": holder.username if holder else None})


@decorate_view(allow_any_origin)
@router.get(
    "/similar/{anytext:arxiv_id}",
    response=answers(list[HfPaper], 400, 404),
    by_alias=True,
    summary="Papers similar to one paper",
)
def similar(request, arxiv_id: str, limit: int = Query(10, ge=1, le=50)):
    """Nearest papers by meaning (the search app's embeddings)."""
    return with_submitters(row["paper"] for row in similar_papers(_paper_or_404(arxiv_id), limit=limit))


@decorate_view(allow_any_origin)
@router.get("/trending", response=answers(list[HfPaper], 400), by_alias=True, summary="Trending papers")
def trending(
    request,
    window: Literal["", "day", "week", "month"] = Query(
        "",
        description=(
            "Empty: all featured papers by hotness (the published formula); day/week/month: by upvotes among papers "
            "featured in that window."
        ),
    ),
    limit: int = Query(20, ge=1, le=100),
):
    return with_submitters(trending_papers(window=window, limit=limit))


@decorate_view(allow_any_origin)
@router.get("/search", response=answers(list[HfPaper], 400), by_alias=True, summary="Search with filters")
def search(
    request,
    q: str = Query(..., max_length=250, pattern=PLAIN_TEXT, description="Search text."),
    category: str | None = Query(None, max_length=32, pattern=CATEGORY, description="arXiv category, e.g. cs.CL."),
    date_from: IsoDate | None = Query(None, description="Earliest arXiv date, YYYY-MM-DD."),
    date_to: IsoDate | None = Query(None, description="Latest arXiv date, YYYY-MM-DD."),
    has_code: bool | None = Query(None, description="Only papers with a code repository."),
    mode: Literal["hybrid", "keyword", "meaning"] = Query(
        "hybrid", description="hybrid: keyword and meaning fused; keyword; meaning."
    ),
    sort: Literal["relevance", "newest", "upvotes"] = "relevance",
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=10000),
):
    query = clean_text("q", q, max_length=250)
    if not query:
        return []
    answer = search_papers(
        query,
        category=clean_text("category", category, max_length=32),
        date_from=date_from,
        date_to=date_to,
        has_code=has_code,
        sort=sort,
        mode=mode,
        limit=limit,
        offset=offset,
    )
    return with_submitters(row["paper"] for row in answer["results"])


class OrgOut(Schema):
    slug: str
    name: str
    description: str
    url: str
    members: list[OrgMemberOut]
    num_papers: int = Field(description="All its visible papers; `papers` is one page of them.")
    page: int
    num_pages: int
    papers: list[HfPaper]


@decorate_view(allow_any_origin)
@router.get("/orgs/{slug}", response=answers(OrgOut, 400, 404), by_alias=True, summary="One organisation")
def org(
    request,
    slug: str,
    sort: Literal["newest", "trending"] = "newest",
    page: int = Query(1, ge=1, le=10000, description="Pages of 30 papers, as on /orgs/<slug>."),
):
    """The organisation, its members and a page of its papers: the data of its page `/orgs/<slug>`."""
    try:
        data = organisation_page(slug=slug, sort=sort, page=page)
    except Http404:
        raise HttpError(404, f"slug: no organisation {slug[:80]!r} on this site") from None
    org = data["org"]
    return {
        "slug": org.slug,
        "name": org.name,
        "description": org.description,
        "url": org.url,
        "members": [{"username": m.user.get_username(), "role": m.role} for m in data["members"]],
        "num_papers": data["num_papers"],
        "page": data["page"],
        "num_pages": data["num_pages"],
        "papers": with_submitters(data["papers"]),
    }


@router.get("/me", auth=WRITE_AUTH, response=answers(MeOut, 401), summary="Who the token or session belongs to")
def me(request):
    by = "token" if request_token_user(request) else "session"
    return {"username": request.auth.get_username(), "authenticated_by": by}


def _vote(request, arxiv_id: str, *, up: bool) -> dict:
    paper = _paper_or_404(arxiv_id)
    result = cast_vote(user=request.auth, paper_id=paper.pk, up=up)
    return {"arxiv_id": paper.arxiv_id, "upvoted": result["voted"], "upvotes": result["upvotes"]}


@router.post(
    "/upvotes/{anytext:arxiv_id}", auth=WRITE_AUTH, response=answers(VoteOut, 401, 403, 404), summary="Upvote a paper"
)
def upvote(request, arxiv_id: str):
    return _vote(request, arxiv_id, up=True)


@router.delete(
    "/upvotes/{anytext:arxiv_id}",
    auth=WRITE_AUTH,
    response=answers(VoteOut, 401, 403, 404),
    summary="Withdraw an upvote",
)
def remove_upvote(request, arxiv_id: str):
    return _vote(request, arxiv_id, up=False)


@router.post(
    "/submissions",
    auth=WRITE_AUTH,
    response=answers(SubmissionOut, 400, 401, 403, 404, 409, 503),
    summary="Submit a paper to the daily feed",
)
def submit(request, body: SubmissionIn):
    paper = submit_paper(
        user=request.auth, text=body.arxiv_id, comment=body.comment, organisation=body.organisation
    ).paper
    featured_on = paper.featured_on.isoformat() if paper.featured_on else None
    return {"arxiv_id": paper.arxiv_id, "featured_on": featured_on, "message": "on the daily feed"}


def _comment_out(comment) -> dict:
    visible = comment.visible
    return {
        "id": comment.pk,
        "author": comment.user.get_username() if visible else "",
        "body": comment.body if visible else "[deleted]",
        "parent_id": comment.parent_id,
        "created_at": comment.created_at.isoformat(),
    }


@decorate_view(allow_any_origin)
@router.get("/comments/{anytext:arxiv_id}", response=answers(list[CommentOut], 404), summary="Comments on a paper")
def comments(request, arxiv_id: str):
    flat = []
    for entry in comment_thread(paper=_paper_or_404(arxiv_id)):
        flat += [entry["comment"], *entry["replies"]]
    return [_comment_out(comment) for comment in flat]


@router.post(
    "/comments/{anytext:arxiv_id}",
    auth=WRITE_AUTH,
    response=answers(CommentOut, 400, 401, 403, 404),
    summary="Comment on a paper",
)
def add_comment(request, arxiv_id: str, body: CommentIn):
    return _comment_out(post_comment(user=request.auth, paper=_paper_or_404(arxiv_id), body=body.body))
