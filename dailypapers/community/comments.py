"""Comments on papers: post, reply (one level), edit and delete your own, report; the rate
limit for new accounts; and the comment thread of a paper as plain data.

Paper.num_comments is recounted from the visible comments in the same transaction as every
change, like the vote count.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from dailypapers.catalog.models import Paper
from dailypapers.catalog.pagecache import papers_changed
from dailypapers.catalog.text import UNSTORABLE
from dailypapers.community.authorship import verified_user_ids
from dailypapers.community.markdown import render_markdown
from dailypapers.community.members import NotAllowed, ensure_can_act
from dailypapers.community.models import Comment, CommentReport
from dailypapers.community.refusals import Refused


class CommentRefused(Refused, ValueError):
    """The comment cannot be posted as written (empty, too long, rate limit, bad parent), or
    the comment acted on does not exist (code `not_found`)."""


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommentRefused("comment: write something first")
    if UNSTORABLE.search(body):  # a NUL byte cannot even be stored by PostgreSQL
        raise CommentRefused("comment: control characters (such as NUL) are not allowed")
    if len(body) > settings.COMMENT_MAX_CHARS:
        raise CommentRefused(f"comment: {len(body)} characters, the limit is {settings.COMMENT_MAX_CHARS}")
    return body


def _check_rate(user, now: dt.datetime) -> None:
    is_new = (now - user.date_joined) < dt.timedelta(days=settings.NEW_MEMBER_DAYS)
    limit = settings.NEW_MEMBER_COMMENTS_PER_HOUR if is_new else settings.COMMENTS_PER_HOUR
    recent = Comment.objects.filter(user=user, created_at__gte=now - dt.timedelta(hours=1)).count()
    if recent >= limit:
        who = f"accounts younger than {settings.NEW_MEMBER_DAYS} days" if is_new else "members"
        raise CommentRefused(
            f"rate limit: {who} may post {limit} comments an hour; try again later", code="rate_limited"
        )


def _recount(paper_id: int) -> None:
    count = Comment.objects.filter(paper_id=paper_id, deleted=False, hidden=False).count()
    Paper.objects.filter(pk=paper_id).update(num_comments=count)
    papers_changed()


def post_comment(*, user, paper: Paper, body: str, parent_id: int | None = None, now=None) -> Comment:
    ensure_can_act(user)
    now = now or timezone.now()
    body = _check_body(body)
    parent = None
    if parent_id:
        parent = Comment.objects.filter(pk=parent_id, paper=paper).first()
        if parent is None or not parent.visible:
            raise CommentRefused(f"reply: comment {parent_id} is not on this paper")
        # One level of replies: answering a reply answers its thread.
        parent = parent.parent or parent
    with transaction.atomic():
        # Count and insert under a lock on the member's row: 20 concurrent posts by a new member
        # stored 6 against a limit of 5 on PostgreSQL when each counted before any inserted.
        get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        _check_rate(user, now)
        comment = Comment.objects.create(
            paper=paper, user=user, parent=parent, body=body, body_html=render_markdown(body), created_at=now
        )
        _recount(paper.pk)
    return comment


def _own_comment(user, comment_id: int) -> Comment:
    ensure_can_act(user)
    comment = Comment.objects.filter(pk=comment_id).select_related("paper").first()
    if comment is None or comment.deleted:
        raise CommentRefused(f"comment {comment_id} does not exist", code="not_found")
    if comment.user_id != user.pk:
        raise NotAllowed("you can only change your own comments")
    return comment


def edit_comment(*, user, comment_id: int, body: str, now=None) -> Comment:
    comment = _own_comment(user, comment_id)
    comment.body = _check_body(body)
    comment.body_html = render_markdown(comment.body)
    comment.edited_at = now or timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def delete_comment(*, user, comment_id: int) -> Comment:
    comment = _own_comment(user, comment_id)
    with transaction.atomic():
        comment.deleted = True
        comment.save(update_fields=["deleted"])
        _recount(comment.paper_id)
    return comment


def report_comment(*, user, comment_id: int, reason: str = "", now=None) -> bool:
    """Report a comment to the moderators; True when this report is new."""
    ensure_can_act(user)
    comment = Comment.objects.filter(pk=comment_id, deleted=False).first()
    if comment is None:
        raise CommentRefused(f"comment {comment_id} does not exist", code="not_found")
    try:
        with transaction.atomic():
            CommentReport.objects.create(
                comment=comment, user=user, reason=(reason or "")[:300], created_at=now or timezone.now()
            )
    except IntegrityError:
        return False
    return True


def set_comments_hidden(comment_ids, hidden: bool) -> None:
    """Moderator action (admin): hide or show comments, keeping the counters right."""
    paper_ids = set(Comment.objects.filter(pk__in=comment_ids).values_list("paper_id", flat=True))
    with transaction.atomic():
        Comment.objects.filter(pk__in=comment_ids).update(hidden=hidden)
        for paper_id in paper_ids:
            _recount(paper_id)


def comment_thread(*, paper: Paper) -> list[dict]:
    """Top-level comments in order, each with its replies; removed ones with replies stay as stubs.
    Each comment says whether its writer is a verified author (`verified_author`)."""
    comments = list(Comment.objects.filter(paper=paper).select_related("user"))
    verified = verified_user_ids(comment.user_id for comment in comments) if comments else set()
    for comment in comments:  # the "verified author" badge beside the name
        comment.verified_author = comment.user_id in verified
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id and comment.visible:
            replies.setdefault(comment.parent_id, []).append(comment)
    thread = []
    for comment in comments:
        if comment.parent_id:
            continue
        if comment.visible or replies.get(comment.pk):
            thread.append({"comment": comment, "replies": replies.get(comment.pk, [])})
    return thread
