"""Member standing: every community action asks `ensure_can_act` first, so a banned member or
an anonymous visitor is refused in one place with one clear message."""

from __future__ import annotations

import secrets

from dailypapers.community.models import Member
from dailypapers.community.refusals import Refused


class NotAllowed(Refused, PermissionError):
    """The user may not do this (not logged in, banned, not the author)."""

    default_code = "forbidden"


def member_of(user) -> Member:
    member, _ = Member.objects.get_or_create(user=user)
    return member


def feed_key_of(user) -> str:
    """The member's current "for you" feed key ("" until they first rotate it)."""
    return Member.objects.filter(user=user).values_list("feed_key", flat=True).first() or ""


def rotate_feed_key(user) -> str:
    """A new feed key: every "for you" feed URL given out before stops working."""
    member = member_of(user)
    member.feed_key = secrets.token_hex(8)
    member.save(update_fields=["feed_key"])
    return member.feed_key


def is_banned(user) -> bool:
    return bool(user and user.is_authenticated and Member.objects.filter(user=user, banned=True).exists())


def ensure_can_act(user) -> None:
    if user is None or not user.is_authenticated:
        raise NotAllowed("log in to do this", code="unauthenticated")
    if not user.is_active:
        raise NotAllowed("this account is disabled")
    if is_banned(user):
        raise NotAllowed("your account is banned from voting, submitting and commenting")
