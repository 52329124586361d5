"""A member's public profile as plain data: their papers (as a verified author), submissions,
upvotes, comments, follows, organisations, and their public collections (the library app's;
unlisted and private ones are never listed)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404

from dailypapers.catalog.models import visible_filter
from dailypapers.community.claims import author_profile_papers
from dailypapers.community.follows import follows_of
from dailypapers.community.members import is_banned
from dailypapers.community.models import Comment, Submission, Vote
from dailypapers.community.orgs import member_organisations
from dailypapers.community.votes import upvoted_papers
from dailypapers.library.collections import collections_of

RECENT = 30
USERNAME = re.compile(r"[\w.@+-]{1,150}")


def member_profile(*, username: str, viewer=None) -> dict:
    """`viewer`: who looks; the member themself also sees the papers they hid from it."""
    if not USERNAME.fullmatch(username):  # Django's username characters; a NUL byte would upset PostgreSQL
        raise Http404(f"No member {username[:40]!r}.")
    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    visible = visible_filter("paper__")
    return {
        "member": user,
        "banned": is_banned(user),
        "authored": author_profile_papers(user, viewer=viewer, limit=RECENT),
        "organisations": member_organisations(user),
        "submissions": list(
            Submission.objects.filter(visible, user=user).select_related("paper").order_by("-created_at")[:RECENT]
        ),
        "upvoted": upvoted_papers(user, limit=RECENT),
        "comments": list(
            Comment.objects.filter(visible, user=user, deleted=False, hidden=False)
            .select_related("paper")
            .order_by("-created_at")[:RECENT]
        ),
        "follows": follows_of(user),
        "collections": collections_of(user, visibility="public"),
        "counts": {
            "submissions": Submission.objects.filter(user=user).count(),
            "upvotes": Vote.objects.filter(user=user).count(),
            "comments": Comment.objects.filter(user=user, deleted=False, hidden=False).count(),
        },
    }
