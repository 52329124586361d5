"""Saved-search pages: save from the search page (POST), the list, one saved search's page
(new matches since the last visit, each saying why), and its settings (rename, delete, feed
token, digest section, webhooks). Thin: each calls one function in saved.py or hooks.py.
Every change is a POST; a refused one answers 400 with the reason on the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from dailypapers.alerts import hooks
from dailypapers.alerts.saved import (
    SavedSearchError,
    rename,
    rotate_token,
    save_search,
    saved_search_of,
    saved_searches_of,
    search_params,
    set_in_digest,
    visit,
)
from dailypapers.catalog.site import absolute_url


def _page(saved) -> str:
    return reverse("alerts:detail", kwargs={"pk": saved.pk})


def feed_links(saved, request=None) -> dict:
    """The private feed URLs of a saved search."""
    return {
        kind: absolute_url(reverse(f"api:feed-saved-{kind}", kwargs={"token": saved.feed_token}), request)
        for kind in ("rss", "atom")
    }


def _refused(request, message: str, status: int = 400):
    return render(request, "alerts/refused.html", {"message": message}, status=status)


@require_POST
def save(request):
    """The search page's "Save this search" button: its hidden fields are the search's."""
    if not request.user.is_authenticated:
        back = f"{reverse('search:search')}?{urlencode(search_params_from(request.POST))}"
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': back})}")
    try:
        saved = save_search(user=request.user, params=request.POST, name=request.POST.get("name", ""))
    except SavedSearchError as exc:
        return _refused(request, str(exc), exc.status)
    messages.success(request, f"Saved “{saved.name}”. New papers that match it will be listed here.")
    return HttpResponseRedirect(_page(saved))


def search_params_from(post) -> dict:
    return {key: post.get(key, "") for key in ("q", "mode", "category", "from", "to", "code") if post.get(key)}


@login_required
@require_GET
def index(request):
    saved = list(saved_searches_of(request.user))
    return render(request, "alerts/index.html", {"saved_searches": saved})


def _owned(request, pk):
    saved = saved_search_of(request.user, pk)
    if saved is None:
        raise Http404("no such saved search")
    return saved


@login_required
@require_GET
def detail(request, pk: int):
    saved = _owned(request, pk)
    data = visit(saved)
    data.update(
        feeds=feed_links(saved, request),
        hooks=list(saved.webhooks.order_by("id")),
        formats=hooks.Webhook.FORMATS,
        search_url=f"{reverse('search:search')}?{urlencode(search_params(saved))}",
    )
    return render(request, "alerts/detail.html", data)


@login_required
@require_POST
def change(request, pk: int, action: str):
    saved = _owned(request, pk)
    try:
        if action == "rename":
            rename(saved, request.POST.get("name", ""))
            messages.success(request, "Renamed.")
        elif action == "delete":
            name = saved.name
            saved.delete()
            messages.info(request, f"Deleted “{name}”.")
            return HttpResponseRedirect(reverse("alerts:index"))
        elif action == "rotate":
            rotate_token(saved)
            messages.success(request, "New feed address: the old one no longer works.")
        elif action == "digest":
            set_in_digest(saved, request.POST.get("in_digest") == "1")
            messages.success(request, "Digest setting saved.")
        elif action == "add-hook":
            hooks.add_webhook(saved, url=request.POST.get("url", ""), format=request.POST.get("format", "json"))
            messages.success(request, "Webhook added: new matches will be posted to it.")
        else:
            raise Http404("no such action")
    except SavedSearchError as exc:
        return _refused(request, str(exc), exc.status)
    return HttpResponseRedirect(_page(saved))


@login_required
@require_POST
def change_hook(request, pk: int, hook_id: int, action: str):
    saved = _owned(request, pk)
    hook = hooks.hook_of(saved, hook_id)
    if hook is None:
        raise Http404("no such webhook")
    if action == "delete":
        hook.delete()
        messages.info(request, "Webhook removed.")
    elif action == "enable":
        hooks.enable(hook)
        messages.success(request, "Webhook back on.")
    else:
        raise Http404("no such action")
    return HttpResponseRedirect(_page(saved))
