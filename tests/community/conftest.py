"""Fixtures for the community tests: members and papers made directly in the real database."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model

from dailypapers.catalog.models import Paper

_numbers = itertools.count(1)
UTC = dt.timezone.utc


@pytest.fixture
def make_user(db):
    def make(username=None, *, days_old=30, password="correct horse battery", verified=True):
        from allauth.account.models import EmailAddress

        username = username or f"member{next(_numbers)}"
        user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org", password=password)
        user.date_joined = dt.datetime.now(UTC) - dt.timedelta(days=days_old)
        user.save(update_fields=["date_joined"])
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def make_paper(db):
    def make(arxiv_id=None, **fields):
        n = next(_numbers)
        arxiv_id = arxiv_id or f"2601.{n:05d}"
        defaults = {
            "title": f"Paper {n}", "abstract": "An abstract.", "authors_text": "Ada Lovelace, Alan Turing",
            "categories": ["cs.LG"], "primary_category": "cs.LG",
            "published": dt.datetime(2026, 1, 5, 12, tzinfo=UTC), "listing_date": dt.date(2026, 1, 6),
            "featured_on": dt.date(2026, 1, 6), "featured_reason": "New in cs.LG",
        }
        defaults.update(fields)
        return Paper.objects.create(arxiv_id=arxiv_id, **defaults)

    return make
