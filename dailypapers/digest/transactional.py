"""The outbox of transactional mails: subscription confirmations and "already subscribed" notes.

A request that asks for such a mail only renders it into a `QueuedMail` row, in its own
transaction; the worker delivers it (kicked right after the commit through the job queue, and
every minute by the `send queued mail` job). So the subscribe form and
`POST /api/v1/me/subscriptions` never wait on SMTP: with the mail server down, the API answered
an HTML 500 after creating the subscription, the form a 503 (issue 12). Digests have their own
outbox (sending.py), with exactly-once rules a confirmation mail does not need.

States: pending -> sending (claimed by one sender) -> sent, or back to pending with a backoff
(smtp.retry_backoff: 1, 2, 4, 8 minutes) on a temporary failure, failed after
DIGEST_MAX_ATTEMPTS or at once when the server refuses the recipient. A sender killed while a
row is 'sending' leaves it there; after STUCK_AFTER it is pending again (a confirmation mail
sent twice is better than one never sent).

settings.DIGEST_MAIL_INLINE (tests only) delivers right after queueing, in the same process.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from dailypapers.digest.models import QueuedMail
from dailypapers.digest.smtp import retry_backoff

log = logging.getLogger("dailypapers.digest")
STUCK_AFTER = dt.timedelta(minutes=10)
BATCH = 100


def queue_mail(*, to: str, subject: str, text: str, html: str) -> QueuedMail:
    row = QueuedMail.objects.create(to=to, subject=subject, text=text, html=html)
    if getattr(settings, "DIGEST_MAIL_INLINE", False):
        deliver_queued(ids=[row.pk])
    else:
        transaction.on_commit(_wake_the_worker)
    return row


def _wake_the_worker() -> None:
    """Ask the worker to deliver now rather than at its next minute (one row in its queue)."""
    from django_q.tasks import async_task

    try:
        async_task("dailypapers.digest.transactional.deliver_queued", task_name="send queued mail now")
    except DatabaseError:  # the queue table is busy or gone: the every-minute job still sends it
        log.warning("could not wake the worker; the queued mail goes out with the next `send queued mail` run")


def _deliver(row: QueuedMail) -> None:
    message = EmailMultiAlternatives(
        subject=row.subject, body=row.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.to]
    )
    message.attach_alternative(row.html, "text/html")
    attempts = row.attempts + 1
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        QueuedMail.objects.filter(pk=row.pk).update(
            state=QueuedMail.FAILED, attempts=attempts, last_error=str(exc)[:500]
        )
        return
    except (OSError, smtplib.SMTPException) as exc:
        failed = attempts >= settings.DIGEST_MAX_ATTEMPTS
        QueuedMail.objects.filter(pk=row.pk).update(
            state=QueuedMail.FAILED if failed else QueuedMail.PENDING,
            attempts=attempts,
            next_attempt_at=None if failed else timezone.now() + retry_backoff(attempts),
            last_error=f"could not hand the mail to {settings.EMAIL_HOST}:{settings.EMAIL_PORT}: {exc}"[:500],
        )
        return
    QueuedMail.objects.filter(pk=row.pk).update(
        state=QueuedMail.SENT, attempts=attempts, sent_at=timezone.now(), last_error=""
    )


def deliver_queued(*, ids: list[int] | None = None) -> dict:
    """Send every due queued mail (only `ids` when given); returns counts by outcome."""
    now = timezone.now()
    QueuedMail.objects.filter(state=QueuedMail.SENDING, created_at__lt=now - STUCK_AFTER).update(
        state=QueuedMail.PENDING
    )
    due = QueuedMail.objects.filter(state=QueuedMail.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    if ids is not None:
        due = due.filter(pk__in=ids)
    for row in list(due.order_by("pk")[:BATCH]):
        # One sender per row: another worker that claimed it first makes this update match nothing.
        if QueuedMail.objects.filter(pk=row.pk, state=QueuedMail.PENDING).update(state=QueuedMail.SENDING):
            _deliver(row)
    counts = {
        state: QueuedMail.objects.filter(state=state).count() for state in (QueuedMail.PENDING, QueuedMail.FAILED)
    }
    return {"pending": counts[QueuedMail.PENDING], "failed": counts[QueuedMail.FAILED]}
