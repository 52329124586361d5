"""Refusals carry a code, and the code's status is the same on the pages and in the API
(community.refusals.STATUS_OF_CODE); before, pages answered 400 to every refusal and the API
guessed the status from the wording of the message."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.api.tokens import create_token
from dailypapers.community.comments import post_comment
from dailypapers.community.refusals import STATUS_OF_CODE, Refused

UTC = dt.UTC


def test_every_code_has_a_status_and_unknown_codes_are_refused():
    assert STATUS_OF_CODE["rate_limited"] == 429 and STATUS_OF_CODE["duplicate"] == 409
    assert Refused("x", code="not_found").status == 404
    with pytest.raises(ValueError, match="unknown refusal code 'nope'"):
        Refused("x", code="nope")


def test_comment_rate_limit_is_429_on_the_page_and_in_the_api(client, make_user, make_paper, settings):
    settings.NEW_MEMBER_COMMENTS_PER_HOUR = 1
    member, paper = make_user(days_old=0), make_paper(arxiv_id="2601.10100")
    post_comment(user=member, paper=paper, body="first")
    client.force_login(member)
    page = client.post("/papers/2601.10100/comments", {"body": "second"})
    assert page.status_code == 429 and b"rate limit" in page.content
    _, raw = create_token(user=member, name="script")
    api = client.post(
        "/api/v1/comments/2601.10100",
        {"body": "third"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert api.status_code == 429
    assert api.json()["code"] == "rate_limited" and api.json()["error"].startswith("rate limit")


def test_duplicate_submission_is_409_on_the_page_and_in_the_api(client, make_user, make_paper):
    make_paper(arxiv_id="2601.10200", published=dt.datetime.now(UTC), featured_on=None)
    first, second = make_user("first"), make_user("second")
    client.force_login(first)
    assert client.post("/papers/submit", {"arxiv_id": "2601.10200"}).status_code == 302
    client.force_login(second)
    page = client.post("/papers/submit", {"arxiv_id": "2601.10200"})
    assert page.status_code == 409 and b"already submitted by first" in page.content
    _, raw = create_token(user=second, name="script")
    api = client.post(
        "/api/v1/submissions",
        {"arxiv_id": "2601.10200"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert api.status_code == 409 and api.json()["code"] == "duplicate"


def test_editing_a_missing_comment_is_404_and_a_banned_follow_is_403(client, make_user):
    from dailypapers.community.members import member_of

    member = make_user()
    client.force_login(member)
    assert client.post("/comments/999999/delete").status_code == 404
    banned = member_of(member)
    banned.banned = True
    banned.save()
    response = client.post("/follow", {"kind": "author", "value": "Ada Lovelace"})
    assert response.status_code == 403 and b"banned" in response.content
