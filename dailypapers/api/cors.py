"""Cross-origin reads of the public API: `Access-Control-Allow-Origin: *` on GET and HEAD
answers of routes that read public data (the Hugging Face-compatible routes, /api/v1's public
reads, and the feeds). Never on writes or routes that read a member's session: a page on
another site must not act with, or read, a visitor's cookies.

`allow_any_origin` wraps a Django view or a ninja operation (`router.add_decorator` or
`ninja.decorators.decorate_view`); every answer of the wrapped view gets the header, errors
included, so a browser client can read why it was refused.
"""

from __future__ import annotations

from functools import wraps

SAFE_METHODS = ("GET", "HEAD")


def readable_from_any_origin(request, response):
    """`response` with the header when `request` only reads; for answers made outside a view
    function (the feed classes, the Markdown negotiation middleware)."""
    if request.method in SAFE_METHODS:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def allow_any_origin(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return readable_from_any_origin(request, view(request, *args, **kwargs))

    return wrapped
