"""Every feed parses with feedparser without a bozo flag and lists the right papers."""

from __future__ import annotations

import feedparser
import lxml.html
import pytest
from django.contrib.auth import get_user_model

from dailypapers.api.feeds import for_you_token
from dailypapers.community.votes import cast_vote
from tests.factories import make_paper

FEEDS = [
    ("/feeds/daily", ["2503.00003"]),  # the newest day on the feed, whole
    ("/feeds/daily?date=2025-03-03", ["2503.00002", "2503.00001"]),  # an earlier day, most upvoted first
    ("/feeds/trending", None),
    ("/feeds/category/cs.LG", ["2503.00002"]),
    ("/feeds/author/Kurt Gödel", ["2503.00003"]),
    ("/feeds/search?q=retrieval", ["2503.00003"]),
]


def shown(html: str) -> str:
    """The text a feed reader shows for an HTML description."""
    return lxml.html.fragment_fromstring(html, create_parent="div").text_content()


def _ids(parsed) -> list[str]:
    return [entry.link.rsplit("/papers/", 1)[1] for entry in parsed.entries]


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("path,expected", FEEDS)
def test_feed_is_valid_and_lists_papers(client, papers, path, expected, kind):
    base, _, query = path.partition("?")
    response = client.get(f"{base}.{kind}" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if kind == "rss" else "atom10")
    ids = _ids(parsed)
    assert "2503.00009" not in ids  # hidden papers never appear
    if expected is not None:
        assert ids == expected
    entry = parsed.entries[0]
    assert entry.title and entry.summary and entry.author


def test_trending_feed_orders_by_hotness(client, papers):
    assert _ids(feedparser.parse(client.get("/feeds/trending.rss").content)) == [
        "2503.00003",
        "2503.00001",
        "2503.00002",
    ]


def test_feed_survives_control_characters_and_markup(client, db):
    make_paper(
        "2503.00077",
        title="Form\x0cfeed <b>&amp; friends</b>",
        authors=["A <B>"],
        featured_on=None,
        abstract="x < y & z\x01",
    )
    parsed = feedparser.parse(client.get("/feeds/search.rss?q=friends").content)
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "Form feed <b>&amp; friends</b>"  # form feed is whitespace
    assert shown(parsed.entries[0].summary) == "x < y & z"  # \x01 dropped: XML 1.0 forbids it


def test_bad_feed_parameters_are_404_not_500(client, db):
    assert client.get("/feeds/category/not a category!.rss").status_code == 404
    assert client.get("/feeds/search.rss").status_code == 404
    assert client.get("/feeds/for-you/1.forged.rss").status_code == 404


def test_for_you_feed_with_private_token(client, papers):
    member = get_user_model().objects.create_user("reader", password="pw")
    cast_vote(user=member, paper_id=papers["attention"].pk)
    url = f"/feeds/for-you/{for_you_token(member)}"
    for kind in ("rss", "atom"):
        parsed = feedparser.parse(client.get(f"{url}.{kind}").content)
        assert parsed.bozo == 0
        assert "2503.00001" not in _ids(parsed)  # already upvoted
    other = get_user_model().objects.create_user("other", password="pw")
    assert for_you_token(other) != for_you_token(member)


def test_pages_advertise_feeds(client, papers):
    html = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in html and "/feeds/daily.rss" in html and "/feeds/daily.atom" in html
    paper_page = client.get("/papers/2503.00002").content.decode()
    assert "/feeds/category/cs.LG.rss" in paper_page and "/papers/2503.00002.md" in paper_page
