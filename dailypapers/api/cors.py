"""Cross-origin reads of the public, read-only documents: feeds, Markdown and BibTeX exports.

They carry nothing private and set no cookies, so any web page may fetch them
(`Access-Control-Allow-Origin: *`). A `*` answer is never shared with a request sent with
credentials (Fetch standard), so a member's session cannot leak through it; private exports
(`/export/upvotes.bib`) are left without it.
"""

from __future__ import annotations

from functools import wraps

ANY_ORIGIN = "*"


def allow_any_origin(response):
    """Mark `response` readable from any origin; returns it."""
    response["Access-Control-Allow-Origin"] = ANY_ORIGIN
    return response


def any_origin(view):
    """View decorator: the view's answers, errors included, are readable from any origin."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return allow_any_origin(view(request, *args, **kwargs))

    return wrapper
