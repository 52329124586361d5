"""Personal access tokens: a member's key for API writes from scripts and agents.

Only a SHA-256 hash of the token is stored. Tokens are 32 random bytes, so a fast hash is
safe here (no dictionary to attack, unlike passwords) and lets every request look its token
up by an indexed equality instead of trying a slow hash per row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AccessToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100, help_text="What the member uses it for, e.g. 'zotero script'.")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 hex digest of the token.")
    prefix = models.CharField(
        max_length=12, help_text="The first characters of the token, shown so the member can tell tokens apart."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name}) of {self.user}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
