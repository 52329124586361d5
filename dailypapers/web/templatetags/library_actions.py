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
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from dailypapers.library.collections import saved_paper_ids
from dailypapers.library.models import Collection
from dailypapers.library.reading import reading_states

register = template.Library()


@lru_cache(maxsize=4)
def _path(name: str) -> str:
    return reverse(name, kwargs={"arxiv_id": "0000.00000"}).replace("0000.00000", "{}")


def viewer_library(request) -> dict:
    """The viewer's states, saved papers and collections, loaded once per request, and the
    parts every card's forms share (CSRF token, `next`, the collection menu), built once:
    `get_token` masks the token afresh on each call, which cost more than the rest of a card."""
    cached = getattr(request, "_library_of_viewer", None)
    if cached is None:
        user = request.user
        collections = list(Collection.objects.filter(owner=user).values_list("pk", "name", "is_default"))
        cached = {
            "states": reading_states(user),
            "saved": saved_paper_ids(user),
            "collections": collections,
            "default": next((pk for pk, _, is_default in collections if is_default), None),
            "hidden": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="next" value="{}">',
                get_token(request),
                request.get_full_path(),
            ),
            "options": _options(collections, set()),
            "new_collection": reverse("web:collections"),
        }
        request._library_of_viewer = cached
    return cached


def _options(collections, held: set[int]) -> str:
    return format_html_join(
        "", '<option value="{}">{}{}</option>', ((pk, name, " ✓" if pk in held else "") for pk, name, _ in collections)
    )


def _form(path: str, hidden: str, fields: str, button: str) -> str:
    """A POST form htmx swaps in place (`path` and `fields` are escaped by the caller)."""
    return (
        f'<form method="post" action="{path}" hx-post="{path}" hx-target="closest .library-actions" '
        f'hx-swap="outerHTML">{hidden}{fields}{button}</form>'
    )


def _toggle(state: str, on_state: str, css: str, labels: tuple[str, str], titles: tuple[str, str] = ("", "")) -> tuple:
    on = state == on_state
    title = titles[on]
    return (
        f'<input type="hidden" name="state" value="{"clear" if on else on_state}">',
        f'<button type="submit" class="{css}{" on" if on else ""}" aria-pressed="{"true" if on else "false"}"'
        + (f' title="{escape(title)}"' if title else "")
        + f">{labels[on]}</button>",
    )


def render_actions(request, paper) -> str:
    """The buttons block for `paper` (a Paper or the catalogue's paper dict). Built with
    f-strings over escaped values: a list has up to 100 cards, and a format_html per part cost
    ~0.3 ms a card (bench/library.py)."""
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
    held = mine["saved"].get(pk, ())
    in_default = mine["default"] in held
    quoted = escape(arxiv_id)
    save_path, state_path = _path("web:library-save").format(quoted), _path("web:library-state").format(quoted)
    hidden = mine["hidden"]
    save = _form(
        save_path,
        hidden,
        f'<input type="hidden" name="action" value="{"unsave" if in_default else "save"}">',
        f'<button type="submit" class="save-button{" saved" if held else ""}" '
        f'aria-pressed="{"true" if in_default else "false"}" '
        f'title="{"Remove from Saved for later" if in_default else "Save for later"}">'
        f"{'★ Saved' if held else '☆ Save'}</button>",
    )
    menu_form = ""
    if mine["collections"]:
        options = _options(mine["collections"], held) if held else mine["options"]
        menu_form = _form(
            save_path,
            hidden,
            '<input type="hidden" name="action" value="save">',
            f'<select name="collection" aria-label="Collection">{options}</select>'
            '<button type="submit" class="secondary">Add</button>',
        )
    menu = (
        '<details class="save-menu"><summary aria-label="Save to a collection" title="Save to a collection">▾</summary>'
        f'<div class="save-menu-body">{menu_form}<a href="{mine["new_collection"]}">New collection…</a></div></details>'
    )
    read = _form(state_path, hidden, *_toggle(state, "read", "read-button", ("Mark read", "✓ Read")))
    not_wanted = _form(
        state_path,
        hidden,
        *_toggle(
            state,
            "not_interested",
            "not-interested-button",
            ("Not interested", "✕ Not interested"),
            ("Keep it out of “for you” and your digest", "Show it in “for you” again"),
        ),
    )
    state_attr = f' data-reading-state="{escape(state)}"' if state else ""
    return mark_safe(  # every value above is escaped or a constant
        f'<div class="library-actions" data-paper="{int(pk)}"{state_attr}>{save}{menu}{read}{not_wanted}</div>'
    )


@register.simple_tag(takes_context=True)
def library_actions(context, paper):
    return render_actions(context.get("request"), paper)
