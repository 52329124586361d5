"""Pages for claims: claim an author, set your paper's links, hide a paper from your profile.
Thin views over community/claims.py; every one is a POST that goes back to `next`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.views.decorators.http import require_POST

from dailypapers.catalog.author_links import author_path
from dailypapers.catalog.author_pages import AuthorNotFound, find_author
from dailypapers.community.claims import claim_author, set_paper_links, set_profile_hidden
from dailypapers.community.models import AuthorClaim
from dailypapers.community.refusals import Refused
from dailypapers.community.templatetags.community import paper_url
from dailypapers.community.views import _back, _login_first, _paper, _refusal


@require_POST
def claim(request, slug: str):
    if not request.user.is_authenticated:
        return _login_first(request)
    try:  # the author whose page this is: a merged spelling's slug claims the canonical author
        author = find_author(slug).author
    except AuthorNotFound:
        raise Http404("No such author") from None
    try:
        result = claim_author(user=request.user, author=author)
    except Refused as exc:
        return _refusal(request, exc)
    if result.status == AuthorClaim.VERIFIED:
        messages.success(request, f"You are now the verified author {result.author.name}. {result.note}.")
    else:
        messages.info(request, f"Your claim on {result.author.name} is waiting. {result.note}")
    return _back(request, author_path(result.author.slug or slug))


@require_POST
def paper_links(request, arxiv_id: str):
    if not request.user.is_authenticated:
        return _login_first(request)
    paper = _paper(arxiv_id)
    try:
        changes = set_paper_links(
            user=request.user,
            paper=paper,
            code_url=request.POST.get("code_url", ""),
            project_url=request.POST.get("project_url", ""),
        )
    except Refused as exc:
        return _refusal(request, exc)
    messages.success(request, "Links saved." if changes else "The links were already so.")
    return _back(request, paper_url(paper))


@require_POST
def profile_visibility(request, arxiv_id: str, hidden: bool):
    if not request.user.is_authenticated:
        return _login_first(request)
    paper = _paper(arxiv_id)
    try:
        set_profile_hidden(user=request.user, paper=paper, hidden=hidden)
    except Refused as exc:
        return _refusal(request, exc)
    return _back(request, f"/members/{request.user.get_username()}#authored")
