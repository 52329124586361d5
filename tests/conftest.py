"""Shared fixtures. Every test that touches the database gets a fresh one (pytest-django),
on SQLite by default and on PostgreSQL when run under `python -m tests.pgcluster`."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def on_postgres() -> bool:
    return bool(getattr(settings, "IS_POSTGRES", False))


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """The cache and the rate-limit counters live in tables that flushing between transactional
    tests leaves alone; clear them so no test sees another's cached pages or counts. The site's
    remembered newest listing day (catalog/clock.py) too: each test has its own papers."""
    from dailypapers.catalog import clock

    clock.forget()
    yield
    uses_db = {"db", "transactional_db", "live_server", "django_db_setup"} & set(request.fixturenames)
    if uses_db or request.node.get_closest_marker("django_db"):
        from django.core.cache import cache
        from django.db import connection

        from dailypapers.search.service import forget_caches

        try:
            cache.clear()
            with (
                connection.cursor() as cursor
            ):  # rate-limit counters (catalog/limits.py): not a model, so flush keeps them
                cursor.execute("DELETE FROM dailypapers_counter")
        except Exception:  # the test's database is already gone; nothing cached survives it
            pass
        # Search remembers counts per process for minutes, keyed by database name, which every
        # test shares: a search on one test's papers skewed the next test's ranking (a search on an
        # empty site, then tests/search/test_views.py, failed on PostgreSQL).
        forget_caches()
