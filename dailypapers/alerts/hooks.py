"""A saved search's webhooks as library functions: add, remove, turn back on."""

from __future__ import annotations

from urllib.parse import urlsplit

from dailypapers.alerts.models import SavedSearch, Webhook
from dailypapers.alerts.saved import SavedSearchError

MAX_HOOKS_PER_SEARCH = 5
FORMATS = dict(Webhook.FORMATS)


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500 or any(c.isspace() for c in url):
        raise SavedSearchError(f"url: expected an http:// or https:// address, got {url[:80]!r}")
    return url


def add_webhook(saved: SavedSearch, *, url: str, format: str = Webhook.JSON) -> Webhook:  # noqa: A002
    if format not in FORMATS:
        raise SavedSearchError(f"format: expected one of {', '.join(FORMATS)}, got {format!r}")
    url = _clean_url(url)
    if saved.webhooks.count() >= MAX_HOOKS_PER_SEARCH:
        raise SavedSearchError(f"a saved search has at most {MAX_HOOKS_PER_SEARCH} webhooks", code="rate_limited")
    return Webhook.objects.create(saved_search=saved, url=url, format=format)


def hook_of(saved: SavedSearch, pk) -> Webhook | None:
    try:
        return saved.webhooks.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def enable(hook: Webhook) -> None:
    """Back on after the member fixed the receiver; new matches are delivered from now."""
    Webhook.objects.filter(pk=hook.pk).update(active=True, consecutive_failures=0, disabled_at=None, disabled_reason="")
