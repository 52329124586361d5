"""The library's buttons on every paper card and paper page: Save (to "Saved for later"), a
small menu to save to another collection, Mark read and Not interested. Each is a POST form
that works without JavaScript (the view redirects back) and that htmx swaps in place (the view
answers this block again). Built in Python like the card itself (web/templatetags/cards.py).

The member's reading states, saved papers and collections load once per request, three
queries for any number of cards (tests/web/test_library_pages.py counts them). A card whose
paper is read or not wanted carries `data-reading-state`, which the stylesheet dims.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from dailypapers.library.collections import saved_paper_ids
from dailypapers.library.models import Collection
from dailypapers.library.reading import reading_states

register = template.Library()


@lru_cache(maxsize=4)
def _path(name: str) -> str:
    return reverse(name, kwargs={"arxiv_id": "0000.00000"}).replace("0000.00000", "{}")


def viewer_library(request) -> dict:
    """The viewer's states, saved papers and collections, loaded once per request."""
    cached = getattr(request, "_library_of_viewer", None)
    if cached is None:
        user = request.user
        cached = {
            "states": reading_states(user),
            "saved": saved_paper_ids(user),
            "collections": list(Collection.objects.filter(owner=user).values_list("pk", "name", "is_default")),
        }
        request._library_of_viewer = cached
    return cached


def render_actions(request, paper) -> str:
    """The buttons block for `paper` (a Paper or the catalogue's paper dict)."""
    get = paper.get if isinstance(paper, dict) else lambda key: getattr(paper, key)
    pk, arxiv_id = get("pk"), get("arxiv_id")
    user = getattr(request, "user", None) if request is not None else None
    if user is None or not user.is_authenticated:
        login = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path() if request else '/'})}"
        return format_html(
            '<div class="library-actions" data-paper="{}"><a class="save-button" href="{}" title="Sign in to save '
            'papers">☆ Save</a></div>',
            pk,
            login,
        )
    mine = viewer_library(request)
    state = mine["states"].get(pk, "")
    held = mine["saved"].get(pk, set())
    default = next((cid for cid, _, is_default in mine["collections"] if is_default), None)
    in_default = default in held
    save_path, state_path = _path("web:library-save").format(arxiv_id), _path("web:library-state").format(arxiv_id)
    hidden = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="next" value="{}">',
        get_token(request),
        request.get_full_path(),
    )

    def form(path, fields, button):
        return format_html(
            '<form method="post" action="{path}" hx-post="{path}" hx-target="closest .library-actions" '
            'hx-swap="outerHTML">{hidden}{fields}{button}</form>',
            path=path,
            hidden=hidden,
            fields=format_html_join("", '<input type="hidden" name="{}" value="{}">', fields),
            button=button,
        )

    save = form(
        save_path,
        [("action", "unsave" if in_default else "save")],
        format_html(
            '<button type="submit" class="save-button{}" aria-pressed="{}" title="{}">{}</button>',
            " saved" if held else "",
            "true" if in_default else "false",
            "Remove from Saved for later" if in_default else "Save for later",
            "★ Saved" if held else "☆ Save",
        ),
    )
    choices = format_html_join(
        "",
        '<option value="{}">{}{}</option>',
        ((cid, name, " ✓" if cid in held else "") for cid, name, _ in mine["collections"]),
    )
    menu = format_html(
        '<details class="save-menu"><summary aria-label="Save to a collection" title="Save to a collection">▾</summary>'
        '<div class="save-menu-body">{form}<a href="{new}">New collection…</a></div></details>',
        form=form(
            save_path,
            [("action", "save")],
            format_html(
                '<select name="collection" aria-label="Collection">{}</select>'
                '<button type="submit" class="secondary">Add</button>',
                choices,
            ),
        )
        if mine["collections"]
        else "",
        new=reverse("web:collections"),
    )
    read = form(
        state_path,
        [("state", "clear" if state == "read" else "read")],
        format_html(
            '<button type="submit" class="read-button{}" aria-pressed="{}">{}</button>',
            " on" if state == "read" else "",
            "true" if state == "read" else "false",
            "✓ Read" if state == "read" else "Mark read",
        ),
    )
    not_wanted = form(
        state_path,
        [("state", "clear" if state == "not_interested" else "not_interested")],
        format_html(
            '<button type="submit" class="not-interested-button{}" aria-pressed="{}" title="{}">{}</button>',
            " on" if state == "not_interested" else "",
            "true" if state == "not_interested" else "false",
            "Show it in “for you” again" if state == "not_interested" else "Keep it out of “for you” and your digest",
            "✕ Not interested" if state == "not_interested" else "Not interested",
        ),
    )
    return format_html(
        '<div class="library-actions" data-paper="{pk}"{state}>{save}{menu}{read}{not_wanted}</div>',
        pk=pk,
        state=format_html(' data-reading-state="{}"', state) if state else "",
        save=save,
        menu=menu,
        read=read,
        not_wanted=not_wanted,
    )


@register.simple_tag(takes_context=True)
def library_actions(context, paper):
    return render_actions(context.get("request"), paper)
