"""Fixtures for the attack suite: two members (the attacker and the victim), papers on the
feed, a comment, an API token and a digest subscription of the victim, and a test client that
enforces CSRF the way a real browser request meets it (Django's test client skips the check
unless asked)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from tests.factories import make_paper

DAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(django_db_blocker):
    """Rate-limit counters live in the (database) cache, which outlives a test's transaction."""
    with django_db_blocker.unblock():
        cache.clear()


def _member(username: str):
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="correct horse battery"
    )
    user.date_joined = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    user.save(update_fields=["date_joined"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def victim(db):
    return _member("victim")


@pytest.fixture
def attacker(db):
    return _member("attacker")


@pytest.fixture
def papers(db):
    return [
        make_paper(arxiv_id=f"2606.{n:05d}", day=DAY, title=f"Attention paper {n}", categories=("cs.LG", "cs.CL"))
        for n in range(1, 4)
    ]


@pytest.fixture
def paper(papers):
    return papers[0]


@pytest.fixture
def victim_comment(victim, paper):
    from dailypapers.community.comments import post_comment

    return post_comment(user=victim, paper=paper, body="The victim's comment.", parent_id=None)


@pytest.fixture
def victim_token(victim):
    from dailypapers.api.tokens import create_token

    return create_token(user=victim, name="victim laptop")


@pytest.fixture
def victim_subscription(victim):
    from dailypapers.digest.models import Subscription

    return Subscription.objects.create(
        email=victim.email, user=victim, kind=Subscription.TRENDING, status=Subscription.ACTIVE
    )


def csrf_client(user=None) -> Client:
    """A client that enforces CSRF, logged in as `user` when given."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def csrf_token_of(client: Client, page: str = "/papers/submit") -> str:
    """The token a real page hands to the browser (sets the csrftoken cookie as a side effect)."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    return client.cookies["csrftoken"].value
