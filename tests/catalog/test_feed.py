"""The feed data functions: which papers, in which order, which neighbours, how many queries."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dailypapers.catalog import feed
from dailypapers.catalog.feed import FeedParameterError, PaperNotFound
from dailypapers.catalog.models import Paper
from tests.factories import make_paper

pytestmark = pytest.mark.django_db
JUNE_29, JUNE_30, JULY_1 = date(2026, 6, 29), date(2026, 6, 30), date(2026, 7, 1)


def ids(data):
    return [p["arxiv_id"] for p in data["papers"]]


def test_daily_feed_defaults_to_latest_day_ordered_by_upvotes_then_id():
    make_paper(arxiv_id="2606.00001", day=JUNE_29)
    make_paper(arxiv_id="2606.00003", day=JUNE_30, upvotes=2)
    make_paper(arxiv_id="2606.00002", day=JUNE_30, upvotes=2)
    make_paper(arxiv_id="2606.00009", day=JUNE_30, upvotes=5)
    make_paper(arxiv_id="2606.00010", day=JUNE_30, hidden=True, upvotes=99)
    make_paper(arxiv_id="2606.00011", day=JUNE_30, featured=False)
    data = feed.daily_feed()
    assert data["start"] == JUNE_30
    assert ids(data) == ["2606.00009", "2606.00002", "2606.00003"]
    assert data["previous"]["value"] == "2026-06-29" and data["next"] is None
    assert data["total"] == 3


def test_previous_and_next_skip_days_without_papers():
    make_paper(day=date(2026, 6, 26))  # a Friday
    make_paper(day=JUNE_29)  # the Monday after
    data = feed.daily_feed(day="2026-06-27")
    assert data["papers"] == []
    assert data["previous"]["value"] == "2026-06-26" and data["next"]["value"] == "2026-06-29"


def test_week_and_month_windows():
    make_paper(arxiv_id="2606.00001", day=date(2026, 6, 21))  # Sunday of W25
    make_paper(arxiv_id="2606.00002", day=date(2026, 6, 22))  # Monday of W26
    make_paper(arxiv_id="2606.00003", day=date(2026, 6, 28))  # Sunday of W26
    make_paper(arxiv_id="2607.00004", day=JULY_1)
    assert ids(feed.weekly_feed(week="2026-W26")) == ["2606.00002", "2606.00003"]
    assert ids(feed.monthly_feed(month="2026-06")) == ["2606.00001", "2606.00002", "2606.00003"]
    week = feed.weekly_feed(week="2026-W26")
    assert week["previous"]["value"] == "2026-W25" and week["next"]["value"] == "2026-W27"
    assert len(week["counts"]) == 7 and [c["count"] for c in week["counts"]] == [1, 0, 0, 0, 0, 0, 1]
    assert feed.monthly_feed(month="2026-06")["last_day"] == date(2026, 6, 28)


def test_category_filter_includes_cross_lists():
    make_paper(arxiv_id="2606.00001", categories=("cs.LG", "stat.ML"), featured_reason="New in cs.LG")
    make_paper(arxiv_id="2606.00002", categories=("stat.ML",), featured_reason="New in stat.ML")
    make_paper(arxiv_id="2606.00003", categories=("cs.CV",))
    # Its own stat.ML paper first, then the cross-list from cs.LG, labelled so.
    in_stat_ml = feed.daily_feed(day=JUNE_30, category="stat.ML")
    assert ids(in_stat_ml) == ["2606.00002", "2606.00001"]
    assert [p["featured_reason"] for p in in_stat_ml["papers"]] == ["New in stat.ML", "Cross-listed from cs.LG"]
    menu = {item["category"]: item["count"] for item in feed.daily_feed(day=JUNE_30)["categories"]}
    assert menu == {"cs.LG": 1, "stat.ML": 2, "cs.CV": 1}


def test_month_pagination_keeps_order_across_pages(monkeypatch):
    monkeypatch.setattr(feed, "PAGE_SIZE", 2)
    for n in range(5):
        make_paper(arxiv_id=f"2606.{n:05d}", upvotes=n)
    first, last = feed.monthly_feed(month="2026-06"), feed.monthly_feed(month="2026-06", page=3)
    assert ids(first) == ["2606.00004", "2606.00003"] and first["num_pages"] == 3
    assert ids(last) == ["2606.00000"]
    with pytest.raises(FeedParameterError):
        feed.monthly_feed(month="2026-06", page=4)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"date": "2026-02-30"}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"date": "20260630"}, "date"),
        ({"week": "2026-W54"}, "week"),
        ({"week": "2026-26"}, "week"),
        ({"month": "2026-13"}, "month"),
        ({"month": "June"}, "month"),
        ({"category": "<script>"}, "category"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"date": "0001-01-01"}, "date"),
        ({"month": "9999-12"}, "month"),
        ({"week": "9999-W52"}, "week"),
        ({"date": "2026-06-30", "week": "2026-W99"}, "week"),
    ],
)
def test_bad_parameters_name_the_field(params, field):
    make_paper()
    with pytest.raises(FeedParameterError) as error:
        feed.feed_for_query(params)
    assert error.value.field == field


def test_empty_site_is_flagged():
    assert feed.daily_feed()["empty_site"] is True


def test_paper_detail_joins_wrapped_lines_and_keeps_paragraphs():
    make_paper(
        arxiv_id="hep-th/9901001", abstract="First line\nwrapped here.\n  Second paragraph\nalso wrapped.\n\nThird."
    )
    detail = feed.paper_detail(arxiv_id="hep-th/9901001v2")
    assert detail["abstract_paragraphs"] == ["First line wrapped here.", "Second paragraph also wrapped.", "Third."]
    assert detail["bibtex"].startswith("@misc{lovelace2026papernumber")  # arXiv-style key: up to 4 title words


def test_paper_detail_refuses_hidden_unknown_and_non_ids():
    make_paper(arxiv_id="2606.00001", hidden=True)
    for text in ("2606.00001", "2606.99999", "not-an-id"):
        with pytest.raises(PaperNotFound):
            feed.paper_detail(arxiv_id=text)


def test_feed_and_detail_are_plain_json_serialisable_data():
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    make_paper(arxiv_id="2606.00001", categories=("cs.LG", "stat.ML"))
    for data in (feed.daily_feed(), feed.weekly_feed(week="2026-W27"), feed.paper_detail(arxiv_id="2606.00001")):
        assert json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from(["date", "week", "month", "category", "page"]),
    value=st.one_of(st.text(max_size=20), st.from_regex(r"\d{4}-(W\d{2}|\d{2}(-\d{2})?)", fullmatch=True)),
)
def test_any_query_value_gives_a_feed_or_a_parameter_error(key, value):
    if not Paper.objects.exists():
        make_paper()
    try:
        data = feed.feed_for_query({key: value})
    except FeedParameterError as error:
        assert error.field == key
    else:
        assert isinstance(data["papers"], list)
