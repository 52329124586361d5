"""A member's follows and digest subscriptions through /api/v1/me/ (token auth)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from dailypapers.api.tokens import create_token


@pytest.fixture
def auth(db):
    member = get_user_model().objects.create_user("reader", email="reader@example.org", password="pw")
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=member, name='t')[1]}"}


def test_follow_list_unfollow(client, auth):
    posted = client.post(
        "/api/v1/me/follows", {"kind": "author", "value": "Ada  Lovelace"}, content_type="application/json", **auth
    )
    assert posted.status_code == 200 and posted.json() == {"kind": "author", "value": "Ada Lovelace", "following": True}
    assert client.get("/api/v1/me/follows", **auth).json() == {
        "author": ["Ada Lovelace"],
        "category": [],
        "topic": [],
        "org": [],
        "keyword": [],
    }
    client.post(
        "/api/v1/me/follows/remove",
        {"kind": "author", "value": "Ada Lovelace"},
        content_type="application/json",
        **auth,
    )
    assert client.get("/api/v1/me/follows", **auth).json()["author"] == []
    assert (
        client.post(
            "/api/v1/me/follows", {"kind": "planet", "value": "x"}, content_type="application/json", **auth
        ).status_code
        == 400
    )
    assert client.get("/api/v1/me/follows").status_code == 401


def test_subscribe_is_double_opt_in_and_unsubscribe(client, auth):
    response = client.post(
        "/api/v1/me/subscriptions",
        {"kind": "category", "value": "cs.CL", "frequency": "weekly"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 202 and "reader@example.org" in response.json()["message"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reader@example.org"]
    [subscription] = client.get("/api/v1/me/subscriptions", **auth).json()
    assert (
        subscription["status"] == "unconfirmed"
        and subscription["value"] == "cs.CL"
        and subscription["frequency"] == "weekly"
    )
    assert (
        client.post(
            "/api/v1/me/subscriptions",
            {"kind": "category", "value": "not a category"},
            content_type="application/json",
            **auth,
        ).status_code
        == 400
    )
    assert (
        client.post("/api/v1/me/subscriptions", {"kind": "topic"}, content_type="application/json", **auth).status_code
        == 400
    )
    gone = client.delete(f"/api/v1/me/subscriptions/{subscription['id']}", **auth)
    assert gone.status_code == 200 and gone.json()["status"] == "unsubscribed"
    assert client.delete("/api/v1/me/subscriptions/999999", **auth).status_code == 404
