"""Saved searches and what they deliver: matches, webhooks and the webhook outbox.

A `SavedSearch` holds a search exactly as the search page takes it (query text, mode,
category, dates, has-code; search/views.search_form). `SavedSearchMatch` is the truth of
"this paper matched this saved search, and why", written once per (saved search, paper) by the
batched matcher (matching.py) in the job that embeds new papers; every delivery (the page, the
feed, the digest section, webhooks, MCP, the API) reads these rows, so they all say the same.
`WebhookDelivery` is the outbox that makes webhooks exactly-once per (hook, paper); its state
machine and crash reasoning are written beside the code that moves it (webhooks.py).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_feed_token() -> str:
    # 24 random bytes: the private part of the saved search's feed URL and its MCP handle.
    return secrets.token_urlsafe(24)


def new_hook_secret() -> str:
    return secrets.token_hex(32)


class SavedSearch(models.Model):
    MODES = [("hybrid", "words and meaning"), ("keyword", "words only"), ("meaning", "meaning only")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=200)
    query = models.CharField(max_length=500, blank=True, help_text="As typed on the search page.")
    mode = models.CharField(max_length=8, choices=MODES, default="hybrid")
    category = models.CharField(max_length=32, blank=True)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    has_code = models.BooleanField(null=True, blank=True)
    in_digest = models.BooleanField(default=True, help_text="Show new matches in the member's personal digest.")
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    last_visit_at = models.DateTimeField(null=True, blank=True, help_text="When the member last opened its page.")
    # The query's embedding (float32, L2-normalised) and the text and model it was made from,
    # so 10,000 saved searches are embedded once, not on every batch.
    vector = models.BinaryField(null=True, blank=True)
    vector_key = models.CharField(max_length=128, blank=True, help_text="model:sha256 of the embedded text.")

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="savedsearch_user_time")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


class SavedSearchMatch(models.Model):
    """A paper matched a saved search; `reason` says why in words every delivery shows."""

    WORDS, MEANING, FILTERS = "words", "meaning", "filters"
    KINDS = [(WORDS, "its words"), (MEANING, "close in meaning"), (FILTERS, "its author / category")]

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="matches")
    paper = models.ForeignKey("catalog.Paper", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=KINDS)
    reason = models.CharField(max_length=300)
    score = models.FloatField(null=True, blank=True, help_text="Cosine similarity to the query, when embedded.")
    matched_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["saved_search", "paper"], name="savedsearchmatch_once")]
        indexes = [models.Index(fields=["saved_search", "-matched_at"], name="savedsearchmatch_newest")]


class MatchCursor(models.Model):
    """How far the matcher has read: the highest search.PaperEmbedding id it has matched.
    One row (name "papers"); a re-embedded paper (changed text) gets a new id and is matched
    again, and the unique (saved search, paper) keeps it from being delivered twice."""

    name = models.CharField(max_length=32, unique=True)
    first_embedding_id = models.BigIntegerField(default=0, help_text="Where matching began: never looked behind.")
    last_embedding_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class Webhook(models.Model):
    JSON, SLACK, DISCORD = "json", "slack", "discord"
    FORMATS = [(JSON, "JSON (signed)"), (SLACK, "Slack incoming webhook"), (DISCORD, "Discord webhook")]

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    format = models.CharField(max_length=8, choices=FORMATS, default=JSON)
    secret = models.CharField(max_length=64, default=new_hook_secret)
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.format} hook {self.url} for {self.saved_search_id}"


class WebhookDelivery(models.Model):
    """One (hook, paper) to deliver: pending → sending → sent, or failed (webhooks.py)."""

    PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
    STATES = [(PENDING, "pending"), (SENDING, "sending"), (SENT, "sent"), (FAILED, "failed")]

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    match = models.ForeignKey(SavedSearchMatch, on_delete=models.CASCADE, related_name="+")
    paper = models.ForeignKey("catalog.Paper", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=STATES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    uncertain = models.BooleanField(default=False, help_text="Sender died after the last byte: counted as sent.")
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["webhook", "paper"], name="webhookdelivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhookdelivery_due")]

    @property
    def delivery_id(self) -> str:
        """Stable per (hook, paper): receivers may de-duplicate on it."""
        return f"{self.webhook_id}-{self.paper_id}"
