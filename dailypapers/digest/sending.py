"""The outbox: build an edition's rows, then deliver them exactly once.

State of one OutboxMessage, and what a crash (kill -9) at each point leaves behind:

    pending ──(MAIL, RCPT, DATA, body — no final ".")──> commit 'sending' ──(".")──> 250 ──> commit 'sent'
       │                                                                       │
       └── 4xx / lost connection before the "." : pending, next_attempt_at     └── 5xx: failed
                                                     (backoff; failed after DIGEST_MAX_ATTEMPTS)

1. Killed while the row is 'pending' (before or during the body): the server holds an
   unfinished DATA and drops it when the connection dies (RFC 5321 §4.1.1.4: nothing is
   delivered without the final "."). The next run sends it: delivered once.
2. Killed after the 'sending' commit: the "." has almost certainly gone out (the only code
   between the commit and the send() call is a few Python statements, microseconds), and the
   server answers within a round trip. The next run, holding the sender lock, knows no live
   sender owns the row and marks it 'sent' with `uncertain=True`: delivered once.
3. Killed after 'sent': nothing to do.

The residual risk is the microseconds between the 'sending' commit and handing the "." to
the kernel (then the message is lost, never doubled), and a server that answers 4xx/5xx to
the "." at the very moment we die (also counted as sent). We chose "at most once" for that
sliver because a duplicate digest annoys every subscriber it hits while the window is far
smaller than the reverse order's (a database commit between "." and the record). Each row has
a fixed Message-ID, so even a hand-forced resend collapses in receivers that de-duplicate.

Only one sender runs at a time (`sender_lock`): a PostgreSQL advisory lock, or an flock on a
file beside the SQLite database; both vanish with the process, so a killed run never blocks
the next one. A second run waits up to `wait` seconds, then gives up without sending.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import signal
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from dailypapers.catalog.locks import LockBusy, process_lock
from dailypapers.digest.content import PaperPicker
from dailypapers.digest.models import Edition, OutboxMessage, Subscription, Suppression
from dailypapers.digest.rendering import PaperBlocks, build_message, digest_data
from dailypapers.digest.smtp import (
    AmbiguousError,
    PermanentError,
    SplitDataSession,
    TransientError,
    envelope_sender,
    retry_backoff,
)

log = logging.getLogger("dailypapers.digest")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
BATCH = 200


class SenderBusy(LockBusy):
    """Another process is sending digests right now."""


@dataclass
class Report:
    queued: int = 0
    sent: int = 0
    retry_later: int = 0
    failed: int = 0
    skipped: int = 0  # unsubscribed or suppressed between building and sending
    recovered_uncertain: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "errors"} | {"errors": self.errors[:10]}


# --- the sender lock ----------------------------------------------------------------------
def sender_lock(*, wait: float = 0.0):
    """One digest sender at a time (catalog/locks.py; the lock file sits beside the SQLite database)."""
    return process_lock("digest sender", wait=wait, busy=SenderBusy)


# --- crash testing ------------------------------------------------------------------------
class _Failpoints:
    """DAILYPAPERS_DIGEST_FAILPOINT=name:N kills this process (SIGKILL) the Nth time it
    reaches `name`; the kill -9 tests use it to stop a sender at exact points. Unset: no-op."""

    def __init__(self):
        raw = os.environ.get("DAILYPAPERS_DIGEST_FAILPOINT", "")
        name, _, count = raw.partition(":")
        self.name, self.remaining = name, int(count or 1)

    def hit(self, name: str) -> None:
        if name == self.name:
            self.remaining -= 1
            if self.remaining <= 0:
                os.kill(os.getpid(), signal.SIGKILL)


# --- building an edition ------------------------------------------------------------------
def build_edition(*, kind: str, date: dt.date, dry_run: bool = False) -> tuple[Edition | None, int]:
    """Insert one pending row per due subscription with something to send. Safe to repeat:
    the (subscription, edition) unique constraint drops rows already there, and a rerun
    picks up subscriptions confirmed since. Returns the edition and the new rows' count."""
    edition = Edition.objects.filter(kind=kind, date=date).first()
    if not dry_run and edition is None:
        edition, _ = Edition.objects.get_or_create(kind=kind, date=date)
    picker = PaperPicker(kind=kind, date=date)
    subscriptions = (
        Subscription.objects.filter(status=Subscription.ACTIVE, frequency=kind)
        .exclude(email__in=Suppression.objects.values("email"))
        .select_related("user")
        .order_by("pk")
    )
    if edition is not None and edition.pk:  # already queued: not again
        subscriptions = subscriptions.exclude(outbox__edition=edition)
    rows, queued = [], 0
    for subscription in subscriptions.iterator(chunk_size=2000):
        paper_ids = picker.paper_ids(subscription)
        if not paper_ids and not picker.saved_sections(subscription):  # nothing new: no message at all
            continue
        queued += 1
        if not dry_run:
            rows.append(OutboxMessage(subscription=subscription, edition=edition, paper_ids=paper_ids))
            if len(rows) >= 1000:
                OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
                rows = []
    if not dry_run:
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
        Edition.objects.filter(pk=edition.pk).update(built_at=timezone.now())
    return edition, queued


# --- delivering ---------------------------------------------------------------------------
def recover_interrupted() -> int:
    """Rows left in 'sending' by a dead run (we hold the lock, so no live run owns them):
    their final "." went out, so they count as sent (see the module docstring)."""
    return OutboxMessage.objects.filter(state=OutboxMessage.SENDING).update(
        state=OutboxMessage.SENT,
        uncertain=True,
        sent_at=timezone.now(),
        last_error="sender stopped between the final '.' and recording the answer",
    )


# A send run sleeps for retries due within this (the first two, 1 + 2 minutes, fit), then
# leaves the rest to the `digest retries` job every 10 minutes rather than holding the lock.
RETRY_WAIT_SECONDS = 300.0


class Deliverer:
    def __init__(self, report: Report):
        self.report = report
        self.session = SplitDataSession()
        self.failpoints = _Failpoints()
        self.blocks = PaperBlocks()
        self.sender = envelope_sender()

    def _retry_or_fail(self, row: OutboxMessage, error: str) -> None:
        attempts = row.attempts + 1
        if attempts >= settings.DIGEST_MAX_ATTEMPTS:
            OutboxMessage.objects.filter(pk=row.pk).update(
                state=OutboxMessage.FAILED, attempts=attempts, last_error=error[:500]
            )
            self.report.failed += 1
        else:
            OutboxMessage.objects.filter(pk=row.pk).update(
                attempts=attempts, next_attempt_at=timezone.now() + retry_backoff(attempts), last_error=error[:500]
            )
            self.report.retry_later += 1
        self.report.errors.append(error)

    def _fail(self, row: OutboxMessage, error: str) -> None:
        OutboxMessage.objects.filter(pk=row.pk).update(
            state=OutboxMessage.FAILED, attempts=F("attempts") + 1, last_error=error[:500]
        )
        self.report.failed += 1

    def deliver(self, row: OutboxMessage, suppressed: set[str]) -> bool:
        """One row; returns False when the server is unreachable (stop this run's batch)."""
        subscription = row.subscription
        if subscription.status != Subscription.ACTIVE or subscription.email in suppressed:
            OutboxMessage.objects.filter(pk=row.pk).update(
                state=OutboxMessage.FAILED,
                last_error="not sent: unsubscribed or suppressed after the edition was built",
            )
            self.report.skipped += 1
            return True
        data = digest_data(subscription=subscription, edition=row.edition, paper_ids=row.paper_ids, blocks=self.blocks)
        try:
            # A row written around the form (admin, raw SQL) may hold a line break in the address:
            # Django refuses it in headers (BadHeaderError is a ValueError), and so do we for RCPT.
            if _CONTROL.search(subscription.email):
                raise ValueError("control character in the address")
            message = build_message(data=data, to=subscription.email, message_id=row.message_id)
            message_bytes = message.message().as_bytes(linesep="\r\n")
        except ValueError as exc:
            self._fail(row, f"refused to build the message: {exc}")
            return True
        if settings.EMAIL_BACKEND != settings.SMTP_EMAIL_BACKEND:
            return self.hand_to_backend(row, message)
        try:
            self.session.begin(sender=self.sender, recipient=subscription.email, message_bytes=message_bytes)
        except TransientError as exc:
            self._retry_or_fail(row, str(exc))
            return not exc.connection_lost
        except PermanentError as exc:
            self._fail(row, str(exc))
            if exc.recipient:
                Suppression.objects.get_or_create(
                    email=subscription.email, defaults={"reason": Suppression.SMTP_REJECTED}
                )
            return True
        self.failpoints.hit("before_handoff")
        claimed = OutboxMessage.objects.filter(pk=row.pk, state=OutboxMessage.PENDING).update(
            state=OutboxMessage.SENDING, attempts=F("attempts") + 1
        )
        if not claimed:  # someone else moved the row (cannot happen under the lock; never risk a double)
            self.session.close()  # mid-DATA, only dropping the connection makes the server discard it
            return True
        self.failpoints.hit("before_dot")  # the documented sliver: a kill here loses this message
        try:
            self.session.finish()
        except TransientError as exc:  # the "." never left: back to pending
            OutboxMessage.objects.filter(pk=row.pk).update(state=OutboxMessage.PENDING)
            self._retry_or_fail(row, str(exc))
            return not exc.connection_lost
        except PermanentError as exc:
            OutboxMessage.objects.filter(pk=row.pk).update(state=OutboxMessage.FAILED, last_error=str(exc)[:500])
            self.report.failed += 1
            self.session.reset()
            return True
        except AmbiguousError as exc:
            OutboxMessage.objects.filter(pk=row.pk).update(
                state=OutboxMessage.SENT, uncertain=True, sent_at=timezone.now(), last_error=str(exc)[:500]
            )
            self.report.sent += 1
            return False
        self.failpoints.hit("after_accept")
        OutboxMessage.objects.filter(pk=row.pk).update(state=OutboxMessage.SENT, sent_at=timezone.now())
        self.report.sent += 1
        self.failpoints.hit("after_sent")
        return True

    def hand_to_backend(self, row: OutboxMessage, message) -> bool:
        """A file or console backend (the demo's mail sink, DAILYPAPERS_EMAIL_BACKEND): there is no
        SMTP dialogue to split, so the message is written whole, then the row is marked sent. A
        kill between the two writes the file again on the next run: a demo's duplicate, no loss."""
        try:
            message.send()
        except OSError as exc:
            self._retry_or_fail(row, f"mail backend {settings.EMAIL_BACKEND}: {exc}")
            return False
        OutboxMessage.objects.filter(pk=row.pk, state=OutboxMessage.PENDING).update(
            state=OutboxMessage.SENT, attempts=F("attempts") + 1, sent_at=timezone.now()
        )
        self.report.sent += 1
        return True

    def run_once(self) -> None:
        """Deliver every due pending row, in id order, a batch at a time."""
        last_pk = 0
        while True:
            now = timezone.now()
            batch = list(
                OutboxMessage.objects.filter(state=OutboxMessage.PENDING, pk__gt=last_pk)
                .exclude(next_attempt_at__gt=now)
                .select_related("subscription", "edition")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return
            last_pk = batch[-1].pk
            suppressed = set(
                Suppression.objects.filter(email__in={row.subscription.email for row in batch}).values_list(
                    "email", flat=True
                )
            )
            for row in batch:
                if not self.deliver(row, suppressed):
                    return  # server unreachable: the rest waits for the next attempt


def deliver_due(*, wait_for_retries: bool = True, report: Report | None = None) -> Report:
    """Send every due outbox row. Caller holds `sender_lock`. Sleeps for retries that fall due
    within RETRY_WAIT_SECONDS, then leaves the rest to the next scheduled run."""
    report = report or Report()
    report.recovered_uncertain += recover_interrupted()
    deliverer = Deliverer(report)
    try:
        while True:
            deliverer.run_once()
            if not wait_for_retries:
                return report
            soonest = (
                OutboxMessage.objects.filter(state=OutboxMessage.PENDING, next_attempt_at__isnull=False)
                .order_by("next_attempt_at")
                .values_list("next_attempt_at", flat=True)
                .first()
            )
            if soonest is None:
                return report
            delay = (soonest - timezone.now()).total_seconds()
            if delay > RETRY_WAIT_SECONDS:
                return report
            time.sleep(max(delay, 0.0))
    finally:
        deliverer.session.quit()


def send_edition(*, kind: str, date: dt.date, dry_run: bool = False, wait: float = 0.0) -> dict:
    """Build the edition's outbox (if not yet built) and deliver everything due."""
    if dry_run:
        _, queued = build_edition(kind=kind, date=date, dry_run=True)
        return {"edition": f"{kind} {date}", "dry_run": True, "would_queue": queued}
    with sender_lock(wait=wait):
        edition, queued = build_edition(kind=kind, date=date)
        _Failpoints().hit("after_build")
        report = deliver_due(report=Report(queued=queued))
    return {"edition": str(edition), **report.as_dict()}
