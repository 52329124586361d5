"""The card and paper-page buttons of the library app: save a paper (to "Saved for later" or a
chosen collection), and mark it read or not interested. POSTs; htmx gets the buttons block
back (web/templatetags/library_actions.py), a plain form post a redirect to `next`.
The rules are the library app's functions; this module only reads the request."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from dailypapers.community.templatetags.community import paper_url
from dailypapers.community.views import _back, _login_first, _paper, _refused
from dailypapers.library.collections import LibraryError, add_paper, default_collection, owned_collection, remove_paper
from dailypapers.library.reading import clear_reading_state, set_reading_state
from dailypapers.web.templatetags.library_actions import render_actions


def _answer(request, paper):
    if request.htmx:
        return HttpResponse(render_actions(request, paper))
    return _back(request, paper_url(paper))


@require_POST
def save(request, arxiv_id: str):
    """`action=save` (to `collection`, default "Saved for later") or `action=unsave`."""
    if not request.user.is_authenticated:
        return _login_first(request)
    paper = _paper(arxiv_id)
    try:
        if request.POST.get("action") == "unsave":
            chosen = request.POST.get("collection")
            collection = owned_collection(user=request.user, pk=chosen) if chosen else default_collection(request.user)
            remove_paper(collection=collection, paper_id=paper.pk)
        else:
            chosen = request.POST.get("collection")
            collection = owned_collection(user=request.user, pk=chosen) if chosen else None
            add_paper(user=request.user, paper=paper, collection=collection)
    except LibraryError as error:
        return _refused(request, str(error), error.status)
    return _answer(request, paper)


@require_POST
def reading_state(request, arxiv_id: str):
    """`state=read`, `not_interested` or `clear`."""
    if not request.user.is_authenticated:
        return _login_first(request)
    paper = _paper(arxiv_id)
    state = request.POST.get("state", "")
    try:
        if state == "clear":
            clear_reading_state(user=request.user, paper=paper)
        else:
            set_reading_state(user=request.user, paper=paper, state=state)
    except LibraryError as error:
        return _refused(request, str(error), error.status)
    return _answer(request, paper)
