"""Search test fixtures: a small corpus we wrote, the real embedder (loaded once per session),
and a fresh vector index folder per test."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.catalog.models import Paper
from dailypapers.search.term_statistics import refresh_term_statistics
from tests.factories import make_paper

# Written for these tests. Titles and abstracts are chosen so that some queries match by
# meaning only (no shared word), some by phrase, and exclusions and filters have something
# to remove.
CORPUS = [
    dict(
        arxiv_id="2503.00001",
        title="Self-play negotiation agents",
        abstract=(
            "We train agents that bargain with each other over the price of goods, using self-play "
            "reinforcement learning. Agents reach fair deals."
        ),
        authors_text="Ada Lovelace, Alan Turing",
        categories=["cs.AI", "cs.MA"],
        listing_date=dt.date(2025, 3, 18),
        code_url="https://github.com/example/negotiate",
        upvotes=3,
    ),
    dict(
        arxiv_id="2503.00002",
        title="Continual learning for LLM agents",
        abstract=(
            "Language model agents that keep acquiring new skills over their lifetime without forgetting old ones."
        ),
        authors_text="Grace Hopper",
        categories=["cs.CL"],
        listing_date=dt.date(2025, 4, 2),
        upvotes=10,
    ),
    dict(
        arxiv_id="2503.00003",
        title="Denoising diffusion for image synthesis",
        abstract=(
            "A diffusion model generates high-resolution photographs from noise; <b>markup</b> in abstracts "
            "must be escaped."
        ),
        authors_text="Claude Shannon",
        categories=["cs.CV"],
        listing_date=dt.date(2025, 5, 6),
        upvotes=1,
    ),
    dict(
        arxiv_id="2503.00004",
        title="Protein structure prediction with transformers",
        abstract="We predict the three-dimensional fold of proteins from their amino acid sequence using attention.",
        authors_text="Rosalind Franklin",
        categories=["q-bio.BM", "cs.LG"],
        listing_date=dt.date(2025, 6, 10),
    ),
    dict(
        arxiv_id="2503.00005",
        title="Graph neural networks for traffic forecasting",
        abstract=(
            "Road sensors form a graph; message passing predicts congestion an hour ahead. Reinforcement "
            "learning is not used."
        ),
        authors_text="Edsger Dijkstra, Alan Kay",
        categories=["cs.LG"],
        listing_date=dt.date(2025, 7, 1),
        code_url="https://github.com/example/traffic",
    ),
    dict(
        arxiv_id="2503.00006",
        title="Speech recognition for low-resource languages",
        abstract=(
            "Automatic transcription of spoken audio in languages with little labelled data, by cross-lingual transfer."
        ),
        authors_text="Noam Chomsky",
        categories=["cs.CL", "eess.AS"],
        listing_date=dt.date(2025, 8, 12),
    ),
    dict(
        arxiv_id="2503.00007",
        title="Reinforcement learning from human feedback",
        abstract=(
            "Reward models trained on human preference comparisons steer large language models towards helpful answers."
        ),
        authors_text="Alan Turing",
        categories=["cs.LG", "cs.CL"],
        listing_date=dt.date(2025, 9, 3),
        upvotes=7,
    ),
    dict(
        arxiv_id="2503.00008",
        title="Quantum error correction with surface codes",
        abstract="Logical qubits are protected from decoherence by encoding them in a lattice of physical qubits.",
        authors_text="Richard Feynman",
        categories=["quant-ph"],
        listing_date=dt.date(2025, 10, 20),
    ),
]


def make_corpus() -> list[Paper]:
    """CORPUS in the database, in arxiv_id order, each paper made by tests/factories.py."""
    return [make_paper(**row) for row in CORPUS]


@pytest.fixture(scope="session")
def embedder():
    """The real ONNX model, loaded once for the whole session."""
    from dailypapers.search.embedder import get_embedder

    return get_embedder()


@pytest.fixture(autouse=True)
def fresh_vector_index(tmp_path, settings):
    from dailypapers.search.service import forget_caches
    from dailypapers.search.vectors import reset_vector_indexes

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    reset_vector_indexes()
    forget_caches()  # query vectors, and counts keyed by database name: every test's database has the same name
    yield
    reset_vector_indexes()


@pytest.fixture
def corpus(db) -> list[Paper]:
    papers = make_corpus()
    refresh_term_statistics()  # PostgreSQL: the document frequencies the worker keeps (nothing on SQLite)
    return papers


@pytest.fixture
def indexed_corpus(corpus, embedder) -> list[Paper]:
    from dailypapers.search.indexing import embed_pending

    embed_pending(embedder=embedder)
    return corpus
