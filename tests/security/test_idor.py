"""IDOR: another member's objects, reached by their URL or id, are refused (403/404) and left
as they were; private data (email, tokens, subscriptions, for-you feed) never shows to others."""

from __future__ import annotations

import pytest
from django.core import signing

from dailypapers.community.models import Vote


def test_cannot_edit_or_delete_anothers_comment(client, attacker, victim_comment):
    client.force_login(attacker)
    assert client.get(f"/comments/{victim_comment.pk}/edit").status_code in (403, 404)
    assert client.post(f"/comments/{victim_comment.pk}/edit", {"body": "pwned"}).status_code in (403, 404)
    assert client.post(f"/comments/{victim_comment.pk}/delete").status_code in (403, 404)
    victim_comment.refresh_from_db()
    assert victim_comment.body == "The victim's comment." and not victim_comment.deleted


def test_missing_comment_ids_are_404_not_500(client, attacker):
    client.force_login(attacker)
    for pk in (0, 999_999, 2**31 + 7):
        assert client.post(f"/comments/{pk}/edit", {"body": "x"}).status_code == 404
        assert client.post(f"/comments/{pk}/delete").status_code == 404
        assert client.post(f"/comments/{pk}/report").status_code == 404


def test_cannot_revoke_anothers_token(client, attacker, victim_token):
    token, raw = victim_token
    client.force_login(attacker)
    response = client.post(f"/settings/tokens/{token.pk}/revoke")
    assert response.status_code in (302, 403, 404)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "victim"
    assert raw[:10] not in client.get("/settings/tokens").content.decode()


def test_api_vote_with_a_token_acts_only_for_its_owner(client, attacker, victim, paper):
    from dailypapers.api.tokens import create_token
    from dailypapers.community.votes import cast_vote

    cast_vote(user=victim, paper_id=paper.pk, up=True)
    _, attacker_raw = create_token(user=attacker, name="mine")
    assert (
        client.delete(f"/api/v1/upvotes/{paper.arxiv_id}", HTTP_AUTHORIZATION=f"Bearer {attacker_raw}").status_code
        == 200
    )
    assert Vote.objects.filter(user=victim, paper=paper).exists()


def test_subscription_links_need_the_signed_token_of_that_subscription(client, victim_subscription):
    from dailypapers.digest import subscriptions

    raw = victim_subscription.token
    wrong_salt = signing.dumps(raw, salt=subscriptions.CONFIRM_SALT)  # a confirm link is not a manage link
    tampered = subscriptions.link_token(victim_subscription)[:-2] + "xx"
    other_key = signing.dumps(raw, salt=subscriptions.LINK_SALT, key="not-the-site-secret-key-0123456789-abcdefghij")
    for token in (
        raw,
        wrong_salt,
        tampered,
        other_key,
        signing.dumps(victim_subscription.pk, salt=subscriptions.LINK_SALT),
    ):
        assert client.get(f"/subscriptions/{token}").status_code == 404, token
        assert client.post(f"/subscriptions/{token}", {"frequency": "weekly", "kind": "trending"}).status_code == 404
        assert client.post(f"/unsubscribe/{token}").status_code == 404
    victim_subscription.refresh_from_db()
    assert victim_subscription.status == victim_subscription.ACTIVE and victim_subscription.frequency == "daily"


@pytest.fixture
def for_you_token_of():
    from dailypapers.api.feeds import for_you_token

    return for_you_token


def test_profile_and_pages_leak_nothing_of_the_victim(
    client, attacker, victim, victim_token, victim_subscription, victim_comment, for_you_token_of
):
    token, raw = victim_token
    secrets = [victim.email, raw, token.prefix, for_you_token_of(victim), victim_subscription.token]
    client.force_login(attacker)
    for page in (
        "/members/victim",
        f"/papers/{victim_comment.paper.arxiv_id}/comments",
        f"/papers/{victim_comment.paper.arxiv_id}",
        "/settings/tokens",
        "/for-you",
        f"/api/v1/comments/{victim_comment.paper.arxiv_id}",
        "/export/upvotes.bib",
    ):
        body = client.get(page).content.decode()
        for secret in secrets:
            assert secret not in body, (page, secret)


def test_for_you_feed_needs_the_owners_token(client, victim, for_you_token_of):
    good = for_you_token_of(victim)
    assert client.get(f"/feeds/for-you/{good}.rss").status_code == 200
    for forged in (good[:-1] + ("A" if good[-1] != "A" else "B"), "victim", str(victim.pk)):
        assert client.get(f"/feeds/for-you/{forged}.rss").status_code == 404


def test_staff_only_pages_refuse_members(client, attacker, victim_subscription):
    from django.urls import NoReverseMatch, reverse

    client.force_login(attacker)
    pages = ["/admin/", f"/digest/preview?subscription={victim_subscription.pk}", "/admin/auth/user/"]
    try:
        pages.append(reverse("ops:dashboard"))
    except NoReverseMatch:  # the admin dashboard is not in this build
        pass
    for page in pages:
        response = client.get(page)
        assert response.status_code in (302, 403, 404), page
        assert victim_subscription.email not in response.content.decode()


def test_api_cannot_unsubscribe_anothers_digest(client, attacker, victim_subscription):
    from dailypapers.api.tokens import create_token

    _, raw = create_token(user=attacker, name="mine")
    response = client.delete(f"/api/v1/me/subscriptions/{victim_subscription.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code in (403, 404)
    victim_subscription.refresh_from_db()
    assert victim_subscription.status == victim_subscription.ACTIVE
    listed = client.get("/api/v1/me/subscriptions", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert all(item["id"] != victim_subscription.pk for item in listed)
