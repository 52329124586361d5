"""What a reader sees while indexing is under way: the newest days embedded first, similar
papers from the keyword index until a paper is embedded, and how much search by meaning covers."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.catalog.models import Paper
from dailypapers.search.coverage import index_coverage
from dailypapers.search.indexing import embed_pending
from dailypapers.search.models import EmbeddingTask, PaperEmbedding

pytestmark = pytest.mark.django_db


def embedded_ids() -> set[str]:
    return set(
        Paper.objects.filter(id__in=PaperEmbedding.objects.values("paper_id")).values_list("arxiv_id", flat=True)
    )


def test_newest_listing_days_are_embedded_first(corpus, embedder):
    # The corpus's listing days run from 2025-03-18 (…0001) to 2025-10-20 (…0008); ids in the
    # same order, so the old id order embedded the newest day last.
    Paper.objects.filter(arxiv_id="2503.00001").update(listing_date=dt.date(2025, 11, 1))
    report = embed_pending(embedder=embedder, batch_size=2, limit=3)
    assert report.embedded == 3
    assert embedded_ids() == {"2503.00001", "2503.00008", "2503.00007"}
    embed_pending(embedder=embedder)
    assert len(embedded_ids()) == len(corpus) and not EmbeddingTask.objects.exists()


def test_paper_without_listing_day_is_queued_by_its_feature_or_submission_day(corpus, embedder):
    Paper.objects.bulk_create(
        [
            Paper(arxiv_id="2512.00001", title="Featured tomorrow", abstract="x", featured_on=dt.date(2026, 1, 2)),
            Paper(
                arxiv_id="2512.00002",
                title="Submitted only",
                abstract="y",
                published=dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC),
            ),
            Paper(arxiv_id="2512.00003", title="No day at all", abstract="z"),
        ]
    )
    embed_pending(embedder=embedder, limit=2)
    assert embedded_ids() == {"2512.00001", "2512.00002"}
    embed_pending(embedder=embedder)
    assert "2512.00003" in embedded_ids()


def test_a_task_for_a_paper_embedded_or_deleted_meanwhile_is_dropped(corpus, embedder):
    embed_pending(embedder=embedder, limit=1)
    newest = Paper.objects.get(arxiv_id="2503.00007")
    # Tasks left stale, as by a worker that queued just before another one embedded.
    EmbeddingTask.objects.create(
        paper=Paper.objects.get(arxiv_id="2503.00008"), model=embedder.name, day=dt.date(2030, 1, 1)
    )
    Paper.objects.filter(id=newest.id).delete()
    report = embed_pending(embedder=embedder)
    assert report.embedded == len(corpus) - 2 and not EmbeddingTask.objects.exists()


def test_similar_papers_come_from_the_keyword_index_until_a_paper_is_embedded(client, corpus):
    html = client.get("/papers/2503.00007/similar").content.decode()  # RLHF, nothing embedded yet
    assert "dailypapers index" not in html and "not been embedded" not in html
    assert "share words with this one" in html and "its meaning is not indexed yet" in html
    # Its abstract's "language models" and "reinforcement learning" are in these two; it is not its own neighbour.
    assert "Continual learning for LLM agents" in html and "Self-play negotiation agents" in html
    assert "Reinforcement learning from human feedback" not in html
    more = client.get("/search", {"like": "2503.00007"}).content.decode()
    assert "not indexed yet: showing papers that share its words" in more and "matches words" in more


def test_similar_papers_switch_to_meaning_once_embedded(client, indexed_corpus):
    html = client.get("/papers/2503.00007/similar").content.decode()
    assert "Similar papers" in html and "share words with this one" not in html


def test_search_page_says_how_much_is_indexed_while_indexing_runs(client, corpus, embedder):
    embed_pending(embedder=embedder, limit=2)
    assert (index_coverage().embedded, index_coverage().papers) == (2, len(corpus))
    html = client.get("/search", {"q": "reinforcement learning"}).content.decode()
    assert "Search by meaning has indexed 2 of 8 papers so far (25%)" in html
    keyword_only = client.get("/search", {"q": "reinforcement learning", "mode": "keyword"}).content.decode()
    assert "has indexed" not in keyword_only
    embed_pending(embedder=embedder)
    from dailypapers.search.vectors import get_vector_index

    get_vector_index().checked_at = 0  # skip the few-second wait between index checks
    assert "has indexed" not in client.get("/search", {"q": "reinforcement learning"}).content.decode()


def test_hybrid_leans_on_keyword_matches_while_coverage_is_low(corpus, embedder, monkeypatch):
    from dailypapers.search.service import search_papers

    # The negotiation paper is far from this query: below the similarity floor it would not
    # take part in fusion at all, and this test is about fusion's weights.
    monkeypatch.setattr("dailypapers.search.service.SIMILARITY_FLOOR", -1.0)

    # Only the negotiation paper is embedded (1 of 8): its meaning hit, the only one, must not
    # outrank the keyword match for another paper's words. At equal weights both score
    # 1/(60 + 1) and the tie went to the lower id, the negotiation paper.
    Paper.objects.filter(arxiv_id="2503.00001").update(listing_date=dt.date(2025, 11, 1))
    embed_pending(embedder=embedder, limit=1)
    found = [row["paper"].arxiv_id for row in search_papers("graph neural networks", mode="hybrid")["results"]]
    assert found[0] == "2503.00005" and "2503.00001" in found


def test_a_day_ingested_during_a_long_run_is_embedded_next(corpus, embedder, monkeypatch):
    from dailypapers.search import indexing

    monkeypatch.setattr(indexing, "REQUEUE_SECONDS", 0.0)  # a backfill past its first minute
    order: list[str] = []

    def progress(count):
        if not Paper.objects.filter(arxiv_id="2601.00001").exists():  # ingest lands a new day
            Paper.objects.bulk_create(
                [
                    Paper(
                        arxiv_id="2601.00001",
                        title="Fresh off the listing",
                        abstract="Today's paper.",
                        listing_date=dt.date(2026, 1, 5),
                    )
                ]
            )
        order.extend(sorted(embedded_ids() - set(order)))

    embed_pending(embedder=embedder, batch_size=1, progress=progress)
    # Claimed in the chunk after the one in hand (4 papers at batch size 1), not after all eight.
    assert order.index("2601.00001") == indexing.CLAIM_BATCHES, order
