"""kill -9 in the middle of an ingest, then the same command again == one clean run.

Runs the real `dailypapers` command in subprocesses on SQLite files of their own (the test
database of pytest-django is invisible to other processes), so it runs in the SQLite pass only.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

N_PAPERS = 3000


def _corpus(path):
    with open(path, "w") as handle:
        for i in range(N_PAPERS):
            handle.write(
                json.dumps(
                    {
                        "id": f"2504.{i:05d}",
                        "title": f"Paper number {i}",
                        "summary": f"Abstract {i} https://github.com/o/r{i}",
                        "authors": [f"Author {i % 997}", f"Author {(i * 7) % 1009}", "Common Author"],
                        "categories": ["cs.LG", "cs.AI"] if i % 2 else ["cs.CL"],
                        "comment": None,
                        "listing_date": f"2025-04-{1 + i % 28:02d}",
                    }
                )
                + "\n"
            )


def _env(home):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DAILYPAPERS_HOME=str(home),
        DJANGO_SETTINGS_MODULE="dailypapers.settings",
        SECRET_KEY="interrupt-test-secret-key-0123456789-abcdefghijkl",
    )
    return env


def _cmd(*args):
    return [sys.executable, "-m", "dailypapers.cli", *args]


def _dump(db):
    con = sqlite3.connect(db)
    try:
        papers = con.execute(
            "SELECT arxiv_id, version, title, abstract, authors_text, categories, listing_date, code_url,"
            " featured_on, featured_reason, content_hash FROM catalog_paper ORDER BY arxiv_id"
        ).fetchall()
        authors = con.execute("SELECT name FROM catalog_author ORDER BY name").fetchall()
        links = con.execute(
            "SELECT p.arxiv_id, a.name, pa.position FROM catalog_paperauthor pa JOIN catalog_paper p ON p.id = "
            "pa.paper_id"
            " JOIN catalog_author a ON a.id = pa.author_id ORDER BY 1, 3"
        ).fetchall()
        cats = con.execute(
            "SELECT p.arxiv_id, c.category, c.position FROM catalog_papercategory c JOIN catalog_paper p ON p.id = "
            "c.paper_id ORDER BY 1, 3"
        ).fetchall()
    finally:
        con.close()
    return papers, authors, links, cats


def _count(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM catalog_paper").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_kill_9_then_rerun_equals_clean_run(tmp_path, on_postgres):
    if on_postgres:
        pytest.skip("subprocess test on SQLite files; runs in the SQLite pass")
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus)
    base = tmp_path / "base"
    base.mkdir()
    subprocess.run(_cmd("migrate", "-v0"), env=_env(base), check=True)
    homes = {}
    for name in ("clean", "killed"):
        homes[name] = tmp_path / name
        shutil.copytree(base, homes[name])
    ingest = ("ingest", "--no-progress", "--batch-size", "100", "file", str(corpus))

    subprocess.run(_cmd(*ingest), env=_env(homes["clean"]), check=True, capture_output=True)

    db = homes["killed"] / "dailypapers.sqlite3"
    proc = subprocess.Popen(
        _cmd(*ingest), env=_env(homes["killed"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while _count(db) < 300 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _count(db)
    assert 0 < partial < N_PAPERS, f"the kill should land mid-run ({partial} papers committed)"
    assert partial % 100 == 0, "only whole batches are committed"

    subprocess.run(_cmd(*ingest), env=_env(homes["killed"]), check=True, capture_output=True)
    assert _dump(db) == _dump(homes["clean"] / "dailypapers.sqlite3")
    assert _count(db) == N_PAPERS
