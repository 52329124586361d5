"""The "Save this search" button, for the search page (web/_save_search_button.html)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

register = template.Library()
FIELDS = {"q": "q", "mode": "mode", "category": "category", "from": "date_from", "to": "date_to", "code": "code"}


@register.simple_tag(takes_context=True)
def save_search_button(context, form):
    """A POST form holding the search's parameters as the search page read them (`form`,
    search.views.search_form); signed-out readers are sent to sign in and come back."""
    if not form or form.get("like") or not (form.get("q") or form.get("category")):
        return ""
    hidden = format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        ((name, form.get(key, "")) for name, key in FIELDS.items() if form.get(key)),
    )
    return format_html(
        '<form class="save-search" method="post" action="{action}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">{hidden}'
        '<button type="submit" class="secondary outline">☆ Save this search</button>'
        "<small> — get new matches by feed, mail or webhook</small></form>",
        action=reverse("alerts:save"),
        token=context.get("csrf_token") or "",
        hidden=hidden,
    )
