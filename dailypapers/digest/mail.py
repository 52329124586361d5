"""Transactional emails (confirmation, "already subscribed"): rendered here and put in the
transactional outbox (transactional.py), which the worker delivers, so no request waits on
SMTP. Digests go through their own outbox (see sending.py).

Subjects are fixed text; user input reaches these messages only in the body and in the
recipient address, which `subscriptions.clean_email` has already checked.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from dailypapers.catalog.site import absolute_url
from dailypapers.digest.transactional import queue_mail


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    context = {"site_name": settings.SITE_NAME, "base_url": absolute_url("/"), **context}
    text = render_to_string(f"digest/email/{template}.txt", context)
    html = render_to_string(f"digest/email/{template}.html", context)
    queue_mail(to=to, subject=subject, text=text, html=html)


def send_confirmation(*, subscription, confirm_url: str) -> None:
    _send(
        to=subscription.email,
        subject="Confirm your dailypapers digest",
        template="confirm",
        context={
            "subscription": subscription,
            "confirm_url": confirm_url,
            "max_age_days": settings.DIGEST_CONFIRM_MAX_AGE_DAYS,
        },
    )


def send_already_subscribed(*, subscription, manage_url: str) -> None:
    _send(
        to=subscription.email,
        subject="You are already subscribed to this dailypapers digest",
        template="already",
        context={"subscription": subscription, "manage_url": manage_url},
    )
