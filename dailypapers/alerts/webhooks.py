"""Webhooks: each (hook, paper) delivered exactly once through the WebhookDelivery outbox.

A POST carries the match as JSON (or Slack's / Discord's incoming-webhook shape), signed with
the hook's own secret: `X-Dailypapers-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>">` (`verify_signature` checks one), and `X-Dailypapers-Delivery: <hook>-<paper>`,
fixed per delivery so a receiver can de-duplicate.

State of one delivery, and what a crash (kill -9) of the sender at each point leaves:

    pending ──(request line, headers, body but its last byte)──> commit 'sending' ──(last byte)──> 2xx ──> commit 'sent'
       │                                                                                │
       └── connect error, or a non-2xx answer: pending with next_attempt_at             └── non-2xx: pending (retry)
           (backoff 1, 2, 4 … minutes; failed after WEBHOOK_MAX_ATTEMPTS)

1. Killed while 'pending' (before or while writing the request): the receiver holds a request
   whose body is one byte short of its Content-Length, and an HTTP server does not act on an
   incomplete request; the connection dies with us and the request with it. The next run sends
   it: delivered once.
2. Killed after the 'sending' commit: the last byte has all but certainly gone out (a few
   Python statements stand between the commit and the send). The next run, holding the sender
   lock, knows no live sender owns the row and marks it 'sent', `uncertain`: delivered once.
3. Killed after 'sent': nothing to do.

The sliver between the 'sending' commit and handing the last byte to the kernel loses the
delivery rather than doubling it, as the digest outbox chooses (digest/sending.py). A receiver
that times out after reading the whole request is retried (it may have acted: the stable
delivery id lets it drop the repeat).

A hook failing WEBHOOK_DISABLE_AFTER attempts in a row is disabled, its pending deliveries
marked failed, and its member told by mail and on the saved search's page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import os
import signal
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from dailypapers.alerts.locks import sender_lock
from dailypapers.alerts.models import Webhook, WebhookDelivery
from dailypapers.alerts.records import match_record
from dailypapers.catalog.site import absolute_url, paper_url

log = logging.getLogger("dailypapers.alerts")

SIGNATURE_HEADER = "X-Dailypapers-Signature"
DELIVERY_HEADER = "X-Dailypapers-Delivery"
# Retries wait 1, 2, 4, 8 … minutes (as the digest's SMTP retries), at most a day.
RETRY_BASE_SECONDS = 60.0
RETRY_MAX_SECONDS = 24 * 3600.0
# A receiver gets this long to connect and answer; Slack and Discord answer in well under 1 s.
TIMEOUT_SECONDS = 10.0
# Signatures older than this are refused by `verify_signature` (replays).
SIGNATURE_TOLERANCE_SECONDS = 300
BATCH = 200
USER_AGENT = "dailypapers-webhook/1"


def retry_backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def sign(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """What a receiver runs: the header's HMAC matches the body and the timestamp is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), header)


# --- payloads -----------------------------------------------------------------------------
def payload(delivery: WebhookDelivery) -> dict:
    """The body for the hook's format; every shape says why the paper matched."""
    hook, match, paper = delivery.webhook, delivery.match, delivery.paper
    saved = hook.saved_search
    page = absolute_url(f"/saved-searches/{saved.pk}")
    url = paper_url(paper)
    if hook.format == Webhook.SLACK:
        # Slack incoming webhooks: `text` in mrkdwn, <url|label> links (api.slack.com/messaging/webhooks).
        title = paper.title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return {
            "text": f"New paper for “{saved.name}”: <{url}|{title}>\n_{match.reason}_",
            "unfurl_links": False,
        }
    if hook.format == Webhook.DISCORD:
        # Discord execute-webhook: `content` ≤ 2,000 characters, an embed's description ≤ 4,096.
        return {
            "content": f"New paper for “{saved.name}”"[:2000],
            "embeds": [
                {
                    "title": paper.title[:256],
                    "url": url,
                    "description": f"{match.reason}\n\n{paper.abstract}"[:4000],
                    "footer": {"text": f"arXiv:{paper.arxiv_id}"},
                }
            ],
            "allowed_mentions": {"parse": []},
        }
    return {
        "event": "saved_search.match",
        "delivery_id": delivery.delivery_id,
        "saved_search": {"id": saved.pk, "name": saved.name, "query": saved.query, "url": page},
        **match_record(match).model_dump(),
    }


def request_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(payload(delivery), ensure_ascii=False, separators=(",", ":")).encode()


# --- the HTTP exchange, split before the last byte -----------------------------------------
class DeliveryError(Exception):
    """The receiver was not reached or did not accept; retry later."""


class RefusedTarget(DeliveryError):
    """The URL points where we do not post (a private address); permanent."""


def _check_target(host: str, port: int) -> None:
    if settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except OSError as exc:
        raise DeliveryError(f"cannot resolve {host}: {exc}") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise RefusedTarget(f"{host} resolves to {ip}, a private address; webhooks go to public hosts only")


class Exchange:
    """One POST whose last byte is held back until the caller says so."""

    def __init__(self, url: str, body: bytes, headers: dict):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RefusedTarget(f"url: expected an http(s) URL, got {url[:80]!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        _check_target(parts.hostname, port)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.connection = kind(parts.hostname, port, timeout=TIMEOUT_SECONDS)
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.body, self.headers = body, headers

    def begin(self) -> None:
        try:
            self.connection.putrequest("POST", self.path, skip_accept_encoding=True)
            for name, value in {**self.headers, "Content-Length": str(len(self.body))}.items():
                self.connection.putheader(name, value)
            self.connection.endheaders()
            self.connection.send(self.body[:-1])
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise DeliveryError(f"could not send: {exc}") from None

    def finish(self) -> int:
        try:
            self.connection.send(self.body[-1:])
            response = self.connection.getresponse()
            response.read(65536)
            return response.status
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(f"no answer: {exc}") from None
        finally:
            self.close()

    def close(self) -> None:
        self.connection.close()


# --- crash testing ------------------------------------------------------------------------
class _Failpoints:
    """DAILYPAPERS_WEBHOOK_FAILPOINT=name:N kills this process (SIGKILL) the Nth time it
    reaches `name`; the kill -9 tests stop a sender at exact points with it. Unset: no-op."""

    def __init__(self):
        name, _, count = os.environ.get("DAILYPAPERS_WEBHOOK_FAILPOINT", "").partition(":")
        self.name, self.remaining = name, int(count or 1)

    def hit(self, name: str) -> None:
        if name == self.name:
            self.remaining -= 1
            if self.remaining <= 0:
                os.kill(os.getpid(), signal.SIGKILL)


# --- delivering ---------------------------------------------------------------------------
@dataclass
class Report:
    sent: int = 0
    retry_later: int = 0
    failed: int = 0
    recovered_uncertain: int = 0
    disabled_hooks: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "errors"} | {"errors": self.errors[:10]}


def recover_interrupted() -> int:
    """Rows a dead sender left in 'sending' (we hold the lock): their last byte went out."""
    return WebhookDelivery.objects.filter(state=WebhookDelivery.SENDING).update(
        state=WebhookDelivery.SENT,
        uncertain=True,
        sent_at=timezone.now(),
        last_error="sender stopped between the last byte and recording the answer",
    )


def disable_hook(hook: Webhook, reason: str) -> None:
    """Stop a hook that keeps failing: its pending deliveries fail, its member is told."""
    updated = Webhook.objects.filter(pk=hook.pk, active=True).update(
        active=False, disabled_at=timezone.now(), disabled_reason=reason[:300]
    )
    if not updated:
        return
    WebhookDelivery.objects.filter(webhook=hook, state=WebhookDelivery.PENDING).update(
        state=WebhookDelivery.FAILED, last_error="hook disabled after repeated failures"
    )
    saved = hook.saved_search
    email = saved.user.email
    if email:
        page = absolute_url(f"/saved-searches/{saved.pk}")
        send_mail(
            subject=f"Webhook disabled for your saved search “{saved.name[:80]}”",
            message=(
                f"Your webhook {hook.url} failed {settings.WEBHOOK_DISABLE_AFTER} times in a row, so we "
                f"stopped sending to it.\n\nLast error: {reason}\n\nFix the receiver, then turn the hook "
                f"back on at {page}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
            fail_silently=True,  # the page shows the same note; a mail outage must not stop delivery
        )


class Deliverer:
    def __init__(self, report: Report):
        self.report = report
        self.failpoints = _Failpoints()

    def _failed_attempt(self, row: WebhookDelivery, error: str, *, permanent: bool = False) -> None:
        attempts = row.attempts + 1
        if permanent or attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            WebhookDelivery.objects.filter(pk=row.pk).update(
                state=WebhookDelivery.FAILED, attempts=attempts, last_error=error[:500]
            )
            self.report.failed += 1
        else:
            WebhookDelivery.objects.filter(pk=row.pk).update(
                state=WebhookDelivery.PENDING,
                attempts=attempts,
                next_attempt_at=timezone.now() + retry_backoff(attempts),
                last_error=error[:500],
            )
            self.report.retry_later += 1
        self.report.errors.append(error)
        Webhook.objects.filter(pk=row.webhook_id).update(consecutive_failures=F("consecutive_failures") + 1)
        failures = Webhook.objects.filter(pk=row.webhook_id).values_list("consecutive_failures", flat=True).first()
        if failures is not None and failures >= settings.WEBHOOK_DISABLE_AFTER:
            disable_hook(row.webhook, error)
            self.report.disabled_hooks += 1

    def deliver(self, row: WebhookDelivery) -> None:
        hook = row.webhook
        if not hook.active:
            WebhookDelivery.objects.filter(pk=row.pk).update(state=WebhookDelivery.FAILED, last_error="hook disabled")
            return
        body = request_body(row)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            DELIVERY_HEADER: row.delivery_id,
            SIGNATURE_HEADER: sign(hook.secret, body, int(time.time())),
        }
        try:
            exchange = Exchange(hook.url, body, headers)
            exchange.begin()
        except RefusedTarget as exc:
            self._failed_attempt(row, str(exc), permanent=True)
            return
        except DeliveryError as exc:
            self._failed_attempt(row, str(exc))
            return
        self.failpoints.hit("before_handoff")
        claimed = WebhookDelivery.objects.filter(pk=row.pk, state=WebhookDelivery.PENDING).update(
            state=WebhookDelivery.SENDING, attempts=F("attempts") + 1
        )
        if not claimed:  # moved by someone else (not under the lock): never risk a double
            exchange.close()
            return
        self.failpoints.hit("before_last_byte")  # the documented sliver: a kill here loses this one
        try:
            status = exchange.finish()
        except DeliveryError as exc:
            WebhookDelivery.objects.filter(pk=row.pk).update(state=WebhookDelivery.PENDING)
            self._failed_attempt(row, str(exc))
            return
        if not 200 <= status < 300:
            WebhookDelivery.objects.filter(pk=row.pk).update(state=WebhookDelivery.PENDING)
            self._failed_attempt(row, f"{hook.url} answered HTTP {status}")
            return
        self.failpoints.hit("after_accept")
        WebhookDelivery.objects.filter(pk=row.pk).update(state=WebhookDelivery.SENT, sent_at=timezone.now())
        Webhook.objects.filter(pk=hook.pk, consecutive_failures__gt=0).update(consecutive_failures=0)
        self.report.sent += 1
        self.failpoints.hit("after_sent")

    def run_once(self) -> None:
        """Every due pending row, in id order, a batch at a time."""
        last_pk = 0
        while True:
            batch = list(
                WebhookDelivery.objects.filter(state=WebhookDelivery.PENDING, pk__gt=last_pk)
                .exclude(next_attempt_at__gt=timezone.now())
                .select_related("webhook__saved_search__user", "match", "paper")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return
            last_pk = batch[-1].pk
            for row in batch:
                self.deliver(row)


def deliver_due(*, wait: float = 0.0) -> Report:
    """Deliver every due webhook under the sender lock (raises locks.SenderBusy when another
    sender holds it past `wait` seconds). Retries not yet due wait for the next run."""
    report = Report()
    with sender_lock(wait=wait):
        report.recovered_uncertain = recover_interrupted()
        Deliverer(report).run_once()
    return report
