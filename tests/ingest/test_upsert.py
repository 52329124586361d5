"""The bulk upsert writes values exactly as the ORM would, so the ORM reads them back alike."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 2, 3, 4, 5, 123, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    ],
)
def test_bulk_insert_stores_datetimes_as_the_orm_does(db, value):
    from django.db import connection

    from dailypapers.catalog.models import Paper
    from dailypapers.ingest.upsert import _adapter

    field = Paper._meta.get_field("published")
    assert _adapter(field)(value) == connection.ops.adapt_datetimefield_value(value)


@pytest.mark.parametrize("name, value", [("listing_date", dt.date(2026, 3, 1)), ("categories", ["cs.CL", "stat.ML"])])
def test_bulk_insert_stores_dates_and_json_as_the_orm_does(db, name, value):
    from django.db import connection

    from dailypapers.catalog.models import Paper
    from dailypapers.ingest.upsert import _adapter

    field = Paper._meta.get_field(name)

    def plain(sent):  # psycopg's Jsonb wrapper compares by identity; compare what it wraps
        return getattr(sent, "obj", sent)

    assert plain(_adapter(field)(value)) == plain(field.get_db_prep_save(value, connection))


def test_the_collector_thresholds_come_back_after_loads_that_overlap(db):
    import gc
    import threading

    from dailypapers.ingest.upsert import _fewer_gc_passes

    before = gc.get_threshold()
    inside, release = threading.Event(), threading.Event()

    def load():
        with _fewer_gc_passes():
            inside.set()
            release.wait(5)

    other = threading.Thread(target=load)
    with _fewer_gc_passes():
        other.start()
        inside.wait(5)
    assert gc.get_threshold() != before  # the other load is still running
    release.set()
    other.join(5)
    assert gc.get_threshold() == before
