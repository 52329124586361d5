"""The arXiv API source, replaying recorded responses through the real `arxiv` client."""

from __future__ import annotations

import datetime as dt

import arxiv
import pytest

from dailypapers.catalog.models import Paper
from dailypapers.ingest.records import PaperRecord, RecordError
from dailypapers.ingest.run import ingest_records
from dailypapers.ingest.sources.arxiv_api import fetch_ids, fetch_query, last_listing_days, make_client


def test_new_style_id(replay):
    [record] = list(fetch_ids(["1605.08386"]))
    assert (record.arxiv_id, record.version, record.source) == ("1605.08386", 1, "arxiv")
    assert record.title and record.authors and record.categories == ["math.CO", "math.ST"]
    # Thu 13:59:46 EDT, just before the 14:00 cut-off: announced that evening, listed Friday.
    assert record.published == dt.datetime(2016, 5, 26, 17, 59, 46, tzinfo=dt.UTC)
    assert record.listing_date == dt.date(2016, 5, 27)


def test_old_style_and_versioned_ids(replay):
    [old] = list(fetch_ids(["astro-ph/0601001"]))
    assert (old.arxiv_id, old.version) == ("astro-ph/0601001", 1)
    assert old.authors == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"]
    assert old.journal_ref == "ActaAstron.56:1-50,2006"
    assert old.published == dt.datetime(2006, 1, 2, 14, 57, 58, tzinfo=dt.UTC)
    assert old.listing_date == dt.date(2006, 1, 3)  # Mon 09:57 EST, before the cut-off
    [versioned] = list(fetch_ids(["quant-ph/0201082v1"]))
    assert (versioned.arxiv_id, versioned.version) == ("quant-ph/0201082", 1)
    [new_versioned] = list(fetch_ids(["2104.12255v1"]))
    assert (new_versioned.arxiv_id, new_versioned.version) == ("2104.12255", 1)


def test_two_ids_in_one_request(replay):
    # 0808.05394 is not a real paper (arXiv returns nothing for it); the other one is found.
    records = list(fetch_ids(["0808.05394", "1707.08567"]))
    assert [(r.arxiv_id, r.version) for r in records] == [("1707.08567", 1)]
    assert list(fetch_ids(["0808.05394"])) == []


def test_invalid_id_is_an_error_not_a_paper(replay):
    # arXiv answers 400 for "abc"; the client raises after its retries.
    with pytest.raises(arxiv.HTTPError):
        list(fetch_ids(["abc"], client=arxiv.Client(delay_seconds=0, num_retries=0)))
    # "0000.0000" is well-formed but unknown: arXiv answers an empty feed.
    assert list(fetch_ids(["0000.0000"], client=arxiv.Client(delay_seconds=0, num_retries=0))) == []


def test_paging_and_ingest(replay, db):
    client = arxiv.Client(page_size=10, delay_seconds=0, num_retries=0)
    items = list(fetch_query("testing", max_results=30, client=client))
    pages = [url for url in replay.requested if "search_query=testing" in url]
    assert len(pages) == 3 and "start=20" in pages[-1]
    records = [item for item in items if isinstance(item, PaperRecord)]
    assert len(records) == 30 and len({r.arxiv_id for r in records}) == 30
    report = ingest_records(items, progress=False)
    assert report.stats.created == 30 and report.skipped == 0
    assert Paper.objects.filter(source="arxiv").count() == 30


def test_polite_delay_comes_from_settings(settings):
    settings.ARXIV_DELAY_SECONDS = 3.0
    assert make_client().delay_seconds == 3.0 and make_client().page_size == 100


def _rec(day: int) -> PaperRecord:
    return PaperRecord(arxiv_id=f"2506.{day:05d}", title="t", listing_date=dt.date(2025, 6, day))


def test_last_listing_days_stops_at_the_oldest_day():
    stream = iter([_rec(12), _rec(12), RecordError("x", "id", "bad"), _rec(11), _rec(10), _rec(9), _rec(8)])
    out = list(last_listing_days(stream, days=3))
    assert [r.listing_date.day for r in out if isinstance(r, PaperRecord)] == [12, 12, 11, 10]
    assert next(stream).listing_date.day == 8  # stopped reading right after the first too-old record
