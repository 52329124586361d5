"""Fixtures for the api tests: a handful of real papers on the daily feed, in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from dailypapers.catalog.models import Paper
from tests.factories import make_paper


@pytest.fixture(autouse=True)
def _fresh_rate_limits(django_db_blocker):
    """Rate-limit counters live in Django's cache, which may be a database table that
    outlives a test's transaction: start every test from zero."""
    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture
def papers(db) -> dict[str, Paper]:
    day1, day2 = dt.date(2025, 3, 3), dt.date(2025, 3, 4)  # Monday and Tuesday of 2025-W10
    cl = ("cs.CL",)
    return {
        "attention": make_paper(
            "2503.00001",
            title="Attention Is Still All You Need",
            authors=["Ada Lovelace", "Alan Turing"],
            featured_on=day1,
            upvotes=5,
            hotness=3.0,
            categories=cl,
            code_url="https://github.com/example/attention",
            project_url="https://example.org/attention",
        ),
        "diffusion": make_paper(
            "2503.00002",
            title="Diffusion Models for Text",
            authors=["Grace Hopper"],
            featured_on=day1,
            upvotes=9,
            hotness=1.0,
            categories=("cs.LG", "cs.CL"),
        ),
        "retrieval": make_paper(
            "2503.00003",
            title="Retrieval Augmented Generation at Scale",
            authors=["Émilie du Châtelet", "Kurt Gödel"],
            featured_on=day2,
            upvotes=2,
            hotness=7.5,
            categories=cl,
        ),
        "old": make_paper(
            "hep-th/9901001",
            title="Strings & {Branes}: 100% of $x_1$",
            authors=["Edward Witten"],
            featured_on=None,
            categories=cl,
            published=dt.datetime(1999, 1, 4, tzinfo=dt.UTC),
        ),
        "hidden": make_paper(
            "2503.00009",
            title="Hidden Paper About Attention",
            authors=["Nobody"],
            featured_on=day2,
            upvotes=100,
            hidden=True,
            categories=cl,
        ),
    }


@pytest.fixture
def live_server(live_server):
    """The live server's request threads open their own connections; with the site's
    CONN_MAX_AGE they would outlive the test and block dropping the PostgreSQL test database.
    Close them at the end of each request instead."""
    from django.db import connections

    saved = {alias: connections.settings[alias].get("CONN_MAX_AGE", 0) for alias in connections.settings}
    for alias in saved:
        connections.settings[alias]["CONN_MAX_AGE"] = 0
    yield live_server
    for alias, value in saved.items():
        connections.settings[alias]["CONN_MAX_AGE"] = value
