"""A member's own library: named collections of papers (with "Saved for later" as the default
one) and a reading state per paper. These are also the strongest signals "for you" learns from
(community/foryou.py reads them; this app imports only the catalogue).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from dailypapers.catalog.models import Paper

USER = settings.AUTH_USER_MODEL


def new_share_token() -> str:
    """The secret part of an unlisted collection's address: 128 random bits, as URL-safe text."""
    return secrets.token_urlsafe(16)


class Collection(models.Model):
    PRIVATE, UNLISTED, PUBLIC = "private", "unlisted", "public"
    VISIBILITIES = [
        (PRIVATE, "private: only you"),
        (UNLISTED, "unlisted: anyone with the link"),
        (PUBLIC, "public: listed on your profile"),
    ]

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)
    visibility = models.CharField(max_length=16, choices=VISIBILITIES, default=PRIVATE)
    is_default = models.BooleanField(default=False, help_text='"Saved for later": one per member, made on first use.')
    share_token = models.CharField(
        max_length=32,
        default=new_share_token,
        help_text="Key in an unlisted collection's address (?key=); a new one retires the old links.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="collection_name_once_per_owner"),
            models.UniqueConstraint(
                fields=["owner"], condition=models.Q(is_default=True), name="collection_one_default_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.owner})"


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="collection_items")
    position = models.PositiveIntegerField(default=0, help_text="Order in the collection, smallest first.")
    note = models.TextField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["collection", "paper"], name="collectionitem_paper_once")]
        indexes = [models.Index(fields=["paper", "collection"], name="collectionitem_by_paper")]


class ReadingState(models.Model):
    READ, NOT_INTERESTED = "read", "not_interested"
    STATES = [(READ, "read"), (NOT_INTERESTED, "not interested")]

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="reading_states")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="reading_states")
    state = models.CharField(max_length=16, choices=STATES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="readingstate_once")]
        indexes = [models.Index(fields=["user", "state", "updated_at"], name="readingstate_by_user")]
