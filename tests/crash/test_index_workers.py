"""Several `dailypapers index` workers on one PostgreSQL database: they share the queue through
claims taken with SELECT … FOR UPDATE SKIP LOCKED, so no paper is embedded twice, and the
chunk of a worker killed with SIGKILL is rolled back and embedded by the one still running."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest

from tests.crash.scratch import ROOT, kill_group, write_corpus

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="claims with SKIP LOCKED need PostgreSQL"),
]

PAPERS = 320


def start_worker(scratch) -> subprocess.Popen:
    return subprocess.Popen(
        scratch.command("index", "--batch-size", "4", "--verbosity", "1"),
        env=scratch.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def embedded_by(proc: subprocess.Popen) -> int:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    found = re.search(r"embedded (\d+) papers", out)
    return int(found.group(1)) if found else 0


def assert_complete_and_unique(scratch, papers: int) -> None:
    assert scratch.count("search_paperembedding") == papers
    assert scratch.query("SELECT COUNT(DISTINCT paper_id) FROM search_paperembedding")[0][0] == papers
    assert scratch.count("search_embedding") == papers  # every title+abstract differs
    assert scratch.count("search_embeddingtask") == 0


def test_two_workers_split_the_queue_without_embedding_a_paper_twice(scratch, tmp_path):
    scratch.run(
        "ingest", "--no-progress", "file", str(write_corpus(tmp_path / "papers.jsonl.gz", PAPERS, prefix="2506"))
    )
    first, second = start_worker(scratch), start_worker(scratch)
    counts = [embedded_by(first), embedded_by(second)]
    # Each model run is counted once by the worker that made it: together exactly the corpus.
    assert sum(counts) == PAPERS and min(counts) > 0, counts
    assert_complete_and_unique(scratch, PAPERS)


def test_a_killed_workers_chunk_is_embedded_by_the_other(scratch, tmp_path):
    before = scratch.count("search_paperembedding")
    scratch.run(
        "ingest",
        "--no-progress",
        "file",
        str(write_corpus(tmp_path / "more.jsonl.gz", PAPERS, prefix="2507", study="Another study")),
    )
    doomed, survivor = start_worker(scratch), start_worker(scratch)
    deadline = time.monotonic() + 240
    while (
        scratch.count("search_paperembedding") < before + 24 and doomed.poll() is None and time.monotonic() < deadline
    ):
        time.sleep(0.02)
    kill_group(doomed)  # SIGKILL mid-chunk: its claim transaction dies with its connection
    assert doomed.returncode == -9
    survivor_count = embedded_by(survivor)
    assert 0 < survivor_count <= PAPERS
    assert_complete_and_unique(scratch, before + PAPERS)
    again = scratch.run("index", "--verbosity", "1")  # nothing was left behind locked or queued
    assert "embedded" not in again.stdout
