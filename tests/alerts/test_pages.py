"""Saving a search from the search page, the saved search's page (new since the last visit,
each card saying why), rename and delete, and its private feed read with feedparser."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse

from dailypapers.alerts.models import SavedSearch

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def test_the_search_page_offers_to_save_the_search_it_shows(signed_in):
    page = signed_in.get("/search", {"q": "video diffusion", "mode": "keyword", "category": "cs.CV"})
    html = page.content.decode()
    assert 'action="/saved-searches/save"' in html
    assert 'name="q" value="video diffusion"' in html and 'name="category" value="cs.CV"' in html


def test_saving_from_the_search_page_stores_the_search_as_the_page_read_it(signed_in, member):
    answer = signed_in.post(
        "/saved-searches/save", {"q": "  video   diffusion ", "mode": "keyword", "category": "cs.CV", "code": "1"}
    )
    saved = SavedSearch.objects.get(user=member)
    assert answer.status_code == 302 and answer["Location"] == f"/saved-searches/{saved.pk}"
    assert (saved.query, saved.mode, saved.category, saved.has_code) == ("video diffusion", "keyword", "cs.CV", True)
    again = signed_in.post(
        "/saved-searches/save", {"q": "video diffusion", "mode": "keyword", "category": "cs.CV", "code": "1"}
    )
    assert again["Location"] == answer["Location"] and SavedSearch.objects.count() == 1


def test_bad_input_is_refused_with_a_message_naming_the_field(signed_in):
    answer = signed_in.post("/saved-searches/save", {"q": "x", "from": "2026-02-30"})
    assert answer.status_code == 400 and "from" in answer.content.decode()
    empty = signed_in.post("/saved-searches/save", {"q": "  "})
    assert empty.status_code == 400 and "q: a saved search needs words" in empty.content.decode()
    assert not SavedSearch.objects.exists()


def test_signed_out_readers_are_sent_to_sign_in_and_back_to_the_search(client):
    answer = client.post("/saved-searches/save", {"q": "video diffusion"})
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("account_login"))
    assert "q%3Dvideo%2Bdiffusion" in answer["Location"]


def test_the_page_lists_new_matches_with_why_then_earlier_ones(
    signed_in, member, arrive, django_assert_max_num_queries
):
    signed_in.post("/saved-searches/save", {"q": "video diffusion", "mode": "keyword"})
    saved = SavedSearch.objects.get()
    arrive()
    with django_assert_max_num_queries(13):  # 12, and one for the cards' author links
        first = signed_in.get(f"/saved-searches/{saved.pk}").content.decode()
    new_section = first.split('id="new-matches"')[1].split("<h2>")[0]
    assert "Video diffusion without motion priors" in new_section
    assert "has your words: “video”, “diffusion”" in new_section
    second = signed_in.get(f"/saved-searches/{saved.pk}").content.decode()
    assert "Nothing new yet" in second and "Earlier matches" in second


def test_rename_delete_and_other_members(signed_in, member, other_member, client):
    signed_in.post("/saved-searches/save", {"q": "video diffusion"})
    saved = SavedSearch.objects.get()
    signed_in.post(f"/saved-searches/{saved.pk}/rename", {"name": "Video models"})
    assert "Video models" in signed_in.get("/saved-searches").content.decode()
    assert signed_in.post(f"/saved-searches/{saved.pk}/rename", {"name": " "}).status_code == 400
    client.force_login(other_member)
    assert client.get(f"/saved-searches/{saved.pk}").status_code == 404
    assert client.post(f"/saved-searches/{saved.pk}/delete").status_code == 404
    client.force_login(member)
    assert client.post(f"/saved-searches/{saved.pk}/delete").status_code == 302
    assert not SavedSearch.objects.exists()


def test_the_private_feed_lists_matches_with_why_and_a_new_token_retires_the_old_url(signed_in, arrive):
    signed_in.post("/saved-searches/save", {"q": "self-play negotiation agents", "mode": "meaning"})
    saved = SavedSearch.objects.get()
    arrive()
    for kind in ("rss", "atom"):
        url = reverse(f"api:feed-saved-{kind}", kwargs={"token": saved.feed_token})
        parsed = feedparser.parse(signed_in.get(url).content)
        assert not parsed.bozo, parsed.bozo_exception
        titles = {entry.title: entry for entry in parsed.entries}
        assert "Bargaining robots" in titles
        assert "close in meaning to your search (score 0." in titles["Bargaining robots"].summary
    old = reverse("api:feed-saved-rss", kwargs={"token": saved.feed_token})
    signed_in.post(f"/saved-searches/{saved.pk}/rotate")
    assert signed_in.get(old).status_code == 404
    saved.refresh_from_db()
    assert signed_in.get(reverse("api:feed-saved-rss", kwargs={"token": saved.feed_token})).status_code == 200
