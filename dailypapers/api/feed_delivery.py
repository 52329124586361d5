"""How feed documents travel: rendered once per content version, answered 304 while the
reader has them (ETag, Last-Modified), and gzip-compressed for readers that accept it.

The daily feed is a whole day: 713 papers, 1.3 MB of XML and ~0.4 s to render on the
corpus's busiest day (bench/feeds.py: 17 ms from the cache), for every reader's poll. So a
rendered feed is kept in Django's cache with catalog.pagecache's content version, which
every change a feed could show bumps (ingest, votes, submissions, moderation);
PAGE_CACHE_SECONDS bounds what the version does not see (a search whose index moved on).
Compressed it is a third of the bytes (424 KiB).

A feed has no modification time of its own: a vote reorders a day, a submission adds a paper
dated like the others, a moderator hides one, and these bulk updates leave the rows'
`modified_at` alone. So Last-Modified is the time this URL first answered these bytes: the
cache keeps (ETag, since) per URL, and new bytes record a time strictly after the old one, so
a reader holding older bytes never gets 304. A lost record (eviction, another cache) only
moves Last-Modified forward: one full answer instead of a 304, never a stale one.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date, urlencode

from dailypapers.catalog.pagecache import content_version

# Readers poll every 15 to 60 minutes; a record older than a month only costs one full answer.
RECORD_SECONDS = 30 * 24 * 3600
_GZIP = GZipMiddleware(lambda request: None)


# Every query parameter a feed reads (feeds.py: the daily feed's date, the search feed's q).
# The cache key holds only these, so `?x=1`, `?x=2`, … share one entry instead of writing up
# to 1.3 MB each to the database cache (issue 13's cache pollution, pages and feeds alike).
FEED_PARAMETERS = ("date", "q")


def _place(request: HttpRequest) -> str:
    read = urlencode([(name, value) for name in FEED_PARAMETERS for value in request.GET.getlist(name)])
    return hashlib.sha256(f"{request.get_host()}{request.path}?{read}".encode("utf-8", "surrogatepass")).hexdigest()


def rendered(request: HttpRequest, render: Callable[[], HttpResponse], *, shared: bool = True) -> HttpResponse:
    """`render()`'s answer, from the cache while the content version is unchanged. `shared`
    False for documents that depend on more than the papers (a member's "for you")."""
    if not shared or not settings.PAGE_CACHE_SECONDS:
        return render()
    # One entry per URL, holding the version it was rendered at and overwritten by the next:
    # a key per version would leave a dead 1.3 MB row in the database cache after every vote.
    key = "feed:" + _place(request)
    version = content_version()
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return HttpResponse(cached[1], content_type=cached[2])
    response = render()
    if response.status_code == 200:
        cache.set(key, (version, response.content, response["Content-Type"]), timeout=settings.PAGE_CACHE_SECONDS)
    return response


def revalidated(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """`response` with ETag and Last-Modified, or 304 when the request's validators match."""
    if response.status_code != 200:
        return response
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    key = "revalidation:" + _place(request)
    seen = cache.get(key)
    if seen and seen[0] == etag:
        since = seen[1]
    else:
        now = int(time.time())
        since = max(now, seen[1] + 1) if seen else now
        cache.set(key, (etag, since), timeout=RECORD_SECONDS)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(since)
    return get_conditional_response(request, etag=etag, last_modified=since, response=response)


def compressed(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """gzip for readers that send `Accept-Encoding: gzip` (the ETag becomes weak, as RFC 9110
    asks of a transformed body; `If-None-Match` compares weakly, so 304 still works)."""
    return _GZIP.process_response(request, response)
