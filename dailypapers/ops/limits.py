"""Limits on the expensive routes: search (page, JSON, API), similar papers, feeds, exports.

Two guards, in this order:
1. Per client (catalog/clients.py address), settings.EXPENSIVE_RATE ("60/min") counted
   atomically in the database (catalog/limits.py): over it 429 with Retry-After. The JSON API
   has its own limit (api/security.py), so /api/ paths skip this one.
2. Load shedding per host: at most settings.EXPENSIVE_CONCURRENCY expensive requests run at
   once; one more is answered 503 with Retry-After at once instead of queueing behind the
   others, so pages for everyone stay fast (a hybrid-search flood from 8 threads took paper
   pages from 18 ms to 300-650 ms on 2 cores). A slot is an exclusive flock() on one of N
   files under $DAILYPAPERS_HOME/slots: shared by every gunicorn worker and thread on the
   host, and released by the kernel if a worker dies mid-request.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from dailypapers.catalog.clients import client_ip
from dailypapers.catalog.limits import hit

_RATED = re.compile(r"^/(search$|feeds/|export/|papers/.+/similar$)")
_SHED = re.compile(r"^/(search$|feeds/|export/|papers/.+/similar$|api/papers/search$|api/v1/(search$|similar/))")
RETRY_AFTER_BUSY = 2  # seconds: a search takes well under one, so a slot is free by then


def _refusal(request, status: int, message: str, retry_after: int) -> HttpResponse:
    wants_json = request.path.startswith("/api/") or request.GET.get("format") == "json"
    if wants_json:
        response = JsonResponse({"error": message}, status=status)
    else:
        response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


@contextlib.contextmanager
def expensive_slot():
    """Yields True holding one of the host's slots, or False when all are taken."""
    folder = settings.EXPENSIVE_SLOTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(settings.EXPENSIVE_CONCURRENCY):
        fd = os.open(folder / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            yield True
        finally:
            os.close(fd)  # closing the descriptor drops its lock
        return
    yield False


class ExpensiveRouteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not _SHED.match(path):
            return self.get_response(request)
        if _RATED.match(path) and settings.EXPENSIVE_RATE:
            decision = hit("expensive", client_ip(request), settings.EXPENSIVE_RATE)
            if not decision.allowed:
                return _refusal(
                    request,
                    429,
                    f"too many searches, feeds or exports from your address "
                    f"(limit {settings.EXPENSIVE_RATE}); try again in {decision.retry_after} s",
                    decision.retry_after,
                )
        with expensive_slot() as granted:
            if not granted:
                return _refusal(
                    request, 503, "the server is busy with other searches; try again in a moment", RETRY_AFTER_BUSY
                )
            return self.get_response(request)
