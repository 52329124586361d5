"""SIGKILL `dailypapers ingest file` mid-run on PostgreSQL, rerun: the catalogue equals a
clean run's, row for row. The SQLite pass of the same check is tests/ingest/test_interrupt.py
(whose corpus this reuses); this one runs the children against the PostgreSQL cluster."""

from __future__ import annotations

import time

import pytest

from tests.crash.scratch import drop_scratch, kill_group, make_scratch
from tests.ingest.test_interrupt import N_PAPERS, _corpus

DUMP = [
    "SELECT arxiv_id, version, title, abstract, authors_text, categories::text, listing_date, code_url, "
    "featured_on, featured_reason,"
    " content_hash FROM catalog_paper ORDER BY arxiv_id",
    "SELECT name FROM catalog_author ORDER BY name",
    "SELECT p.arxiv_id, a.name, pa.position FROM catalog_paperauthor pa JOIN catalog_paper p ON p.id = pa.paper_id"
    " JOIN catalog_author a ON a.id = pa.author_id ORDER BY 1, 3",
    "SELECT p.arxiv_id, c.category, c.position FROM catalog_papercategory c JOIN catalog_paper p ON p.id = "
    "c.paper_id ORDER BY 1, 3",
]


def test_killed_ingest_on_postgres_reruns_to_the_clean_result(tmp_path, on_postgres):
    if not on_postgres:
        pytest.skip("the SQLite pass of this check is tests/ingest/test_interrupt.py")
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus)
    clean, killed = make_scratch(tmp_path / "clean"), make_scratch(tmp_path / "killed")
    try:
        ingest = ("ingest", "--no-progress", "--batch-size", "100", "file", str(corpus))
        clean.run(*ingest)
        proc = killed.start(*ingest)
        deadline = time.monotonic() + 120
        while killed.count("catalog_paper") < 300 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        kill_group(proc)
        partial = killed.count("catalog_paper")
        assert 0 < partial < N_PAPERS and partial % 100 == 0, partial  # whole batches only
        killed.run(*ingest)
        assert killed.count("catalog_paper") == N_PAPERS
        for sql in DUMP:
            assert killed.query(sql) == clean.query(sql), sql[:60]
    finally:
        drop_scratch(clean)
        drop_scratch(killed)
