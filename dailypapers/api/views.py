"""Thin views of the api app: a paper as Markdown or BibTeX, BibTeX of a search, of a
member's upvotes or of a collection, and the page where members create and revoke personal access tokens."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dailypapers.api.bibtex_export import bibtex_file, bibtex_response
from dailypapers.api.cors import allow_any_origin
from dailypapers.api.feeds import for_you_token
from dailypapers.api.listing import get_paper
from dailypapers.api.markdown import markdown_response, not_found_markdown
from dailypapers.api.models import AccessToken
from dailypapers.api.params import clean_text
from dailypapers.api.tokens import bearer_token, create_token, revoke_token, user_for_token
from dailypapers.catalog.author_pages import AuthorNotFound, author_papers, find_author
from dailypapers.catalog.bibtex import paper_bibtex as single_bibtex
from dailypapers.community.members import rotate_feed_key
from dailypapers.community.votes import upvoted_papers
from dailypapers.library.collections import CollectionNotFound, collection_papers, viewable_collection
from dailypapers.search.filters import SearchError
from dailypapers.search.service import MAX_LIMIT, search_papers

SEARCH_EXPORT_LIMIT = MAX_LIMIT  # the most one search answers
TEXT_TYPE = "text/plain; charset=utf-8"


@allow_any_origin
@require_GET
def paper_markdown(request, arxiv_id: str) -> HttpResponse:
    paper = get_paper(arxiv_id)
    return markdown_response(paper, request) if paper else not_found_markdown(arxiv_id, request)


@allow_any_origin
@require_GET
def paper_bibtex(request, arxiv_id: str) -> HttpResponse:
    paper = get_paper(arxiv_id)
    if paper is None:
        raise Http404(f"no paper {arxiv_id}")
    return bibtex_response(single_bibtex(paper) + "\n", filename=f"{paper.arxiv_id.replace('/', '_')}.bib")


@allow_any_origin
@require_GET
def search_bibtex(request) -> HttpResponse:
    try:
        query = clean_text("q", request.GET.get("q", ""), max_length=250)
    except Exception as exc:  # ninja's HttpError carries the message naming the parameter
        return HttpResponseBadRequest(str(exc), content_type=TEXT_TYPE)
    if not query:
        return HttpResponseBadRequest("q: give a search, e.g. /export/search.bib?q=diffusion", content_type=TEXT_TYPE)
    try:
        answer = search_papers(query, limit=SEARCH_EXPORT_LIMIT)
    except SearchError as error:
        return HttpResponseBadRequest(f"q: {error}\n", content_type=TEXT_TYPE)
    papers = [row["paper"] for row in answer["results"]]
    return bibtex_response(bibtex_file(papers), filename="search.bib")


@allow_any_origin
@require_GET
def author_bibtex(request, slug: str) -> HttpResponse:
    """BibTeX of all an author's papers, newest first (`/authors/<slug>.bib`)."""
    try:
        ref = find_author(slug)
    except AuthorNotFound:
        raise Http404(f"No author {slug} here.") from None
    return bibtex_response(bibtex_file(author_papers(ref)), filename=f"{ref.author.slug}.bib")


@require_GET
def upvotes_bibtex(request) -> HttpResponse:
    """The member's upvoted papers; a token in `Authorization: Bearer` works for scripts."""
    user = user_for_token(bearer_token(request)) if bearer_token(request) else request.user
    if user is None or not user.is_authenticated:
        return HttpResponse(
            "log in, or send a personal access token as Authorization: Bearer dp_…\n",
            status=401,
            content_type=TEXT_TYPE,
        )
    return bibtex_response(bibtex_file(upvoted_papers(user)), filename="upvotes.bib")


@require_GET
def collection_bibtex(request, pk: int) -> HttpResponse:
    """Any collection the viewer may see (its owner, public, unlisted with `?key=`; a token in
    `Authorization: Bearer` counts as its owner), in the collection's order."""
    viewer = user_for_token(bearer_token(request)) if bearer_token(request) else request.user
    try:
        collection = viewable_collection(pk=pk, user=viewer, key=request.GET.get("key", ""))
    except CollectionNotFound as error:
        raise Http404(str(error)) from None
    return bibtex_response(bibtex_file(collection_papers(collection)), filename=f"collection-{collection.pk}.bib")


@never_cache  # shows a new token once and the for-you feed's secret URL: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def token_settings(request) -> HttpResponse:
    created = None
    if request.method == "POST":
        _, created = create_token(user=request.user, name=request.POST.get("name", ""))
    tokens = AccessToken.objects.filter(user=request.user)
    for_you_url = request.build_absolute_uri(f"/feeds/for-you/{for_you_token(request.user)}.rss")
    return render(request, "api/tokens.html", {"tokens": tokens, "created": created, "for_you_url": for_you_url})


@login_required
@require_POST
def rotate_feed(request) -> HttpResponse:
    """A new "for you" feed address; the old one answers 404 from now on."""
    rotate_feed_key(request.user)
    return redirect("api:tokens")


@login_required
@require_POST
def revoke(request, token_id: int) -> HttpResponse:
    revoke_token(user=request.user, token_id=token_id)
    return redirect("api:tokens")
