"""Digest data: subscriptions, editions, the outbox and suppressed addresses.

The outbox is what makes sending exactly-once: one `OutboxMessage` per (subscription,
edition), inserted before anything is sent, unique on that pair, moved through
pending -> sending -> sent / failed by `dailypapers.digest.sending` (the state machine and
its crash reasoning are written beside that code).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_token() -> str:
    # 32 random bytes: the opaque identity behind manage and unsubscribe links.
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    DAILY, WEEKLY = "daily", "weekly"
    FREQUENCIES = [(DAILY, "Daily (weekdays)"), (WEEKLY, "Weekly (Mondays)")]

    TRENDING, TOPIC, CATEGORY, AUTHOR, FOR_YOU, ORG = "trending", "topic", "category", "author", "foryou", "org"
    KINDS = [
        (TRENDING, "Trending papers"),
        (TOPIC, "New papers for a topic (saved search)"),
        (CATEGORY, "New papers in an arXiv category"),
        (AUTHOR, "New papers by an author"),
        (FOR_YOU, "My \u201cfor you\u201d feed (members)"),
        (ORG, "New papers of an organisation (its address, e.g. carberry-lab)"),
    ]

    UNCONFIRMED, ACTIVE, UNSUBSCRIBED = "unconfirmed", "active", "unsubscribed"
    STATUSES = [(UNCONFIRMED, "Unconfirmed"), (ACTIVE, "Active"), (UNSUBSCRIBED, "Unsubscribed")]

    email = models.EmailField(max_length=254, help_text="Lower-cased address.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="digest_subscriptions"
    )
    frequency = models.CharField(max_length=8, choices=FREQUENCIES, default=DAILY)
    kind = models.CharField(max_length=10, choices=KINDS, default=TRENDING)
    value = models.CharField(
        max_length=200,
        blank=True,
        help_text="The topic query, category, author name or organisation slug; empty for trending and for you.",
    )
    status = models.CharField(max_length=12, choices=STATUSES, default=UNCONFIRMED, db_index=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "kind", "value"], name="subscription_unique_per_address")
        ]
        indexes = [models.Index(fields=["status", "frequency"], name="subscription_due")]

    def __str__(self) -> str:
        what = f"{self.kind}:{self.value}" if self.value else self.kind
        return f"{self.email} {self.frequency} {what} ({self.status})"

    @property
    def description(self) -> str:
        labels = {
            self.TRENDING: "Trending papers",
            self.TOPIC: f"New papers about \u201c{self.value}\u201d",
            self.CATEGORY: f"New papers in {self.value}",
            self.AUTHOR: f"New papers by {self.value}",
            self.FOR_YOU: "Your \u201cfor you\u201d feed",
            self.ORG: f"New papers of the organisation {self.value}",
        }
        return labels[self.kind]


class Edition(models.Model):
    """One digest issue: daily on a weekday, or weekly for the week ending on `date`."""

    kind = models.CharField(max_length=8, choices=Subscription.FREQUENCIES)
    date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    # When the last build finished. Every send run builds again (only missing rows are
    # inserted), so a crash while building loses nothing and late confirmations get it.
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "date"], name="edition_unique_kind_date")]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"


class OutboxMessage(models.Model):
    PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
    STATES = [(PENDING, "Pending"), (SENDING, "Handed to the SMTP server"), (SENT, "Sent"), (FAILED, "Failed")]

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="outbox")
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="outbox")
    paper_ids = models.JSONField(
        default=list, help_text="The papers of this message, fixed when the row is made so a resend is identical."
    )
    state = models.CharField(max_length=8, choices=STATES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    # True when a run died between handing the message over and hearing the server's
    # answer; we count it as sent (see sending.py) and keep the flag for the operator.
    uncertain = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "edition"], name="outbox_once_per_subscription_edition")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"outbox #{self.pk} {self.state}"

    @property
    def message_id(self) -> str:
        # Stable per row: a resend (after a crash) carries the same Message-ID, which
        # receivers that de-duplicate on it (e.g. Gmail) collapse into one message.
        domain = settings.DIGEST_MESSAGE_ID_DOMAIN
        return f"<digest-{self.edition_id}-{self.pk}@{domain}>"


class Suppression(models.Model):
    """An address we never send digests to: unsubscribed, hard bounce, complaint, 3 soft bounces."""

    UNSUBSCRIBED, HARD_BOUNCE, SOFT_BOUNCES, COMPLAINT, SMTP_REJECTED = (
        "unsubscribed",
        "hard_bounce",
        "soft_bounces",
        "complaint",
        "smtp_rejected",
    )
    REASONS = [
        (UNSUBSCRIBED, "Unsubscribed"),
        (HARD_BOUNCE, "Hard bounce"),
        (SOFT_BOUNCES, "Repeated soft bounces"),
        (COMPLAINT, "Spam complaint"),
        (SMTP_REJECTED, "Rejected by the SMTP server"),
    ]

    email = models.EmailField(max_length=254, unique=True)
    reason = models.CharField(max_length=16, choices=REASONS)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"


class BounceEvent(models.Model):
    """Every bounce or complaint the webhook received, kept to count soft bounces."""

    HARD, SOFT, COMPLAINT = "hard", "soft", "complaint"
    KINDS = [(HARD, "Hard bounce"), (SOFT, "Soft bounce"), (COMPLAINT, "Complaint")]

    email = models.EmailField(max_length=254, db_index=True)
    kind = models.CharField(max_length=10, choices=KINDS)
    detail = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)


class QueuedMail(models.Model):
    """A transactional mail (subscription confirmation, "already subscribed") waiting for the
    sender: the request that asks for it only writes this row, so it never waits on SMTP and an
    outage costs nothing (digest/transactional.py delivers it, retrying with backoff)."""

    PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
    STATES = [(PENDING, "Pending"), (SENDING, "Being sent"), (SENT, "Sent"), (FAILED, "Failed")]

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField()
    state = models.CharField(max_length=8, choices=STATES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="queuedmail_due")]

    def __str__(self) -> str:
        return f"mail #{self.pk} to {self.to} ({self.state})"
