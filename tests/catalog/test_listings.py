"""New submissions, cross-lists and replacements (catalog/listings.py): the rule, its database
twin, the feed order and the labels readers see; one tie-break on every trending list."""

from __future__ import annotations

import io
import json
import random
from datetime import date, timedelta

import feedparser
import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dailypapers.catalog.feed import feed_papers, top_feed_papers
from dailypapers.catalog.listings import CROSS_LIST, NEW, REPLACEMENT, listing_kind
from dailypapers.catalog.models import Paper
from dailypapers.catalog.windows import Window
from dailypapers.ingest.records import PaperRecord
from dailypapers.ingest.run import ingest_records
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "arxiv_id, listed, primary, category, kind",
    [
        ("2606.01234", date(2026, 6, 15), "cs.CV", None, NEW),
        ("2605.09999", date(2026, 6, 2), "cs.CV", None, NEW),  # sent on 29 May, listed after the weekend
        ("2512.19999", date(2026, 1, 5), "cs.CV", None, NEW),  # the New Year break
        ("2605.09999", date(2026, 6, 13), "cs.CV", None, REPLACEMENT),  # a month on: a new version
        ("2008.03186", date(2026, 6, 15), "cs.CE", None, REPLACEMENT),  # the 2020 paper June 2026 began with
        ("2411.19594", date(2026, 6, 29), "cs.CV", None, REPLACEMENT),  # and week 27
        ("hep-th/9901001", date(2026, 6, 1), "hep-th", None, REPLACEMENT),
        ("2606.01234", date(2026, 6, 15), "cs.LG", "cs.CV", CROSS_LIST),
        ("2008.03186", date(2026, 6, 15), "cs.CE", "math.NA", REPLACEMENT),
        ("2606.01234", None, "cs.LG", None, NEW),
    ],
)
def test_listing_kind(arxiv_id, listed, primary, category, kind):
    assert listing_kind(arxiv_id=arxiv_id, listing_date=listed, primary_category=primary, category=category) == kind


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(
                st.from_regex(r"(0[7-9]|1[0-9]|2[0-6])(0[1-9]|1[0-2])\.[0-9]{5}", fullmatch=True),
                st.sampled_from(["hep-th/9901001", "math/0701001", "cs/0612001"]),
            ),
            st.one_of(st.none(), st.dates(date(2007, 1, 1), date(2026, 12, 31))),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda row: row[0],
    )
)
def test_the_stored_flag_follows_the_rule_through_the_ingest_and_save(rows):
    Paper.objects.all().delete()
    half = len(rows) // 2
    ingest_records(
        [
            PaperRecord(arxiv_id=arxiv_id, title="t", listing_date=listed, categories=["cs.LG"])
            for arxiv_id, listed in rows[:half]
        ],
        progress=False,
    )
    for arxiv_id, listed in rows[half:]:
        Paper.objects.create(arxiv_id=arxiv_id, title="t", listing_date=listed)
    stored = dict(Paper.objects.values_list("arxiv_id", "is_replacement"))
    assert stored == {
        arxiv_id: listing_kind(arxiv_id=arxiv_id, listing_date=listed) == REPLACEMENT for arxiv_id, listed in rows
    }


def test_top_of_a_window_read_per_day_equals_the_feed_order():
    rng = random.Random(7)
    last = date(2026, 6, 30)
    for n in range(80):
        day = last - timedelta(days=rng.randrange(9))
        arxiv_id = f"{rng.choice(['2606', '2606', '2008'])}.{n:05d}"  # some re-listed 2020 papers
        make_paper(arxiv_id=arxiv_id, day=day, upvotes=rng.randrange(4), hidden=rng.random() < 0.1)
    for days in (1, 7, 30):
        window = Window(last - timedelta(days=days - 1), last)
        for limit in (3, 10, 100):
            expected = list(feed_papers(window)[:limit])
            assert top_feed_papers(window, limit=limit) == expected, (days, limit)


def _june_2026():
    """Zero-vote ties as in the shared corpus: old papers re-listed beside new ones."""
    for arxiv_id, day, categories, upvotes in (
        ("2008.03186", date(2026, 6, 15), ("cs.CE", "math.NA"), 0),
        ("2411.19594", date(2026, 6, 29), ("cs.CV", "cs.GR"), 0),
        ("2606.10002", date(2026, 6, 29), ("cs.CV",), 0),
        ("2606.10001", date(2026, 6, 15), ("cs.LG", "cs.CV"), 0),
        ("2607.00001", date(2026, 7, 1), ("cs.CV",), 1),
    ):  # the reason the ingest wrote before it knew replacements
        make_paper(
            arxiv_id=arxiv_id,
            day=day,
            categories=categories,
            upvotes=upvotes,
            featured_reason=f"New in {categories[0]}",
        )


def _cards(html: str) -> list[str]:
    return [
        arxiv_id
        for arxiv_id in ("2607.00001", "2606.10001", "2606.10002", "2008.03186", "2411.19594")
        if f'/papers/{arxiv_id}"' in html
    ]


def test_month_and_week_start_with_new_submissions_and_label_replacements(client):
    _june_2026()
    month = client.get("/papers?month=2026-06").content.decode()
    order = sorted(_cards(month), key=month.index)
    assert order == ["2606.10001", "2606.10002", "2008.03186", "2411.19594"]
    assert "Replaced in cs.CE (first version August 2020)" in month and "New in cs.CE" not in month
    week = client.get("/papers?week=2026-W27").content.decode()
    assert sorted(_cards(week), key=week.index) == ["2607.00001", "2606.10002", "2411.19594"]
    assert "Replaced in cs.CV (first version November 2024)" in week
    in_cv = client.get("/papers?month=2026-06&category=cs.CV").content.decode()
    assert sorted(_cards(in_cv), key=in_cv.index) == ["2606.10002", "2606.10001", "2411.19594"]
    assert "Cross-listed from cs.LG" in in_cv


def test_every_trending_list_breaks_ties_the_same_way(client):
    """Equal hotness and upvotes: /api/daily_papers?sort=trending, /api/v1/trending, the RSS
    trending feed, the MCP tools' CLI and the trending page list the same order."""
    _june_2026()
    Paper.objects.update(hotness=1.0, upvotes=0)
    expected = ["2606.10001", "2606.10002", "2607.00001", "2008.03186", "2411.19594"]
    assert [p["paper"]["id"] for p in client.get("/api/daily_papers?sort=trending").json()] == expected
    assert [p["id"] for p in client.get("/api/v1/trending").json()] == expected
    feed = feedparser.parse(client.get("/feeds/trending.rss").content)
    assert [entry.link.rsplit("/papers/", 1)[1] for entry in feed.entries] == expected
    out = io.StringIO()
    call_command("papers", "trending", "--json", stdout=out)
    assert [p["id"] for p in json.loads(out.getvalue())] == expected
    page = client.get("/papers/trending").content.decode()
    assert sorted(_cards(page), key=page.index) == expected
