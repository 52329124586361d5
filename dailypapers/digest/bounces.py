"""Bounces and complaints reported by the mail provider, and the suppression rules:
a hard bounce or a complaint suppresses the address at once; soft bounces suppress it
after DIGEST_SOFT_BOUNCE_LIMIT (3). Suppressed addresses get no digest (the outbox builder
and the sender both skip them) and no further confirmation emails."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from dailypapers.digest.models import BounceEvent, Suppression
from dailypapers.digest.subscriptions import SubscriptionError, clean_email, clean_text

_REASON = {BounceEvent.HARD: Suppression.HARD_BOUNCE, BounceEvent.COMPLAINT: Suppression.COMPLAINT}


def parse_events(payload) -> list[dict]:
    """Webhook JSON: one event or a list of {"email", "type": hard|soft|complaint, "detail"?}.
    Raises SubscriptionError naming the event and field that is wrong."""
    events = payload if isinstance(payload, list) else [payload]
    parsed = []
    for index, event in enumerate(events):
        where = f"event {index}"
        if not isinstance(event, dict):
            raise SubscriptionError(where, "must be a JSON object")
        try:
            email = clean_email(event.get("email"))
            detail = event.get("detail", "")
            detail = clean_text("detail", detail[:500] if isinstance(detail, str) else detail, max_length=500)
        except SubscriptionError as exc:
            raise SubscriptionError(f"{where}.{exc.field}", exc.message) from None
        kind = event.get("type")
        if kind not in {BounceEvent.HARD, BounceEvent.SOFT, BounceEvent.COMPLAINT}:
            raise SubscriptionError(f"{where}.type", "must be hard, soft or complaint")
        parsed.append({"email": email, "kind": kind, "detail": detail})
    return parsed


def record_event(*, email: str, kind: str, detail: str = "") -> bool:
    """Store the event and apply the rules; returns True when the address is now suppressed."""
    with transaction.atomic():
        BounceEvent.objects.create(email=email, kind=kind, detail=detail)
        if kind in _REASON:
            Suppression.objects.get_or_create(email=email, defaults={"reason": _REASON[kind]})
            return True
        soft = BounceEvent.objects.filter(email=email, kind=BounceEvent.SOFT).count()
        if soft >= settings.DIGEST_SOFT_BOUNCE_LIMIT:
            Suppression.objects.get_or_create(email=email, defaults={"reason": Suppression.SOFT_BOUNCES})
            return True
    return Suppression.objects.filter(email=email).exists()
