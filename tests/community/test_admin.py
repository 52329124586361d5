"""Moderation through the Django admin: ban members, hide comments, resolve reports."""

from __future__ import annotations

from dailypapers.community.comments import post_comment, report_comment
from dailypapers.community.members import NotAllowed, is_banned
from dailypapers.community.models import Comment, CommentReport, Member
from dailypapers.community.votes import cast_vote


def test_ban_from_the_admin_stops_every_action(admin_client, make_user, make_paper):
    user, paper = make_user("troll"), make_paper()
    member = Member.objects.get(user=user)
    response = admin_client.post("/admin/community/member/", {"action": "ban", "_selected_action": [member.pk]})
    assert response.status_code == 302
    assert is_banned(user)
    try:
        cast_vote(user=user, paper_id=paper.pk)
    except NotAllowed as exc:
        assert "banned" in str(exc)
    else:
        raise AssertionError("a banned member voted")


def test_hide_reported_comments_from_the_admin(admin_client, make_user, make_paper):
    paper = make_paper()
    comment = post_comment(user=make_user(), paper=paper, body="spam")
    report_comment(user=make_user(), comment_id=comment.pk, reason="spam")
    report = CommentReport.objects.get()
    admin_client.post("/admin/community/commentreport/", {"action": "hide_comments", "_selected_action": [report.pk]})
    assert Comment.objects.get(pk=comment.pk).hidden
    assert CommentReport.objects.get().resolved
    paper.refresh_from_db()
    assert paper.num_comments == 0


def test_admin_lists_open(admin_client):
    for model in ("member", "comment", "commentreport", "curationrule", "submission", "follow", "vote"):
        assert admin_client.get(f"/admin/community/{model}/").status_code == 200
