"""The feed pages through the real URL routes and templates: home, day, week, month, errors."""

from datetime import date

import pytest

from tests.factories import make_paper

pytestmark = pytest.mark.django_db
JUNE_26, JUNE_29, JUNE_30 = date(2026, 6, 26), date(2026, 6, 29), date(2026, 6, 30)


def test_empty_site_says_how_to_load_papers(client):
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "make demo DATA=../shared/data/arxiv/papers-2025-03-to-2026-07.jsonl.gz" in text
    assert "dailypapers ingest file PATH" in text
    assert "dailypapers ingest arxiv --category cs.LG --days 3" in text


def test_home_shows_latest_day_with_prev_link(client):
    make_paper(title="Old Friday paper", day=JUNE_26)
    make_paper(
        title="Tuesday top paper",
        day=JUNE_30,
        upvotes=7,
        code_url="https://github.com/a/b",
        featured_reason="Listed in cs.LG",
    )
    make_paper(title="Hidden paper", day=JUNE_30, hidden=True)
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Tuesday 30 June 2026" in text and "Tuesday top paper" in text
    assert "Old Friday paper" not in text and "Hidden paper" not in text
    assert 'href="/papers?date=2026-06-26"' in text and 'rel="next"' not in text
    assert "https://github.com/a/b" in text and "Listed in cs.LG" in text
    assert "<svg" in text  # the papers-per-day chart


def test_day_page_and_next_link(client):
    make_paper(title="Friday paper", day=JUNE_26)
    make_paper(title="Monday paper", day=JUNE_29)
    text = client.get("/papers?date=2026-06-26").content.decode()
    assert "Friday paper" in text and "Monday paper" not in text
    assert 'rel="next" href="/papers?date=2026-06-29"' in text


def test_week_and_month_pages(client):
    make_paper(title="Monday of week 27", day=JUNE_29)
    make_paper(title="Sunday of week 26", day=date(2026, 6, 28))
    make_paper(title="In July", day=date(2026, 7, 1))
    week = client.get("/papers?week=2026-W27").content.decode()
    assert "Monday of week 27" in week and "In July" in week and "Sunday of week 26" not in week
    month = client.get("/papers?month=2026-06").content.decode()
    assert "Monday of week 27" in month and "Sunday of week 26" in month and "In July" not in month


def test_category_filter_and_menu(client):
    make_paper(title="Learning paper", categories=("cs.LG",))
    make_paper(title="Vision paper", categories=("cs.CV", "cs.LG"))
    make_paper(title="Language paper", categories=("cs.CL",))
    text = client.get("/papers?date=2026-06-30&category=cs.CV").content.decode()
    assert "Vision paper" in text and "Learning paper" not in text
    assert '<option value="cs.CV" selected>' in text
    text = client.get("/papers?date=2026-06-30&category=cs.LG").content.decode()
    assert "Vision paper" in text and "Learning paper" in text and "Language paper" not in text


@pytest.mark.parametrize(
    "query, field",
    [
        ("date=2026-02-30", "date"),
        ("date=tomorrow", "date"),
        ("week=2026-W60", "week"),
        ("month=2026-00", "month"),
        ("category=%3Cb%3E", "category"),
        ("page=-1", "page"),
        ("date=2026-06-30&month=2026-13", "month"),  # several: each must be valid, the narrowest wins
    ],
)
def test_bad_parameters_give_400_with_message(client, query, field):
    make_paper()
    response = client.get(f"/papers?{query}")
    assert response.status_code == 400
    text = response.content.decode()
    assert "That page address is not valid" in text and f"<code>{field}=" in text
    assert "<b>" not in text  # the bad value is escaped


def test_htmx_show_more_returns_only_the_next_cards(client, monkeypatch):
    from dailypapers.catalog import feed

    monkeypatch.setattr(feed, "PAGE_SIZE", 2)
    for n in range(3):
        make_paper(title=f"Ranked {n}", upvotes=n)
    first = client.get("/").content.decode()
    assert "Ranked 2" in first and "Ranked 0" not in first and "Show more papers" in first
    more = client.get("/papers?page=2", headers={"HX-Request": "true"}).content.decode()
    assert "Ranked 0" in more and "Ranked 2" not in more and "<html" not in more


def test_day_page_query_count_does_not_grow_with_papers(client, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0  # count the page's own queries, not the page cache's
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_home(expected_cards):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/")
        assert response.content.decode().count('class="paper-card"') == expected_cards
        return len(captured.captured_queries)

    for n in range(5):
        make_paper(categories=("cs.LG", "stat.ML"), upvotes=n)
    few = queries_for_home(5)
    for n in range(55):
        make_paper(categories=("cs.LG", "cs.CV"), upvotes=n)
    # 7 feed queries today, 1 for the author pages of every name shown, room for a session lookup
    with django_assert_max_num_queries(10):
        many = queries_for_home(60)
    assert many == few


def test_month_page_is_paginated(client, monkeypatch):
    from dailypapers.catalog import feed

    monkeypatch.setattr(feed, "PAGE_SIZE", 3)
    for n in range(7):
        make_paper(day=date(2026, 6, 1 + n), upvotes=n)
    text = client.get("/papers?month=2026-06&page=3").content.decode()
    assert text.count('class="paper-card"') == 1 and "page 3 of 3" in text
    assert client.get("/papers?month=2026-06&page=4").status_code == 400


def test_hugging_face_path_urls_redirect(client):
    response = client.get("/papers/week/2026-W26")
    assert response.status_code == 301 and response["Location"] == "/papers?week=2026-W26"


def test_category_menu_keeps_the_week_and_date_picker_keeps_the_category(client):
    make_paper(categories=("cs.LG",))
    text = client.get("/papers?week=2026-W27&category=cs.LG").content.decode()
    category_form = text[text.index('class="category-form"') :]
    assert '<input type="hidden" name="week" value="2026-W27">' in category_form[: category_form.index("</form>")]
    date_form = text[text.index('class="date-form"') :]
    assert '<input type="hidden" name="category" value="cs.LG">' in date_form[: date_form.index("</form>")]


def test_nav_week_and_month_lead_to_the_latest_featured_papers(client, db):
    from datetime import date

    from tests.factories import make_paper

    make_paper(day=date(2026, 6, 30))
    html = client.get("/papers?date=2026-06-30").content.decode()
    assert "?week=2026-W27" in html and "?month=2026-06" in html
