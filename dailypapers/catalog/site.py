"""The site's absolute URLs, built in one place.

Links that leave the page (mails, feeds, the API's `Link` header, Markdown exports) need an
absolute URL. When the operator set DAILYPAPERS_BASE_URL, that is the public address and is
used everywhere. When it is unset, a request knows the address the reader actually used
(`make demo PORT=38635`, a proxy's Host), so it wins over the default; work done outside a
request (digests, the worker) falls back to the default base URL.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` ("/papers/2406.00001") as an absolute URL on this site."""
    if not path.startswith("/"):
        path = "/" + path
    if request is not None and not settings.BASE_URL_FROM_ENVIRONMENT:
        return request.build_absolute_uri(path)
    return settings.BASE_URL + path


def paper_url(paper, request: HttpRequest | None = None) -> str:
    """The absolute URL of a paper's page (`Paper.get_absolute_url`, a `reverse()`)."""
    return absolute_url(paper.get_absolute_url(), request)
