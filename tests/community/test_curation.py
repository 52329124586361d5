"""Curation rules on the catalogue's papers_ingested signal: default features all, rules decide once defined."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.catalog.models import Paper
from dailypapers.catalog.signals import papers_ingested
from dailypapers.community.models import CurationRule, Submission
from dailypapers.community.ranking import paper_hotness
from dailypapers.ingest.records import PaperRecord
from dailypapers.ingest.upsert import upsert_records


def _ingested(*papers):
    papers_ingested.send(sender="test", created_ids=[p.pk for p in papers], updated_ids=[])
    return [Paper.objects.get(pk=p.pk) for p in papers]


def _ingest(arxiv_id, **fields):
    values = {
        "title": f"Paper {arxiv_id}",
        "version": 1,
        "categories": ["cs.CL", "cs.LG"],
        "listing_date": dt.date(2026, 2, 2),
        "published": dt.datetime(2026, 1, 30, 17, tzinfo=dt.UTC),
        **fields,
    }
    record = PaperRecord(arxiv_id=arxiv_id, **values)
    upsert_records([record])
    return Paper.objects.get(arxiv_id=arxiv_id)


def test_without_rules_every_new_paper_is_featured_with_its_trending_key(db, settings):
    settings.FEATURE_ALL_INGESTED = True
    paper = _ingest("2602.00001")
    assert paper.featured_on == dt.date(2026, 2, 2) and paper.featured_reason == "New in cs.CL"
    assert paper.hotness == paper_hotness(paper) > 0
    # The key is the formula's: a paper listed a day later ranks one day's worth higher.
    later = _ingest("2602.00002", featured_on=dt.date(2026, 2, 3))
    assert later.hotness - paper.hotness == pytest.approx(24 / settings.TRENDING_WINDOW_HOURS)


def test_default_off_and_no_rules_features_nothing(db, settings):
    settings.FEATURE_ALL_INGESTED = False
    paper = _ingest("2602.00003")
    assert paper.featured_on is None and paper.featured_reason == ""
    assert paper.hotness == paper_hotness(paper) > 0  # from its first version's time


def test_rules_decide_for_papers_the_ingest_creates(db):
    CurationRule.objects.create(kind="category", value="cs.LG")
    CurationRule.objects.create(kind="category", value="math.AG")
    matched = _ingest("2602.00004")
    unmatched = _ingest("2602.00005", categories=["math.CO"])
    assert matched.featured_reason == "In category cs.LG" and matched.hotness == paper_hotness(matched)
    assert unmatched.featured_on is None and unmatched.hotness == paper_hotness(unmatched)


def test_rules_feature_matches_and_say_why(make_paper):
    CurationRule.objects.create(kind="category", value="cs.CL")
    CurationRule.objects.create(kind="author", value="Grace Hopper")
    CurationRule.objects.create(kind="topic", value="diffusion models")
    CurationRule.objects.create(kind="category", value="math.AG", active=False)
    by_category = make_paper(categories=["cs.LG", "cs.CL"])
    by_author = make_paper(authors_text="Ada Lovelace, Grace Hopper")
    by_topic = make_paper(title="Fast Diffusion", abstract="We train models that denoise.")
    unmatched = make_paper(categories=["math.AG"], featured_on=dt.date(2026, 1, 6))
    submitted = make_paper(categories=["math.AG"], day=dt.date(2026, 1, 6))
    Submission.objects.create(paper=submitted, user=_user(), created_at=dt.datetime(2026, 1, 7, tzinfo=dt.UTC))
    papers = _ingested(by_category, by_author, by_topic, unmatched, submitted)
    assert [p.featured_reason for p in papers[:3]] == [
        "In category cs.CL",
        "By Grace Hopper",
        "Matches topic diffusion models",
    ]
    assert papers[3].featured_on is None and papers[3].featured_reason == ""
    assert papers[4].featured_on == dt.date(2026, 1, 6)  # a member's submission stays


def test_updates_do_not_refeature(make_paper):
    CurationRule.objects.create(kind="category", value="cs.CL")
    paper = make_paper(featured_on=None, featured_reason="")
    papers_ingested.send(sender="test", created_ids=[], updated_ids=[paper.pk])
    paper.refresh_from_db()
    assert paper.featured_on is None


def _user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("submitter", "s@example.org", "x")
