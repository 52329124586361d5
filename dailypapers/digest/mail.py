"""Transactional emails (confirmation, "already subscribed") sent at once through Django's
configured email backend. Digests go through the outbox instead (see sending.py).

Subjects are fixed text; user input reaches these messages only in the body and in the
recipient address, which `subscriptions.clean_email` has already checked.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from dailypapers.catalog.site import absolute_url


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    context = {"site_name": settings.SITE_NAME, "base_url": absolute_url("/"), **context}
    text = render_to_string(f"digest/email/{template}.txt", context)
    html = render_to_string(f"digest/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as exc:
        raise MailUnavailable(f"could not hand the email to {settings.EMAIL_HOST}:{settings.EMAIL_PORT}: {exc}") from exc


class MailUnavailable(RuntimeError):
    """The mail server did not take the message (down, refused, timed out)."""


def send_confirmation(*, subscription, confirm_url: str) -> None:
    _send(to=subscription.email, subject="Confirm your dailypapers digest", template="confirm",
          context={"subscription": subscription, "confirm_url": confirm_url,
                   "max_age_days": settings.DIGEST_CONFIRM_MAX_AGE_DAYS})


def send_already_subscribed(*, subscription, manage_url: str) -> None:
    _send(to=subscription.email, subject="You are already subscribed to this dailypapers digest", template="already",
          context={"subscription": subscription, "manage_url": manage_url})
