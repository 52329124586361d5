"""Create, check and revoke personal access tokens (see models.AccessToken for the hashing)."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from dailypapers.api.models import AccessToken

TOKEN_PREFIX = "dp_"
# Write last_used_at at most once a minute per token: a busy script must not turn every
# read of its token into a database write.
LAST_USED_RESOLUTION_SECONDS = 60


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(*, user, name: str) -> tuple[AccessToken, str]:
    """A new token for `user`; the raw token is returned once and never stored."""
    # A label only: drop control characters (a NUL byte cannot be stored by PostgreSQL).
    name = "".join(char for char in (name or "") if char.isprintable()).strip()[:100] or "token"
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(user=user, name=name, token_hash=hash_token(raw), prefix=raw[:10])
    return token, raw


def user_for_token(raw: str | None):
    """The active member owning `raw`, or None for a missing, unknown or revoked token."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        AccessToken.objects.select_related("user").filter(token_hash=hash_token(raw), revoked_at__isnull=True).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_token(*, user, token_id: int) -> bool:
    """Revoke one of `user`'s tokens; False when it is not theirs or already revoked."""
    return bool(
        AccessToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def request_token_user(request):
    """The member whose bearer token `request` carries (or None), looked up once per request:
    the rate limit and the auth check both ask."""
    if not hasattr(request, "_api_token_user"):
        raw = bearer_token(request)
        request._api_token_user = user_for_token(raw) if raw else None
    return request._api_token_user


def bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None
