"""Receivers: every new account gets its Member row, so moderators find it in the admin's
Members list (to ban) without waiting for the member's first action."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from dailypapers.community.models import Member


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="community.member_for_new_user")
def member_for_new_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Member.objects.get_or_create(user=instance)
