"""Fixtures for the community tests: members made directly in the real database, and the
shared paper factory (tests/factories.py) as a fixture."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model

from tests import factories

_numbers = itertools.count(1)
UTC = dt.UTC


@pytest.fixture
def make_user(db):
    def make(username=None, *, days_old=30, password="correct horse battery", verified=True):
        from allauth.account.models import EmailAddress

        username = username or f"member{next(_numbers)}"
        user = get_user_model().objects.create_user(
            username=username, email=f"{username}@example.org", password=password
        )
        user.date_joined = dt.datetime.now(UTC) - dt.timedelta(days=days_old)
        user.save(update_fields=["date_joined"])
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def make_paper(db):
    """tests/factories.py's make_paper, for tests that take it as a fixture."""
    return factories.make_paper
