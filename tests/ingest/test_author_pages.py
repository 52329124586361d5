"""The ingest gives new names their slugs and merges their variants batch by batch
(catalog/authors.py), with a fixed number of queries per batch."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.catalog.models import Author
from dailypapers.ingest.records import PaperRecord
from dailypapers.ingest.upsert import upsert_records

pytestmark = pytest.mark.django_db


def _record(number: int, authors: list[str], category: str = "cs.CL") -> PaperRecord:
    return PaperRecord(
        arxiv_id=f"2503.{number:05d}",
        version=1,
        title=f"Paper {number}",
        authors=authors,
        categories=[category],
        listing_date=dt.date(2025, 3, 4),
        source="arxiv",
    )


def test_ingest_gives_slugs_and_merges_variants_across_batches():
    upsert_records([_record(1, ["Jörg Müller", "Ada Lovelace"]), _record(2, ["Grace Hopper"])])
    upsert_records([_record(3, ["Jorg Muller", "Ada Lovelace"], "math.AG"), _record(4, ["J. Müller", "Ada Lovelace"])])
    authors = {a.name: a for a in Author.objects.select_related("canonical")}
    assert authors["Jörg Müller"].slug == "jorg-muller" and authors["Jorg Muller"].slug == "jorg-muller-2"
    assert authors["Jorg Muller"].canonical.name == "Jörg Müller"
    assert authors["J. Müller"].canonical.name == "Jörg Müller"
    assert authors["Grace Hopper"].canonical is None and authors["Grace Hopper"].match_key == "g hopper"


def test_a_slug_taken_by_an_unrelated_row_is_not_reused():
    Author.objects.create(name="Zed 2", match_key="z 2", slug="ada-lovelace")  # as an odd old row might
    upsert_records([_record(1, ["Ada Lovelace"])])
    assert Author.objects.get(name="Ada Lovelace").slug == "ada-lovelace-2"


def test_author_work_per_batch_is_a_fixed_number_of_queries(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def author_queries(records):
        with CaptureQueriesContext(connection) as captured:
            upsert_records(records)
        return len([q for q in captured.captured_queries if "catalog_author" in q["sql"]])

    few = author_queries([_record(n, [f"Person {n}", "Shared Name"]) for n in range(1, 3)])
    many = author_queries([_record(n, [f"Person {n}", "Shared Name"]) for n in range(3, 60)])
    assert many <= few + 1
