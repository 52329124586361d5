"""Follows: a member follows authors, categories, topics (saved searches), organisations (slugs) and keywords.

The email digests read the same `Follow(user, kind, value)` rows.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from dailypapers.catalog.keywords import normalise_keyword
from dailypapers.catalog.text import NOT_ONE_LINE
from dailypapers.community.members import ensure_can_act
from dailypapers.community.models import Follow, Organisation
from dailypapers.community.refusals import Refused

KINDS = {kind for kind, _ in Follow.KINDS}


class FollowRefused(Refused, ValueError):
    """The follow request names an unknown kind or an empty value."""


def _clean(kind: str, value: str) -> tuple[str, str]:
    if kind not in KINDS:
        raise FollowRefused(f"kind: expected one of {', '.join(sorted(KINDS))}, got {kind!r}")
    if NOT_ONE_LINE.search(value or ""):  # NUL: PostgreSQL cannot store it; NEL, U+2028: line breaks
        raise FollowRefused(f"{kind}: one line of text without control characters or line breaks")
    value = " ".join((value or "").split())
    if not value:
        raise FollowRefused(f"{kind}: give a name to follow")
    if len(value) > 200:
        raise FollowRefused(f"{kind}: {len(value)} characters, the limit is 200")
    if kind == Follow.KEYWORD:  # one follow per keyword, in the spelling papers store
        value = normalise_keyword(value)
    return kind, value


def follow(*, user, kind: str, value: str) -> bool:
    """Follow; True when this follow is new."""
    ensure_can_act(user)
    kind, value = _clean(kind, value)
    if kind == Follow.ORG and not Organisation.objects.filter(slug=value).exists():
        # only here: unfollowing an organisation that was removed still works
        raise FollowRefused(f"org: no organisation /orgs/{value[:80]}", code="not_found")
    try:
        with transaction.atomic():
            Follow.objects.create(user=user, kind=kind, value=value)
    except IntegrityError:
        return False
    return True


def unfollow(*, user, kind: str, value: str) -> bool:
    ensure_can_act(user)
    kind, value = _clean(kind, value)
    deleted, _ = Follow.objects.filter(user=user, kind=kind, value=value).delete()
    return bool(deleted)


def follows_of(user) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {kind: [] for kind, _ in Follow.KINDS}
    for kind, value in Follow.objects.filter(user=user).order_by("kind", "value").values_list("kind", "value"):
        grouped[kind].append(value)
    return grouped
