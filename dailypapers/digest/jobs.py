"""Periodic jobs of the digest app, named in settings.DAILYPAPERS_SCHEDULE and run by
`dailypapers worker`. Plain functions without arguments; each is safe to run twice at once
(the sender lock and the outbox's unique rows make a second run a no-op)."""

from __future__ import annotations

import logging

from dailypapers.digest.content import default_edition_date
from dailypapers.digest.models import Subscription
from dailypapers.digest.sending import Report, SenderBusy, deliver_due, send_edition, sender_lock
from dailypapers.digest.subscriptions import purge_unconfirmed as _purge
from dailypapers.digest.transactional import deliver_queued

log = logging.getLogger("dailypapers.digest")


def _send(kind: str) -> dict:
    date = default_edition_date(kind)  # the calendar day, or the edition after the newest listing day
    if kind == Subscription.DAILY and date.weekday() >= 5:
        return {"skipped": "no daily digest on weekends"}
    try:
        result = send_edition(kind=kind, date=date)
    except SenderBusy as exc:
        return {"skipped": str(exc)}
    log.info("digest %s: %s", kind, result)
    return result


def send_daily() -> dict:
    return _send(Subscription.DAILY)


def send_weekly() -> dict:
    # Weekly editions go out on Mondays; the schedule runs this daily-safe function weekly.
    return _send(Subscription.WEEKLY)


def send_due() -> dict:
    """Retries whose backoff has passed, and anything a crashed run left behind."""
    try:
        with sender_lock(wait=0):
            return deliver_due(wait_for_retries=False, report=Report()).as_dict()
    except SenderBusy as exc:
        return {"skipped": str(exc)}


def send_queued_mail() -> dict:
    """Confirmation and "already subscribed" mails the forms queued (transactional.py)."""
    return deliver_queued()


def purge_unconfirmed() -> int:
    return _purge()
