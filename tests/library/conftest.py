"""Fixtures for the library tests: members made directly in the real database."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model

_numbers = itertools.count(1)


@pytest.fixture
def make_member(db):
    def make(username=None):
        username = username or f"reader{next(_numbers)}"
        return get_user_model().objects.create_user(username, f"{username}@example.org", "a long passphrase 42")

    return make
