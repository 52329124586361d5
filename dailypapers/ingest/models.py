"""Ingest state kept in the database: where each OAI-PMH harvest has got to."""

from __future__ import annotations

from django.db import models


class HarvestState(models.Model):
    """One OAI-PMH harvest (endpoint, prefix, set, from, until) and its last resumption token.

    The token is saved after each page's records commit, so an interrupted harvest resumes at
    the next page; `finished_at` is set when the server says the list is complete.
    """

    endpoint = models.CharField(max_length=300)
    metadata_prefix = models.CharField(max_length=50, default="arXiv")
    set_spec = models.CharField(max_length=100, blank=True)
    date_from = models.DateField()
    date_until = models.DateField()
    resumption_token = models.CharField(max_length=500, blank=True)
    pages = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "metadata_prefix", "set_spec", "date_from", "date_until"],
                name="harveststate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.set_spec or '*'} {self.date_from}..{self.date_until}"
