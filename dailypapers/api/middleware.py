"""Content negotiation for agents: `Accept: text/markdown` on a paper page answers Markdown.

The paper page itself belongs to the catalogue app; this middleware answers before it only
when the client prefers Markdown over HTML, so browsers never see it.
"""

from __future__ import annotations

import re

from django.utils.cache import patch_vary_headers

from dailypapers.catalog.arxiv_ids import URL_PATTERN

_PAPER_PATH = re.compile(rf"^/papers/{URL_PATTERN}(?:v\d+)?/?$")


def prefers_markdown(accept: str) -> bool:
    """True when text/markdown is acceptable and ranks above text/html (q-values honoured)."""
    ranks: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = [piece.strip() for piece in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranks[media.lower()] = max(quality, ranks.get(media.lower(), 0.0))
    markdown = ranks.get("text/markdown", 0.0)
    return markdown > 0 and markdown >= max(
        ranks.get("text/html", 0.0), ranks.get("*/*", 0.0) if "text/html" not in ranks else 0.0
    )


class MarkdownNegotiationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and "markdown" in request.META.get("HTTP_ACCEPT", ""):
            match = _PAPER_PATH.match(request.path_info)
            if match and prefers_markdown(request.META["HTTP_ACCEPT"]):
                from dailypapers.api.listing import get_paper
                from dailypapers.api.markdown import markdown_response, not_found_markdown

                paper = get_paper(match["arxiv_id"])
                return markdown_response(paper, request) if paper else not_found_markdown(match["arxiv_id"], request)
        response = self.get_response(request)
        if _PAPER_PATH.match(request.path_info):
            # Added to the page's own Vary (Cookie), never instead of it: a shared cache must key
            # the HTML on both, or it serves the HTML to a client that asked for Markdown.
            patch_vary_headers(response, ("Accept",))
        return response
