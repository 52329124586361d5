"""What a signed-in member sees of their own email digests: the subscriptions made while
signed in and those of their verified addresses (a subscription made signed out is keyed by
address only), each with the digest app's signed manage and unsubscribe links."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.urls import reverse

from dailypapers.digest.models import Subscription
from dailypapers.digest.subscriptions import link_token


def member_subscriptions(user) -> list[dict]:
    addresses = set(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
    mine = Q(user=user) | Q(email__in={address.lower() for address in addresses})
    rows = Subscription.objects.filter(mine).order_by("created_at")
    result = []
    for row in rows:
        token = link_token(row)
        result.append(
            {
                "description": row.description,
                "email": row.email,
                "frequency": row.get_frequency_display(),
                "status": row.status,
                "status_label": row.get_status_display(),
                "manage_url": reverse("digest:manage", kwargs={"token": token}),
                "unsubscribe_url": reverse("digest:unsubscribe", kwargs={"token": token}),
            }
        )
    return result
