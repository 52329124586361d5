"""Where the API, feeds, CLI and MCP tools call into the community and search apps.

Writes go through the community app's own functions (`cast_vote`, `submit_paper`,
`post_comment`), the same ones the pages call, and their refusals become HTTP errors here.
Search and similar papers are the search app's (`search_papers`, `similar_papers`).
"""

from __future__ import annotations

from ninja.errors import HttpError

from dailypapers.catalog.models import Paper


# --- who submitted what ---------------------------------------------------------------
def _hf_user(user) -> dict:
    name = user.get_username()
    return {"_id": str(user.pk), "user": name, "name": name, "fullname": user.get_full_name() or name, "avatarUrl": "", "type": "user", "isPro": False}


def submitted_paper_ids(username: str):
    from dailypapers.community.models import Submission

    return Submission.objects.filter(user__username=username).values_list("paper_id", flat=True)


def submitters_for(papers) -> dict[int, dict]:
    """{paper pk: HF user object} for the papers a member submitted, in one query."""
    from dailypapers.community.models import Submission

    rows = Submission.objects.filter(paper_id__in=[p.pk for p in papers]).select_related("user")
    return {row.paper_id: _hf_user(row.user) for row in rows}


def submitter_of(paper) -> dict | None:
    return submitters_for([paper]).get(paper.pk)


# --- search -------------------------------------------------------------------------
def search(query: str, *, limit: int = 20, offset: int = 0, **filters) -> list[Paper]:
    """Papers matching `query` by the search app's hybrid search (keyword + meaning).
    Raises the search app's SearchError (a ValueError naming the parameter) for bad filters."""
    from dailypapers.search.service import MAX_LIMIT, search_papers

    filters = {k: v for k, v in filters.items() if v is not None}
    return _papers_of(search_papers(query, limit=min(limit, MAX_LIMIT), offset=offset, **filters))


def _papers_of(result) -> list[Paper]:
    """The visible Paper objects of a search answer (`{"results": [{"paper": …}, …]}`) or result list."""
    rows = result["results"] if isinstance(result, dict) else result
    return [row["paper"] for row in rows if not row["paper"].hidden]


def similar_or_related(paper: Paper, *, limit: int) -> list[Paper]:
    """Nearest papers by meaning; before the paper is embedded, a keyword search on its title."""
    from dailypapers.search.service import similar_papers

    found = _papers_of(similar_papers(paper, limit=limit)) or search(paper.title, limit=limit + 1)
    return [p for p in found if p.pk != paper.pk][:limit]


# --- trending and "for you" -----------------------------------------------------------
def trending(*, window: str = "", limit: int = 20) -> list[Paper]:
    """The trending list of the pages: by hotness, or by upvotes within day / week / month."""
    from dailypapers.community.ranking import trending_papers

    return trending_papers(window=window, limit=limit)


def for_you_papers(*, user, limit: int = 30) -> list[tuple[Paper, str]]:
    """A member's "for you" list as (paper, why it is there)."""
    from dailypapers.community.foryou import for_you

    return [(item["paper"], item.get("reason") or "") for item in for_you(user=user, limit=limit)["items"]]


def upvoted_papers(user) -> list[Paper]:
    from dailypapers.community.models import Vote

    return [v.paper for v in Vote.objects.filter(user=user, paper__hidden=False).select_related("paper").order_by("-created_at")]


# --- writes -------------------------------------------------------------------------
def _refusals():
    from dailypapers.community.comments import CommentRefused
    from dailypapers.community.members import NotAllowed
    from dailypapers.community.submissions import SubmissionRefused

    return NotAllowed, (CommentRefused, SubmissionRefused)


def refusal_status(message: str) -> int:
    """The HTTP status of a community refusal; its messages start with the rule's name."""
    lowered = message.lower()
    if lowered.startswith(("rate limit", "daily limit")):
        return 429
    if lowered.startswith(("duplicate", "too old", "age:")) or "was removed by the moderators" in lowered:
        return 409
    if "has no paper" in lowered or "not in the catalogue" in lowered:
        return 404
    if "did not answer" in lowered:  # arXiv is down or slow: ours to retry later, not the client's fault
        return 503
    return 400


def _as_http_error(call):
    not_allowed, refused = _refusals()
    try:
        return call()
    except not_allowed as exc:
        raise HttpError(403, str(exc) or "not allowed") from None
    except refused as exc:
        raise HttpError(refusal_status(str(exc)), str(exc)) from None


def set_vote(*, user, paper: Paper, up: bool) -> dict:
    from dailypapers.community.votes import cast_vote

    result = _as_http_error(lambda: cast_vote(user=user, paper_id=paper.pk, up=up))
    return {"arxiv_id": paper.arxiv_id, "upvoted": result["voted"], "upvotes": result["upvotes"]}


def submit(*, user, arxiv_id: str, comment: str = "") -> dict:
    from dailypapers.community.submissions import submit_paper

    submission = _as_http_error(lambda: submit_paper(user=user, text=arxiv_id, comment=comment))
    paper = submission.paper
    return {"arxiv_id": paper.arxiv_id, "featured_on": paper.featured_on.isoformat() if paper.featured_on else None, "message": "on the daily feed"}


def comments(*, paper: Paper) -> list[dict]:
    from dailypapers.community.comments import comment_thread

    flat = []
    for entry in comment_thread(paper=paper):
        flat.append(entry["comment"])
        flat.extend(entry["replies"])
    return [_comment_dict(c) for c in flat]


def add_comment(*, user, paper: Paper, body: str) -> dict:
    from dailypapers.community.comments import post_comment

    return _comment_dict(_as_http_error(lambda: post_comment(user=user, paper=paper, body=body)))


def _comment_dict(comment) -> dict:
    visible = comment.visible
    return {
        "id": comment.pk,
        "author": comment.user.get_username() if visible else "",
        "body": comment.body if visible else "[deleted]",
        "parent_id": comment.parent_id,
        "created_at": comment.created_at.isoformat(),
    }
