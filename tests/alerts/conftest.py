"""Alerts fixtures: a member, the real embedder (once per session), a fresh vector index
folder per test, and `arrive`: papers ingested and embedded after the saved searches exist,
then matched, as the worker's "embed new papers" job does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_paper

DAY = dt.date(2026, 3, 18)

# Written for these tests: one paper per topic, worded so that some match by words, some by
# meaning only, and filters have something to remove.
NEW_PAPERS = [
    dict(
        title="Diffusion models for video generation",
        abstract="We generate temporally coherent videos with a latent diffusion model and a motion prior.",
        authors=["Ada Lovelace"],
        categories=("cs.CV",),
        code_url="https://github.com/example/video",
    ),
    dict(
        title="Bargaining robots",
        abstract="Two software agents haggle over the price of goods and learn to strike fair deals by playing "
        "against copies of themselves.",
        authors=["Alan Turing"],
        categories=("cs.MA",),
    ),
    dict(
        title="Surface codes for quantum error correction",
        abstract="We decode surface codes on noisy superconducting qubits with a neural decoder.",
        authors=["Grace Hopper"],
        categories=("quant-ph",),
    ),
    dict(
        title="Video diffusion without motion priors",
        abstract="A diffusion model that generates video from text alone.",
        authors=["Edsger Dijkstra"],
        categories=("cs.CV", "cs.LG"),
    ),
]


@pytest.fixture(scope="session")
def embedder():
    from dailypapers.search.embedder import get_embedder

    return get_embedder()


@pytest.fixture(autouse=True)
def fresh_vector_index(tmp_path, settings):
    from dailypapers.search import service
    from dailypapers.search.vectors import reset_vector_indexes

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    reset_vector_indexes()
    service._cache.clear()
    yield
    reset_vector_indexes()


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user("ada", "ada@example.org", "correct horse battery staple")


@pytest.fixture
def other_member(db):
    return get_user_model().objects.create_user("bob", "bob@example.org", "correct horse battery staple")


@pytest.fixture
def arrive(embedder):
    """Ingest `papers` (dicts as NEW_PAPERS) on DAY, embed them and run the matcher."""
    from dailypapers.alerts.matching import match_new_papers
    from dailypapers.search.indexing import embed_pending

    def arrive(papers=NEW_PAPERS, day=DAY):
        made = [make_paper(day=day, **dict(fields)) for fields in papers]
        embed_pending(embedder=embedder)
        return made, match_new_papers()

    return arrive
