"""Keeping derived search state in step with papers: FTS triggers, embeddings, vector index."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.management import call_command

from dailypapers.catalog.models import Paper
from dailypapers.search.embedder import paper_text, text_hash
from dailypapers.search.indexing import embed_pending, pending_papers
from dailypapers.search.keyword import PG_WEIGHTS
from dailypapers.search.models import Embedding, PaperEmbedding
from dailypapers.search.service import paper_vectors, search_papers, similar_papers
from dailypapers.search.vectors import get_vector_index, reset_vector_indexes

pytestmark = pytest.mark.django_db


def found(query, mode="keyword"):
    return [row["paper"].arxiv_id for row in search_papers(query, mode=mode)["results"]]


def test_keyword_index_follows_bulk_create_bulk_update_and_delete(corpus):
    # bulk_* skip Django signals; the database triggers still keep the index in step.
    Paper.objects.bulk_create([Paper(arxiv_id="2504.00001", title="Zebrafish regeneration", abstract="fins regrow")])
    assert found("zebrafish") == ["2504.00001"]
    paper = Paper.objects.get(arxiv_id="2504.00001")
    paper.title = "Axolotl regeneration"
    Paper.objects.bulk_update([paper], ["title"])
    assert found("zebrafish") == [] and found("axolotl") == ["2504.00001"]
    Paper.objects.filter(arxiv_id="2504.00001").update(abstract="limbs regrow")
    assert found("fins") == [] and found("limbs") == ["2504.00001"]
    Paper.objects.filter(arxiv_id="2504.00001").delete()
    assert found("axolotl") == []


def test_index_command_embeds_pending_and_is_resumable(corpus, embedder):
    call_command("index", limit=3, verbosity=0)
    assert PaperEmbedding.objects.count() == 3
    assert pending_papers().count() == len(corpus) - 3
    call_command("index", verbosity=0)
    assert pending_papers().count() == 0
    report = embed_pending(embedder=embedder)
    assert report.pending == 0 and report.embedded == 0


def test_same_text_is_embedded_once(corpus, embedder):
    Paper.objects.bulk_create(
        [Paper(arxiv_id="2504.00002", title=corpus[0].title, abstract=corpus[0].abstract.replace(" ", "\n", 3))]
    )
    report = embed_pending(embedder=embedder)
    assert report.embedded + report.linked == len(corpus) + 1
    assert Embedding.objects.count() == len(corpus)  # whitespace differences hash the same


def test_changed_text_is_embedded_again_and_index_follows(indexed_corpus, embedder):
    paper = indexed_corpus[2]  # the diffusion paper
    index = get_vector_index()
    old_key = index.key_of_paper[paper.id]
    Paper.objects.filter(id=paper.id).update(
        title="Quantum bits and surface codes", abstract="Logical qubits under decoherence."
    )
    assert not PaperEmbedding.objects.filter(paper_id=paper.id).exists()  # the trigger marked it pending
    assert embed_pending(embedder=embedder).embedded == 1
    expected = text_hash(paper_text("Quantum bits and surface codes", "Logical qubits under decoherence."))
    assert PaperEmbedding.objects.get(paper_id=paper.id).text_hash == expected
    index.checked_at = 0  # skip the few-second wait between checks
    assert similar_papers(Paper.objects.get(id=paper.id), limit=1)[0]["paper"].arxiv_id == "2503.00008"
    assert get_vector_index().key_of_paper[paper.id] != old_key


def test_a_search_reads_the_newest_key_and_counts_the_keys_only_every_few_minutes(indexed_corpus):
    """The check every few seconds read COUNT(*) and MAX(id) of every embedding (19 ms at 75k
    papers on SQLite, paid by one search every 5 s in every web process). Now it reads the newest
    key; a paper deleted without anything embedded since is noticed at the next count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    index = get_vector_index()
    index.checked_at = 0
    with CaptureQueriesContext(connection) as captured:
        get_vector_index()
    assert len(captured) == 1 and "COUNT(" not in captured[0]["sql"], captured.captured_queries
    gone = indexed_corpus[-1]
    Paper.objects.filter(id=gone.id).delete()
    index.checked_at = 0
    get_vector_index()
    assert gone.id in index.key_of_paper  # no new key: not noticed yet
    index.checked_at = index.counted_at = 0  # RECOUNT_SECONDS later
    get_vector_index()
    assert gone.id not in index.key_of_paper and len(index) == len(indexed_corpus) - 1


def test_vector_index_rebuilds_after_papers_change(indexed_corpus, embedder, settings):
    index = get_vector_index()
    index.catch_up(save=True)
    assert len(index) == len(indexed_corpus)
    Paper.objects.filter(arxiv_id="2503.00008").delete()
    Paper.objects.bulk_create(
        [Paper(arxiv_id="2504.00003", title="Bargaining robots", abstract="Machines trade goods.")]
    )
    embed_pending(embedder=embedder)
    reset_vector_indexes()  # a new process: loads the saved file, then catches up from the database
    call_command("index", verbosity=0)
    index = get_vector_index()
    assert len(index) == len(indexed_corpus)
    assert Paper.objects.get(arxiv_id="2504.00003").id in index.key_of_paper
    assert "2503.00008" not in [r["paper"].arxiv_id for r in search_papers("qubits", mode="meaning")["results"]]
    call_command("index", rebuild=True, verbosity=0)
    assert len(get_vector_index()) == len(indexed_corpus)


def test_index_file_of_another_database_is_not_trusted(indexed_corpus, settings):
    index = get_vector_index()
    index.catch_up(save=True)
    meta = index.meta_path.read_text().replace(index._database_identity(), "sqlite:/elsewhere.sqlite3")
    index.meta_path.write_text(meta)
    reset_vector_indexes()
    assert len(get_vector_index()) == len(indexed_corpus)  # rebuilt from this database


def test_index_file_of_int8_vectors_is_rebuilt_as_half_precision(indexed_corpus):
    """Files written while the index stored int8 vectors (before 3 Dec 2026) are rebuilt, not
    misread: the similarities shown come from the vectors the index holds."""
    import json

    from dailypapers.search.native import usearch_index

    index = get_vector_index()
    index.catch_up(save=True)
    old = usearch_index.Index(ndim=384, metric="ip", dtype="i8", connectivity=16)
    keys = list(index.paper_of)
    old.add(np.array(keys, dtype=np.uint64), np.vstack([index.index.get(k) for k in keys]).astype(np.float32))
    old.save(str(index.path))
    meta = json.loads(index.meta_path.read_text())
    meta["dtype"] = "i8"
    index.meta_path.write_text(json.dumps(meta))
    reset_vector_indexes()
    rebuilt = get_vector_index()
    assert "f16" in str(rebuilt.index.dtype).lower() and len(rebuilt) == len(indexed_corpus)
    results = search_papers("qubits protected from errors", mode="meaning")["results"]
    assert results[0]["paper"].arxiv_id == "2503.00008" and 0.3 <= results[0]["score"] <= 1.0


def test_paper_vectors_and_similar(indexed_corpus):
    vectors = paper_vectors([p.id for p in indexed_corpus[:3]])
    assert set(vectors) == {p.id for p in indexed_corpus[:3]}
    assert all(v.shape == (384,) and abs(float((v * v).sum()) - 1) < 1e-3 for v in vectors.values())
    similar = similar_papers(indexed_corpus[6], limit=3)  # RLHF
    assert len(similar) == 3 and indexed_corpus[6] not in [row["paper"] for row in similar]


def test_a_hidden_paper_is_never_a_similar_paper_though_its_vector_stays(indexed_corpus):
    paper = indexed_corpus[6]  # RLHF
    nearest = similar_papers(paper, limit=3)[0]["paper"]
    Paper.objects.filter(pk=nearest.pk).update(hidden=True)
    assert nearest.pk in paper_vectors([nearest.pk])  # still embedded and in the index
    shown = [row["paper"] for row in similar_papers(paper, limit=3)]
    assert len(shown) == 3 and nearest not in shown and paper not in shown


def test_readiness_reports_without_failing(corpus, embedder, monkeypatch, tmp_path):
    from dailypapers.search import embedder as embedder_module
    from dailypapers.search.readiness import vector_index_ready

    ready, detail = vector_index_ready()
    assert ready and detail.startswith(f"0/{len(corpus)} papers embedded")
    call_command("index", verbosity=0)
    assert vector_index_ready() == (True, f"{len(corpus)}/{len(corpus)} papers embedded")
    monkeypatch.setattr(embedder_module, "MODEL_PATH", tmp_path / "gone.onnx")
    assert "model file missing" in vector_index_ready()[1]


def test_vector_index_finds_a_key_committed_below_the_largest_it_holds(indexed_corpus):
    # Catch-up reads only keys above the largest held while the count agrees; a key committed
    # late (PostgreSQL hands ids out before commit) makes the count disagree: all are compared.
    index = get_vector_index()
    paper = indexed_corpus[0]
    key = index.key_of_paper.pop(paper.id)
    index.paper_of.pop(key)
    index.index.remove(key)
    assert index.catch_up(save=False) == {"added": 1, "removed": 0, "size": len(indexed_corpus), "pending": 0}
    assert index.key_of_paper[paper.id] == key
    assert search_papers("bargaining over prices", mode="meaning")["results"][0]["paper"].arxiv_id == paper.arxiv_id


def test_postgres_keeps_a_long_papers_document_in_its_row_not_in_toast(db):
    # Migration search 0005: a document read through TOAST cost a lookup per ts_rank call
    # (28 ms against 14.5 ms for a five-word query at 75k papers). SQLite has no such table.
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's keyword table")
    words = " ".join(f"term{n}x" for n in range(400)) + " axolotl"
    Paper.objects.create(arxiv_id="2504.00009", title="A long abstract", abstract=words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(document), c.reltoastrelid::regclass::text FROM search_paperdocument d, pg_class c "
            "WHERE d.paper_id = (SELECT id FROM catalog_paper WHERE arxiv_id = '2504.00009') "
            "AND c.oid = 'search_paperdocument'::regclass"
        )
        size, toast = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {toast}")
        assert size > 4000 and cursor.fetchone()[0] == 0
    assert found("axolotl") == ["2504.00009"]  # the trigger writes to the rebuilt table


def test_postgres_stores_the_length_ts_rank_normalises_by_and_keeps_it_current(db):
    # Migration search 0006: keyword ranking divides the sum of a query's ts_rank(…, 0) by
    # log2(length + 1) once per paper; it must be the score ts_rank(…, 1) gives word by word.
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's keyword table")
    paper = Paper.objects.create(
        arxiv_id="2504.00010", title="Sparse attention", abstract="Attention heads attend; sparse heads attend less."
    )

    def scores():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ts_rank(%s::real[], document, q, 1), "
                "ts_rank(%s::real[], document, q, 0) / (ln(greatest(length, 1) + 1) / ln(2)), "
                "length FROM search_paperdocument, (VALUES (plainto_tsquery('english', 'attention')), "
                "(plainto_tsquery('english', 'heads')), (phraseto_tsquery('english', 'sparse heads'))) AS v(q) "
                "WHERE paper_id = %s",
                [PG_WEIGHTS, PG_WEIGHTS, paper.pk],
            )
            return cursor.fetchall()

    before = scores()
    assert all(abs(per_call - once) <= 1e-6 * per_call for per_call, once, _ in before) and before[2][0] > 0
    Paper.objects.filter(pk=paper.pk).update(abstract="Attention heads attend. " * 20)
    after = scores()
    assert after[0][2] > before[0][2] + 50
    assert all(abs(per_call - once) <= 1e-6 * per_call for per_call, once, _ in after)


def test_one_text_runs_on_one_thread_and_gets_the_vector_all_cores_give(embedder):
    # A query runs on a one-thread session (faster for one short text, and it leaves the other
    # core to the database); batches run on all cores. The two must give one text the same vector.
    text = "Reinforcement learning from human feedback for language model alignment"
    feeds = embedder.encode_tokens([text])
    (hidden,) = embedder.session.run(["last_hidden_state"], feeds)
    mask = feeds["attention_mask"][:, :, None].astype(np.float32)
    pooled = (hidden * mask).sum(axis=1) / mask.sum(axis=1)
    on_all_cores = pooled[0] / np.linalg.norm(pooled[0])
    assert float(np.dot(embedder.embed([text])[0], on_all_cores)) > 0.99999
    assert embedder.one_text_session is not embedder.session
    assert embedder.one_text_session.get_session_options().intra_op_num_threads == 1


def test_a_search_fills_an_empty_index_a_chunk_at_a_time_and_says_how_far_it_is(indexed_corpus, monkeypatch):
    # A process with no usable index file (a fresh host, an older release's file) rebuilt the
    # whole index inside the first search: past about 125,000 papers longer than the web server's
    # timeout. Now a search adds whole chunks for about CATCH_UP_SECONDS and answers from those.
    from dailypapers.search import vectors

    monkeypatch.setattr(vectors, "ADD_CHUNK", 3)
    monkeypatch.setattr(vectors, "CATCH_UP_SECONDS", 0.0)  # one chunk a search
    reset_vector_indexes()
    first = search_papers("qubits protected from errors", mode="hybrid")
    index = get_vector_index(caught_up=False)
    assert len(index) == 3 and not index.path.exists()  # saved only once complete
    assert f"indexed 3 of {len(indexed_corpus)} papers" in " ".join(first["notices"])
    assert first["results"]  # answered, by keyword and the three papers held
    searches = 1
    while len(index) < len(indexed_corpus):
        search_papers("qubits", mode="meaning")
        searches += 1
        assert searches <= len(indexed_corpus)
    assert searches == -(-len(indexed_corpus) // 3)  # a chunk of three each
    answer = search_papers("qubits protected from errors", mode="meaning")
    assert answer["results"][0]["paper"].arxiv_id == "2503.00008"
    assert not any("indexed" in notice for notice in answer["notices"])
    assert index.catch_up(save=True)["pending"] == 0 and index.path.exists()  # the worker's job saves it
