"""Small page defects from the trial (issue 14), each as a reader sees it."""

import datetime as dt
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from dailypapers.community.comments import post_comment
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def test_comment_times_say_their_timezone(client):
    paper = make_paper(arxiv_id="2606.00001")
    member = get_user_model().objects.create_user("cora", "cora@example.org", "pw-123456789")
    comment = post_comment(user=member, paper=paper, body="Good.")
    html = client.get("/papers/2606.00001").content.decode()
    when = comment.created_at.astimezone(dt.UTC)
    assert f"{when:%-d %b %Y, %H:%M} UTC</time>" in html


def test_show_more_puts_the_next_page_in_the_address_bar(client, monkeypatch):
    from dailypapers.catalog import feed

    monkeypatch.setattr(feed, "PAGE_SIZE", 1)
    make_paper(upvotes=2)
    make_paper(upvotes=1)
    html = client.get("/").content.decode()
    button = html[html.index('<div class="show-more">') :]
    assert 'hx-get="/papers?page=2"' in button and 'hx-push-url="true"' in button and 'href="/papers?page=2"' in button


def test_home_says_the_latest_listing_when_it_is_not_today(client):
    make_paper(day=date(2026, 7, 1))
    html = client.get("/").content.decode()
    assert "Latest listing: 1 July 2026." in html


def test_home_has_no_latest_note_when_the_latest_day_is_today(client):
    make_paper(day=date.today())
    assert "Latest listing" not in client.get("/").content.decode()


def test_search_on_an_empty_site_says_nothing_is_loaded(client):
    html = client.get("/search?mode=keyword&q=attention").content.decode()
    assert "This site has no papers loaded yet" in html
    make_paper(title="Attention")
    assert "no papers loaded" not in client.get("/search?mode=keyword&q=zebra").content.decode()


def test_empty_chart_does_not_claim_a_paper_a_day(client):
    make_paper(day=date(2026, 6, 1))
    html = client.get("/papers?week=2026-W27").content.decode()  # a week with no papers
    assert "most in a day: 1" not in html and "no papers on these days" in html
    assert "most in a day: 1" in client.get("/papers?date=2026-06-01").content.decode()


def test_messages_show_in_the_page_not_in_the_phone_menu(client):
    paper = make_paper(arxiv_id="2606.00001")
    member = get_user_model().objects.create_user("cora", "cora@example.org", "pw-123456789")
    comment = post_comment(user=member, paper=paper, body="Oops.")
    client.force_login(member)
    html = client.post(f"/comments/{comment.pk}/delete", follow=True).content.decode()
    main = html[html.index("<main") :]
    assert '<ul class="messages" role="status"><li class="info">Comment deleted.</li></ul>' in main
    assert "Comment deleted." not in html[: html.index("<main")]


def test_a_search_without_results_says_what_to_try(client):
    make_paper(title="Attention", categories=("cs.CL",))
    html = client.get("/search?mode=keyword&q=zebra&category=cs.CL").content.decode()
    assert "No paper matches “zebra”. Try fewer or other words, or match by meaning too, or remove a filter." in html


def test_a_pushed_page_restored_from_history_is_a_whole_page(client, monkeypatch):
    """htmx, going back to ?page=2 without a snapshot, asks again with HX-History-Restore-Request."""
    from dailypapers.catalog import feed

    monkeypatch.setattr(feed, "PAGE_SIZE", 1)
    make_paper(upvotes=2)
    make_paper(upvotes=1)
    fragment = client.get("/papers?page=2", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    restored = client.get("/papers?page=2", headers=restore)
    assert "<html" in restored.content.decode() and 'class="site-header"' in restored.content.decode()
