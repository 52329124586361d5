"""Keywords through the API and the feeds, read by the clients people use: huggingface_hub's
`ai_keywords` (paper info, daily papers, search) and feedparser for the topic feeds."""

from __future__ import annotations

import feedparser
import pytest
from huggingface_hub import HfApi

from dailypapers.catalog.keywords import save_keywords


@pytest.fixture
def keyworded(papers):
    save_keywords(
        {
            papers["attention"].pk: [("transformers", 0.7), ("attention", 0.6), ("sequence models", 0.4)],
            papers["retrieval"].pk: [("retrieval-augmented generation", 0.8), ("transformers", 0.3)],
            papers["hidden"].pk: [("transformers", 0.9)],
        }
    )
    return papers


@pytest.mark.django_db(transaction=True)
def test_ai_keywords_through_huggingface_hub(live_server, keyworded):
    hf = HfApi(endpoint=live_server.url, token=False)
    assert hf.paper_info("2503.00001").ai_keywords == ["transformers", "attention", "sequence models"]
    assert hf.paper_info("2503.00002").ai_keywords == []  # not extracted yet
    daily = {p.id: p.ai_keywords for p in hf.list_daily_papers(date="2025-03-04")}
    assert daily == {"2503.00003": ["retrieval-augmented generation", "transformers"]}
    found = {p.id: p.ai_keywords for p in hf.list_papers(query="retrieval augmented")}
    assert found["2503.00003"] == ["retrieval-augmented generation", "transformers"]


def test_v1_paper_json_has_the_keywords(client, keyworded):
    body = client.get("/api/v1/papers/2503.00001").json()
    assert body["ai_keywords"] == ["transformers", "attention", "sequence models"]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_topic_feed_lists_the_papers_with_the_keyword_newest_first(client, keyworded, kind):
    response = client.get(f"/feeds/topic/transformers.{kind}")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == "Papers on “transformers”"
    ids = [entry.link.rsplit("/papers/", 1)[1] for entry in parsed.entries]
    assert ids == ["2503.00003", "2503.00001"]  # newest listing first; the hidden paper never
    assert parsed.feed.link.endswith("/topics/transformers")


def test_topic_feed_of_another_spelling_and_of_nothing(client, keyworded):
    parsed = feedparser.parse(client.get("/feeds/topic/Retrieval-Augmented%20Generation.rss").content)
    assert [e.link.rsplit("/", 1)[1] for e in parsed.entries] == ["2503.00003"]
    assert feedparser.parse(client.get("/feeds/topic/unheard%20of.atom").content).entries == []
    assert client.get("/feeds/topic/%20.rss").status_code == 404
