"""Keyword chips and topic pages (`/topics/<keyword>`): chips on cards and the paper page link
to the topic page, which lists the papers with that keyword, trending first, follows it and
offers its feeds; bad addresses answer clearly; the page costs no query per paper."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dailypapers.catalog.keywords import save_keywords, topic_path
from dailypapers.community.models import Follow
from tests.factories import make_paper

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def _with_keywords(paper, *keywords):
    save_keywords({paper.pk: [(k, 0.5) for k in keywords]})
    paper.refresh_from_db()
    return paper


def _card(text: str, title: str) -> str:
    start = text.rindex('<article class="paper-card', 0, text.index(title))
    return text[start : text.index("</article>", start)]


def test_topic_path_is_the_routed_address():
    assert topic_path("Gaussian Splatting") == "/topics/gaussian%20splatting"
    assert reverse("web:topic", args=["gaussian splatting"]) == topic_path("gaussian splatting")
    assert topic_path("text-to-image") == "/topics/text-to-image"


def test_chips_on_the_feed_card_and_the_paper_page(client):
    paper = _with_keywords(make_paper(day=DAY, title="Splatting scenes"), "gaussian splatting", "novel view synthesis")
    card = _card(client.get("/").content.decode(), "Splatting scenes")
    assert '<p class="paper-keywords" aria-label="Keywords">' in card
    assert '<a class="keyword" href="/topics/gaussian%20splatting">gaussian splatting</a>' in card
    assert card.index("gaussian splatting") < card.index("novel view synthesis")  # best first
    page = client.get(f"/papers/{paper.arxiv_id}").content.decode()
    assert '<a class="keyword" href="/topics/novel%20view%20synthesis">novel view synthesis</a>' in page


def test_cards_of_papers_without_keywords_have_no_chip_line(client):
    make_paper(day=DAY, title="Not yet extracted")
    assert 'class="paper-keywords"' not in client.get("/").content.decode()
    assert 'class="paper-keywords"' not in client.get("/papers/trending").content.decode()


def test_trending_cards_show_chips_too(client):
    _with_keywords(make_paper(day=DAY, title="Hot paper"), "mixture of experts")
    card = _card(client.get("/papers/trending").content.decode(), "Hot paper")
    assert 'href="/topics/mixture%20of%20experts"' in card


def test_topic_page_lists_papers_with_the_keyword_trending_first(client):
    cold = _with_keywords(make_paper(day=DAY, title="Cold paper", hotness=1.0), "world models", "robotics")
    hot = _with_keywords(make_paper(day=DAY, title="Hot paper", hotness=5.0), "world models")
    _with_keywords(make_paper(day=DAY, title="Other topic", hotness=9.0), "robotics")
    hidden = _with_keywords(make_paper(day=DAY, title="Hidden paper", hidden=True), "world models")
    _with_keywords(make_paper(day=DAY, title="Words only: world models", hotness=9.0))  # the words, not the keyword
    response = client.get("/topics/world%20models")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>world models</h1>" in text and "2 papers with this keyword, trending first" in text
    assert text.index(hot.title) < text.index(cold.title)
    assert "Other topic" not in text and hidden.title not in text and "Words only" not in text
    assert 'href="/feeds/topic/world%20models.rss"' in text and 'href="/feeds/topic/world%20models.atom"' in text
    assert 'name="kind" value="keyword"' in text and 'name="value" value="world models"' in text


def test_topic_addresses_other_spellings_unknown_keywords_and_bad_pages(client):
    _with_keywords(make_paper(day=DAY), "world models")
    response = client.get("/topics/World%20%20Models")
    assert response.status_code == 301 and response["Location"] == "/topics/world%20models"
    unknown = client.get("/topics/no%20such%20keyword")
    assert unknown.status_code == 404 and "No paper has this keyword yet" in unknown.content.decode()
    bad = client.get("/topics/world%20models?page=zero")
    assert bad.status_code == 400 and "page=zero" in bad.content.decode()
    assert client.get("/topics/world%20models?page=2").status_code == 400  # one page only
    assert client.get("/topics/%20").status_code == 404


def test_topic_page_is_paginated(client, monkeypatch):
    from dailypapers.catalog import keywords

    monkeypatch.setattr(keywords, "TOPIC_PAGE_SIZE", 2)
    for n in range(5):
        _with_keywords(make_paper(day=DAY, title=f"Ranked {n}", hotness=float(n)), "agents")
    first = client.get("/topics/agents").content.decode()
    assert "Ranked 4" in first and "Ranked 3" in first and "Ranked 2" not in first
    assert 'href="/topics/agents?page=2"' in first and "Page 1 of 3" in first
    last = client.get("/topics/agents?page=3").content.decode()
    assert "Ranked 0" in last and 'rel="prev" href="/topics/agents?page=2"' in last


def test_following_a_keyword_from_its_topic_page(client):
    member = get_user_model().objects.create_user("reader", "reader@example.org", "pw-123456789")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    client.force_login(member)
    _with_keywords(make_paper(day=DAY, title="An agents paper"), "agents")
    response = client.post(
        reverse("community:follow"), {"kind": "keyword", "value": "Agents", "next": "/topics/agents"}
    )
    assert response.status_code == 302
    assert list(Follow.objects.values_list("kind", "value")) == [("keyword", "agents")]
    text = client.get("/topics/agents").content.decode()
    assert "Following ✓" in text
    assert "Keyword “agents”, which you follow" in client.get("/for-you").content.decode()
    profile = client.get(reverse("community:profile", args=["reader"])).content.decode()
    assert "Keywords" in profile and '<a class="keyword" href="/topics/agents">agents</a>' in profile


def test_topic_page_query_count_does_not_grow_with_papers(client, django_assert_max_num_queries):
    def queries(expected_cards):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/topics/agents")
        assert response.content.decode().count('class="paper-card"') == expected_cards
        return len(captured.captured_queries)

    for n in range(3):
        _with_keywords(make_paper(day=DAY, upvotes=n), "agents", f"topic {n}")
    few = queries(3)
    for n in range(40):
        _with_keywords(make_paper(day=DAY, upvotes=n), "agents", "planning")
    with django_assert_max_num_queries(5):  # count, page of papers, author links; room for a session lookup
        many = queries(43)
    assert many == few


def test_feed_page_query_count_is_unchanged_by_keywords(client):
    for n in range(5):
        make_paper(day=DAY, upvotes=n)
    client.get("/")  # the first request of a test also sets up the cache's version key
    with CaptureQueriesContext(connection) as without:
        client.get("/")
    from dailypapers.catalog.models import Paper

    for paper in Paper.objects.all():
        _with_keywords(paper, "one", "two", "three")
    with CaptureQueriesContext(connection) as with_keywords:
        text = client.get("/").content.decode()
    assert text.count('class="paper-keywords"') == 5
    assert len(with_keywords.captured_queries) == len(without.captured_queries)
