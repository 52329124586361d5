"""Trending: the formula pinned to exact numbers, and the lists it orders."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dailypapers.community.ranking import featured_time, hotness, trending_papers
from dailypapers.community.votes import cast_vote

UTC = dt.UTC


def test_hotness_pinned_numbers(settings):
    settings.TRENDING_WINDOW_HOURS = 24.0
    settings.TRENDING_EPOCH = "2020-01-01T00:00:00+00:00"
    day = dt.datetime(2026, 3, 1, tzinfo=UTC)  # 2251 days after the epoch
    assert hotness(upvotes=0, when=day) == 2251.0
    assert hotness(upvotes=9, when=day) == 2252.0
    assert hotness(upvotes=99, when=day) == 2253.0
    assert hotness(upvotes=4, when=day) == round(2251 + math.log10(5), 7) == 2251.69897
    # Twelve hours later is half a window.
    assert hotness(upvotes=0, when=day + dt.timedelta(hours=12)) == 2251.5


def test_hotness_window_is_a_setting(settings):
    settings.TRENDING_WINDOW_HOURS = 12.5  # Reddit's 45,000 s
    assert hotness(upvotes=0, when=dt.datetime(2020, 1, 2, tzinfo=UTC)) == pytest.approx(24 / 12.5)


def test_one_day_newer_equals_ten_times_the_votes(settings):
    settings.TRENDING_WINDOW_HOURS = 24.0
    older = hotness(upvotes=99, when=dt.datetime(2026, 3, 1, tzinfo=UTC))
    newer = hotness(upvotes=9, when=dt.datetime(2026, 3, 2, tzinfo=UTC))
    assert older == newer


def test_featured_time_prefers_the_featured_day():
    published = dt.datetime(2026, 2, 27, 15, tzinfo=UTC)
    assert featured_time(featured_on=dt.date(2026, 3, 1), published=published, created_at=None) == dt.datetime(
        2026, 3, 1, tzinfo=UTC
    )
    assert featured_time(featured_on=None, published=published, created_at=None) == published


def test_vote_moves_trending_and_key_is_time_invariant(make_user, make_paper, settings):
    settings.TRENDING_WINDOW_HOURS = 24.0
    old = make_paper(featured_on=dt.date(2026, 3, 1))
    new = make_paper(featured_on=dt.date(2026, 3, 2))
    for paper in (old, new):
        cast_vote(user=make_user(), paper_id=paper.pk, up=True)
    assert [p.pk for p in trending_papers()] == [new.pk, old.pk]
    voters = [make_user() for _ in range(19)]
    for user in voters:
        cast_vote(user=user, paper_id=old.pk, up=True)
    old.refresh_from_db()
    assert old.upvotes == 20
    assert old.hotness == round(2251 + math.log10(21), 7) == 2252.3222193
    assert [p.pk for p in trending_papers()] == [old.pk, new.pk]


def test_hidden_and_unfeatured_papers_are_not_listed(make_paper):
    shown = make_paper()
    make_paper(hidden=True)
    make_paper(featured_on=None)
    assert [p.pk for p in trending_papers()] == [shown.pk]


def test_top_lists_order_by_upvotes_within_the_window(make_user, make_paper):
    today = dt.date(2026, 3, 31)
    in_day = make_paper(featured_on=today)
    in_week = make_paper(featured_on=today - dt.timedelta(days=6))
    in_month = make_paper(featured_on=today - dt.timedelta(days=29))
    too_old = make_paper(featured_on=today - dt.timedelta(days=30))
    for paper, votes in ((in_day, 1), (in_week, 2), (in_month, 3), (too_old, 4)):
        for _ in range(votes):
            cast_vote(user=make_user(), paper_id=paper.pk)
    assert [p.pk for p in trending_papers(window="day", today=today)] == [in_day.pk]
    assert [p.pk for p in trending_papers(window="week", today=today)] == [in_week.pk, in_day.pk]
    assert [p.pk for p in trending_papers(window="month", today=today)] == [in_month.pk, in_week.pk, in_day.pk]
    with pytest.raises(ValueError, match="window: expected one of day, week, month"):
        trending_papers(window="year")


def test_trending_pages(client, make_paper):
    make_paper(title="A trending paper")
    page = client.get("/papers/trending")
    assert page.status_code == 200 and b"A trending paper" in page.content
    assert client.get("/papers/trending?window=week").status_code == 200
    bad = client.get("/papers/trending?window=year")
    assert bad.status_code == 400 and b"window: expected one of day, week, month" in bad.content


def test_about_ranking_states_the_formula_with_the_settings(client, settings, db):
    settings.TRENDING_WINDOW_HOURS = 36.0
    page = client.get("/about/ranking").content.decode()
    assert "log10(1 + upvotes)" in page
    assert "/ 36 hours" in page
    assert settings.TRENDING_EPOCH in page
