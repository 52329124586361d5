"""SIGKILL `dailypapers index` in the middle of embedding, run it again: every paper has
exactly one embedding link, every link its vector, no text is embedded twice, and the vector
index file covers every paper (each batch commits by itself; the file is written atomically)."""

from __future__ import annotations

import json
import time

from tests.crash.scratch import kill_group, write_corpus

PAPERS = 320  # enough that a fast machine is still embedding when the kill comes


def test_killed_indexing_resumes_to_a_complete_unique_index(scratch, tmp_path):
    scratch.run(
        "ingest", "--no-progress", "file", str(write_corpus(tmp_path / "papers.jsonl.gz", PAPERS, prefix="2506"))
    )
    proc = scratch.start("index", "--batch-size", "4", "--verbosity", "0")
    deadline = time.monotonic() + 240
    while scratch.count("search_paperembedding") < 12 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    kill_group(proc)
    partial = scratch.count("search_paperembedding")
    assert 0 < partial < PAPERS, f"the kill should land mid-run ({partial} of {PAPERS} embedded)"

    scratch.run("index", "--batch-size", "16", "--verbosity", "0")

    assert scratch.count("search_paperembedding") == PAPERS
    assert scratch.query("SELECT COUNT(DISTINCT paper_id) FROM search_paperembedding")[0][0] == PAPERS
    assert (
        scratch.query(
            "SELECT COUNT(*) FROM (SELECT model, text_hash FROM search_embedding GROUP BY model, text_hash HAVING "
            "COUNT(*) > 1) d"
        )[0][0]
        == 0
    )
    orphans = scratch.query(
        "SELECT COUNT(*) FROM search_paperembedding pe LEFT JOIN search_embedding e "
        "ON e.model = pe.model AND e.text_hash = pe.text_hash WHERE e.id IS NULL"
    )[0][0]
    assert orphans == 0
    assert scratch.count("search_embedding") == PAPERS  # every title+abstract differs

    metas = list((scratch.home / "search").glob("*.json"))
    assert len(metas) == 1 and not list((scratch.home / "search").glob("*.tmp")), list(
        (scratch.home / "search").iterdir()
    )
    indexed = json.loads(metas[0].read_text())["paper_of"]
    ids = {row[0] for row in scratch.query("SELECT id FROM search_paperembedding")}
    assert {int(key) for key in indexed} == ids

    again = scratch.run("index", "--verbosity", "1")  # nothing left to do
    assert "embedded" not in again.stdout
