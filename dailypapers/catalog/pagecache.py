"""Whole-page cache of the feed pages for anonymous readers.

Rendering a day of 100 paper cards costs ~40 ms of CPU; most readers are anonymous and see
the same page, so it is rendered once per content version and served from the shared
(database) cache in ~1 ms. The version is bumped whenever what a card shows can change — an
ingest batch, a vote, a comment, a submission, moderation — so a cached page is never older
than the last change (settings.PAGE_CACHE_SECONDS, 0 to turn the cache off, bounds the rare lost bump of two
racing increments).

A page holds CSRF tokens (the header's subscribe form, htmx's header, vote forms). They are
stored as a placeholder and each response gets the reader's own token, so a cached page never
carries another visitor's token.
"""

from __future__ import annotations

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

VERSION_KEY = "catalog:content-version"
PLACEHOLDER = "__dailypapers_csrf_token__"
_TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{32,64}(")')


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_content_version(**_ignored) -> None:
    """Make every cached page stale now."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new value differs from the old pages'
        cache.set(VERSION_KEY, 2, timeout=None)


def papers_changed(**_ignored) -> None:
    """Call in the transaction that changes what a paper card shows (votes, comments,
    featuring, hiding). Also a receiver for Paper's post_save.

    With the database cache (our default) the bump is part of the same transaction: readers
    see the new version exactly when they see the change. With a cache outside the database
    a reader could see the new version before the commit and cache the old page under it, so
    the version moves once more after the commit."""
    bump_content_version()
    transaction.on_commit(bump_content_version)


def _cacheable(request) -> bool:
    if not settings.PAGE_CACHE_SECONDS or request.method != "GET" or request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0  # a one-time message belongs to this reader only


def cache_page_for_anonymous(view=None, *, params: tuple[str, ...] = ()):
    """Serve `view` to anonymous readers from the cache. The page is keyed on its path and the
    query parameters it reads (`params`), never the raw query string: each unique `/?x=…` wrote
    ~25 KB to the cache table (14 MB of database and WAL in 20 s, issue 13). The view is given
    only those parameters too, so nothing else in the URL can reach a cached page."""
    if view is None:
        return lambda real_view: cache_page_for_anonymous(real_view, params=params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        read = QueryDict(mutable=True)
        for name in sorted(set(params) & set(request.GET)):
            read.setlist(name, request.GET.getlist(name))
        read._mutable = False
        request.GET = read
        path = f"{bool(getattr(request, 'htmx', False))}:{request.path}?{read.urlencode()}"
        key = f"page:{content_version()}:{hashlib.sha256(path.encode('utf-8', 'surrogatepass')).hexdigest()}"
        cached = cache.get(key)
        hit = cached is not None
        if not hit:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or getattr(response, "streaming", False):
                return response
            body = _TOKENS.sub(rf"\g<1>{PLACEHOLDER}\g<2>", response.content.decode())
            cached = (body, response["Content-Type"])
            cache.set(key, cached, timeout=settings.PAGE_CACHE_SECONDS)
        body, content_type = cached
        response = HttpResponse(body.replace(PLACEHOLDER, get_token(request)), content_type=content_type)
        patch_vary_headers(response, ["Cookie"])
        response["X-Page-Cache"] = "hit" if hit else "miss"
        return response

    return wrapper
