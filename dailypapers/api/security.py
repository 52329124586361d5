"""Who may write, and how fast anyone may read: ninja auth classes and the rate limit.

Writes accept a personal access token (`Authorization: Bearer dp_…`) or the browser session
with its CSRF token (ninja's SessionAuth checks CSRF). Rates come from settings on each
request, and counters live in Django's cache (shared between workers when the operator
configures a shared cache), as fixed windows counted with `cache.incr`, which is atomic on
Redis, Memcached and the database cache.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from dailypapers.api.rates import parse_rate
from dailypapers.api.tokens import bearer_token, request_token_user


class TokenAuth(HttpBearer):
    openapi_description = "Personal access token from the settings page: `Authorization: Bearer dp_…`."

    def authenticate(self, request, token: str):
        user = request_token_user(request)
        if user is not None:
            request.user = user
        return user


class MemberSessionAuth(SessionAuth):
    """The logged-in browser session; ninja checks the CSRF token for unsafe methods.

    Only a request that has a logged-in session and no bearer token is checked: ninja would check
    CSRF first and answer a script's missing, mistyped or revoked token with 403 "CSRF check
    Failed", where the client needs 401 (its credentials are wrong, not its CSRF token)."""

    openapi_description = "Session cookie of a logged-in member, with the CSRF token in X-CSRFToken."

    def __call__(self, request):
        if bearer_token(request) is not None or not getattr(request.user, "is_authenticated", False):
            return None
        return super().__call__(request)


WRITE_AUTH = [TokenAuth(), MemberSessionAuth()]


class RateLimit(BaseThrottle):
    """Per-IP limit for anonymous clients, per-member limit for token or session holders."""

    def allow_request(self, request) -> bool:
        user = request_token_user(request) or getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            rate, ident = settings.API_RATE_LIMIT_MEMBER, f"user:{user.pk}"
        else:
            rate, ident = settings.API_RATE_LIMIT_ANONYMOUS, f"ip:{self.get_ident(request)}"
        parsed = parse_rate(rate)
        if parsed is None:
            return True
        limit, period = parsed
        window = int(time.time() // period)
        key = f"api-rate:{ident}:{period}:{window}"
        cache = caches[settings.API_RATE_LIMIT_CACHE]
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=period + 1)
            count = 1
        self._wait = (window + 1) * period - time.time()
        return count <= limit

    def wait(self) -> float | None:
        return max(1.0, getattr(self, "_wait", 1.0))
