"""When the embedder is down or slow, keyword results answer and the answer says so."""

from __future__ import annotations

import time

import pytest

from dailypapers.search import embedder as embedder_module
from dailypapers.search.service import search_papers

pytestmark = pytest.mark.django_db


def test_embedder_down_falls_back_to_keyword(corpus, monkeypatch, tmp_path):
    monkeypatch.setattr(embedder_module, "MODEL_PATH", tmp_path / "missing.onnx")
    monkeypatch.setattr(embedder_module, "_embedder", None)
    monkeypatch.setattr(embedder_module, "_failure", None)
    answer = search_papers("reinforcement learning")
    assert [row["paper"].arxiv_id for row in answer["results"]][0] == "2503.00007"
    assert all(row["matched_by"] == "keyword" for row in answer["results"])
    assert "unavailable" in answer["notices"][0] and "missing.onnx" in answer["notices"][0]
    # Meaning-only mode also answers with keyword results rather than nothing.
    assert search_papers("reinforcement", mode="meaning")["results"]


def test_slow_embedder_times_out_to_keyword(indexed_corpus, embedder, monkeypatch, settings):
    settings.SEARCH_EMBED_TIMEOUT = 0.05
    real = embedder.embed
    monkeypatch.setattr(embedder, "embed", lambda texts: (time.sleep(0.5), real(texts))[1])
    answer = search_papers("reinforcement for haggling")
    assert "took too long" in answer["notices"][0]
    assert answer["results"] and all(row["matched_by"] == "keyword" for row in answer["results"])


def test_broken_model_run_is_reported_not_raised(indexed_corpus, embedder, monkeypatch):
    def explode(texts):
        raise RuntimeError("onnxruntime: bad input")

    monkeypatch.setattr(embedder, "embed", explode)
    answer = search_papers("graph traffic")
    assert "unavailable" in answer["notices"][0]
    assert [row["paper"].arxiv_id for row in answer["results"]] == ["2503.00005"]


def test_missing_vector_index_file_is_rebuilt(indexed_corpus, settings):
    from dailypapers.search.vectors import get_vector_index, reset_vector_indexes

    index = get_vector_index()
    index.catch_up(save=True)
    assert index.path.exists()
    index.path.write_bytes(b"not an index")  # corrupt
    reset_vector_indexes()
    answer = search_papers("AI bots haggling in a marketplace", mode="meaning")
    assert answer["results"][0]["paper"].arxiv_id == "2503.00001"
