"""Who may write, and how fast anyone may read: ninja auth classes and the rate limit.

Writes accept a personal access token (`Authorization: Bearer dp_…`) or the browser session
with its CSRF token (ninja's SessionAuth checks CSRF). Rates come from settings on each
request; the client is catalog/clients.py's address (X-Forwarded-For believed only from
DAILYPAPERS_TRUSTED_PROXIES) and counters are fixed windows counted atomically in the
database by catalog/limits.py, shared by every worker and host.
"""

from __future__ import annotations

from django.conf import settings
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from dailypapers.api.tokens import bearer_token, request_token_user
from dailypapers.catalog.clients import client_ip
from dailypapers.catalog.limits import hit


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
        decision = hit("api", ident, rate)
        self._wait = decision.retry_after
        return decision.allowed

    def get_ident(self, request) -> str:
        return client_ip(request)

    def wait(self) -> float | None:
        return max(1.0, getattr(self, "_wait", 1.0))
