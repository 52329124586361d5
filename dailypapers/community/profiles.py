"""A member's public profile as plain data: submissions, upvotes, comments, follows."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

from dailypapers.community.follows import follows_of
from dailypapers.community.members import is_banned
from dailypapers.community.models import Comment, Submission, Vote

RECENT = 30


def member_profile(*, username: str) -> dict:
    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    return {
        "member": user,
        "banned": is_banned(user),
        "submissions": list(Submission.objects.filter(user=user, paper__hidden=False).select_related("paper").order_by("-created_at")[:RECENT]),
        "upvoted": [v.paper for v in Vote.objects.filter(user=user, paper__hidden=False).select_related("paper").order_by("-created_at")[:RECENT]],
        "comments": list(Comment.objects.filter(user=user, deleted=False, hidden=False, paper__hidden=False).select_related("paper").order_by("-created_at")[:RECENT]),
        "follows": follows_of(user),
        "counts": {
            "submissions": Submission.objects.filter(user=user).count(),
            "upvotes": Vote.objects.filter(user=user).count(),
            "comments": Comment.objects.filter(user=user, deleted=False, hidden=False).count(),
        },
    }
