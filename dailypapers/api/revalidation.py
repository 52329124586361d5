"""Conditional GET for generated documents (the feeds): an ETag of the bytes, and a
Last-Modified that moves exactly when the bytes change, so a reader's `If-None-Match` or
`If-Modified-Since` gets 304 Not Modified while nothing changed.

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

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date

# Readers poll every 15 to 60 minutes; a record older than a month only costs one full answer.
RECORD_SECONDS = 30 * 24 * 3600


def _record_key(request: HttpRequest) -> str:
    place = f"{request.get_host()}{request.get_full_path()}"
    return "revalidation:" + hashlib.sha256(place.encode()).hexdigest()


def revalidated(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """`response` with ETag and Last-Modified, or 304 when the request's validators match."""
    if response.status_code != 200:
        return response
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    key = _record_key(request)
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
