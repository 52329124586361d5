"""Comments: sanitised Markdown, one level of replies, own edits only, reports, moderation, rate limits."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from dailypapers.community.comments import (
    CommentRefused,
    comment_thread,
    delete_comment,
    edit_comment,
    post_comment,
    report_comment,
    set_comments_hidden,
)
from dailypapers.community.markdown import render_markdown
from dailypapers.community.members import NotAllowed, member_of
from dailypapers.community.models import Comment, CommentReport

from .xss_vectors import XSS_VECTORS

UTC = dt.UTC
SAFE_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "del",
}


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_inert(html: str, payload: str = "") -> None:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in SAFE_TAGS, (payload, html)
        for name, value in attrs.items():
            assert not name.startswith("on") and name in {"href", "title", "rel", "start", "class", "id"}, (
                payload,
                html,
            )
            if name == "href":
                # The browser strips control characters and whitespace before reading the scheme.
                scheme = re.sub(r"[\x00-\x20]", "", value or "").lower()
                assert scheme.startswith(("http://", "https://", "mailto:")), (payload, html)


def test_there_are_at_least_30_vectors():
    assert len(XSS_VECTORS) >= 30


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_xss_payload_comes_out_inert(payload):
    assert_inert(render_markdown(payload), payload)


def test_the_check_catches_live_markup():
    for live in (
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="x()">a</p>',
        '<a href="&#14;javascript:x">y</a>',
    ):
        with pytest.raises(AssertionError):
            assert_inert(live)


def test_xss_payloads_are_inert_on_the_page(client, make_user, make_paper, settings):
    settings.COMMENTS_PER_HOUR = 100
    user = make_user(days_old=30)
    paper = make_paper(arxiv_id="2601.10001")
    for payload in XSS_VECTORS:
        post_comment(user=user, paper=paper, body=payload, now=dt.datetime.now(UTC) - dt.timedelta(hours=2))
    page = client.get("/papers/2601.10001/comments").content.decode()
    bodies = re.findall(r'<div class="comment-body">(.*?)</div>', page, re.S)
    assert len(bodies) == len(XSS_VECTORS)
    for body in bodies:
        assert_inert(body)


def test_markdown_is_rendered_with_safe_links():
    html = render_markdown("**bold** and [a link](https://example.org) and ![chart](https://example.org/c.png)")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener noreferrer">a link</a>' in html
    # Images become links: a comment never makes the reader's browser load a third-party image.
    assert "<img" not in html and "[image: chart]" in html


def test_replies_are_one_level_deep(make_user, make_paper):
    paper = make_paper()
    top = post_comment(user=make_user(), paper=paper, body="top")
    reply = post_comment(user=make_user(), paper=paper, body="reply", parent_id=top.pk)
    reply_to_reply = post_comment(user=make_user(), paper=paper, body="deeper", parent_id=reply.pk)
    assert reply.parent == top and reply_to_reply.parent == top
    thread = comment_thread(paper=paper)
    assert [item["comment"].body for item in thread] == ["top"]
    assert [c.body for c in thread[0]["replies"]] == ["reply", "deeper"]
    paper.refresh_from_db()
    assert paper.num_comments == 3


def test_reply_to_another_papers_comment_is_refused(make_user, make_paper):
    other = post_comment(user=make_user(), paper=make_paper(), body="elsewhere")
    with pytest.raises(CommentRefused, match=f"reply: comment {other.pk} is not on this paper"):
        post_comment(user=make_user(), paper=make_paper(), body="x", parent_id=other.pk)


def test_empty_and_oversized_comments_are_refused(make_user, make_paper, settings):
    settings.COMMENT_MAX_CHARS = 10
    with pytest.raises(CommentRefused, match="write something first"):
        post_comment(user=make_user(), paper=make_paper(), body="   ")
    with pytest.raises(CommentRefused, match="11 characters, the limit is 10"):
        post_comment(user=make_user(), paper=make_paper(), body="x" * 11)


def test_edit_and_delete_your_own(make_user, make_paper):
    user, paper = make_user(), make_paper()
    comment = post_comment(user=user, paper=paper, body="first *draft*")
    edited = edit_comment(user=user, comment_id=comment.pk, body="final **text**")
    assert edited.body_html.strip() == "<p>final <strong>text</strong></p>" and edited.edited_at
    delete_comment(user=user, comment_id=comment.pk)
    paper.refresh_from_db()
    assert paper.num_comments == 0 and comment_thread(paper=paper) == []


def test_cannot_edit_or_delete_anothers_comment(make_user, make_paper):
    author, intruder, paper = make_user(), make_user(), make_paper()
    comment = post_comment(user=author, paper=paper, body="mine")
    with pytest.raises(NotAllowed, match="only change your own"):
        edit_comment(user=intruder, comment_id=comment.pk, body="hacked")
    with pytest.raises(NotAllowed, match="only change your own"):
        delete_comment(user=intruder, comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.body == "mine" and not comment.deleted


def test_cannot_edit_or_delete_anothers_comment_over_http(client, make_user, make_paper):
    comment = post_comment(user=make_user(), paper=make_paper(), body="mine")
    client.force_login(make_user())
    assert client.get(f"/comments/{comment.pk}/edit").status_code == 403
    assert client.post(f"/comments/{comment.pk}/edit", {"body": "hacked"}).status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete").status_code == 403
    assert client.post("/comments/999999/delete").status_code == 404
    comment.refresh_from_db()
    assert comment.body == "mine" and not comment.deleted


def test_comment_over_http_and_csrf(client, make_user, make_paper):
    make_paper(arxiv_id="2601.10002")
    user = make_user()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post("/papers/2601.10002/comments", {"body": "no token"}).status_code == 403
    client.force_login(user)
    response = client.post("/papers/2601.10002/comments", {"body": "Nice **result**"})
    assert response.status_code == 302
    assert "<strong>result</strong>" in client.get("/papers/2601.10002/comments").content.decode()
    empty = client.post("/papers/2601.10002/comments", {"body": ""})
    assert empty.status_code == 400 and b"write something first" in empty.content


def test_new_accounts_are_rate_limited(make_user, make_paper, settings):
    settings.NEW_MEMBER_COMMENTS_PER_HOUR, settings.COMMENTS_PER_HOUR = 2, 4
    newcomer, regular, paper = make_user(days_old=0), make_user(days_old=30), make_paper()
    for _ in range(2):
        post_comment(user=newcomer, paper=paper, body="hi")
    with pytest.raises(CommentRefused, match="accounts younger than 3 days may post 2 comments an hour"):
        post_comment(user=newcomer, paper=paper, body="hi")
    for _ in range(4):
        post_comment(user=regular, paper=paper, body="hi")
    with pytest.raises(CommentRefused, match="members may post 4 comments an hour"):
        post_comment(user=regular, paper=paper, body="hi")


def test_report_once_and_moderators_hide(make_user, make_paper):
    paper, reporter = make_paper(), make_user()
    comment = post_comment(user=make_user(), paper=paper, body="spam")
    assert report_comment(user=reporter, comment_id=comment.pk, reason="spam") is True
    assert report_comment(user=reporter, comment_id=comment.pk) is False
    assert CommentReport.objects.count() == 1
    set_comments_hidden([comment.pk], True)
    paper.refresh_from_db()
    assert paper.num_comments == 0 and comment_thread(paper=paper) == []


def test_banned_members_cannot_comment_edit_or_report(make_user, make_paper):
    user, paper = make_user(), make_paper()
    comment = post_comment(user=user, paper=paper, body="before the ban")
    member = member_of(user)
    member.banned = True
    member.save()
    for action in (
        lambda: post_comment(user=user, paper=paper, body="after"),
        lambda: edit_comment(user=user, comment_id=comment.pk, body="after"),
        lambda: delete_comment(user=user, comment_id=comment.pk),
        lambda: report_comment(user=user, comment_id=comment.pk),
    ):
        with pytest.raises(NotAllowed, match="banned"):
            action()
    assert Comment.objects.get(pk=comment.pk).body == "before the ban"
