"""Metrics against hand-computed values, and `dailypapers eval` end to end on a tiny benchmark
we write (its scratch database is separate from the test database)."""

from __future__ import annotations

import gzip
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dailypapers.search.evaluation import BenchmarkError, mrr_at, ndcg_at, read_qrels, recall_at, score_run

ROOT = Path(__file__).resolve().parents[2]


def test_metrics_match_hand_computation():
    relevant = {"a": 1, "b": 2}
    ranked = ["x", "b", "y", "a"]
    dcg = 2 / math.log2(3) + 1 / math.log2(5)
    idcg = 2 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at(ranked, relevant) == pytest.approx(dcg / idcg)
    assert recall_at(ranked, relevant, k=2) == 0.5
    assert mrr_at(ranked, relevant) == 0.5
    assert mrr_at(["x"] * 10 + ["a"], relevant) == 0.0  # beyond @10
    assert score_run({"q": ranked}, {"q": relevant, "unjudged": {"z": 0}}) == {
        "ndcg@10": round(dcg / idcg, 4),
        "recall@100": 1.0,
        "mrr@10": 0.5,
    }


def test_malformed_qrels_named_with_line(tmp_path):
    (tmp_path / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\tvery\n")
    with pytest.raises(BenchmarkError, match=r"qrels.tsv:2: score 'very'"):
        read_qrels(tmp_path)


def write_benchmark(folder: Path) -> None:
    docs = [
        {"_id": "d1", "title": "Bargaining agents", "text": "Agents negotiate prices with each other by self-play."},
        {"_id": "d2", "title": "Protein folding", "text": "Predicting the structure of proteins from sequences."},
        {"_id": "d3", "title": "Surface codes", "text": "Quantum error correction protects logical qubits."},
        {"_id": "d4", "title": "Traffic forecasting", "text": "Graph networks predict road congestion."},
    ]
    with gzip.open(folder / "corpus.jsonl.gz", "wt") as out:
        out.writelines(json.dumps(d) + "\n" for d in docs)
    queries = [
        {"_id": "1", "text": "bots haggling in a marketplace"},
        {"_id": "2", "text": "qubits protected from errors"},
    ]
    (folder / "queries.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queries))
    (folder / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\n1\td1\t1\n2\td3\t1\n")


def test_eval_command_prints_json_per_mode(tmp_path):
    bench = tmp_path / "tiny"
    bench.mkdir()
    write_benchmark(bench)
    env = {
        **os.environ,
        "DAILYPAPERS_HOME": str(tmp_path / "home"),
        "DATABASE_URL": "",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "dailypapers.settings",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", "eval", str(bench), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    scores = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(scores) == {"keyword", "semantic", "hybrid"}
    assert set(scores["hybrid"]) == {"ndcg@10", "recall@100", "mrr@10"}
    # Query 2 shares "qubits" with d3; query 1 shares no word with d1 and needs meaning.
    assert scores["keyword"]["recall@100"] == 0.5
    assert scores["semantic"]["mrr@10"] == 1.0
    assert (tmp_path / "home" / "eval" / "tiny" / "dailypapers.sqlite3").exists()


def test_eval_command_rejects_a_missing_folder(tmp_path):
    env = {
        **os.environ,
        "DAILYPAPERS_HOME": str(tmp_path / "home"),
        "DATABASE_URL": "",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "dailypapers.settings",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", "eval", str(tmp_path / "nope")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "not a folder" in result.stderr


def test_eval_command_refuses_a_database_with_other_papers(tmp_path):
    """--database-url never loads eval documents into a site's catalogue."""
    site = tmp_path / "site"
    env = {
        **os.environ,
        "DAILYPAPERS_HOME": str(site),
        "DATABASE_URL": "",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "dailypapers.settings",
        "PYTHONPATH": str(ROOT),
    }
    cli = [sys.executable, "-m", "dailypapers.cli"]
    subprocess.run([*cli, "migrate"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    load = subprocess.run(
        [
            sys.executable,
            "-m",
            "dailypapers.cli",
            "ingest",
            "file",
            str(ROOT / "tests" / "ingest" / "data" / "ours.jsonl"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert load.returncode == 0, load.stderr[-2000:]
    bench = tmp_path / "tiny"
    bench.mkdir()
    write_benchmark(bench)
    url = f"sqlite:///{site / 'dailypapers.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", "eval", str(bench), "--modes", "keyword", "--database-url", url],
        cwd=ROOT,
        env={**env, "DAILYPAPERS_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "not eval documents" in result.stderr


def test_a_benchmark_over_an_arxiv_snapshot_reads_its_listing_days_with_authors(tmp_path):
    """bench/data/arxiv-queries commits no paper text: corpus-source.json names the shared
    snapshot and a range of listing days."""
    from dailypapers.search.evaluation import read_corpus

    snapshot = tmp_path / "data" / "papers.jsonl.gz"
    snapshot.parent.mkdir()
    rows = [
        {"id": "2605.00001", "title": "Too early", "summary": "x", "authors": ["A B"], "listing_date": "2026-05-29"},
        {
            "id": "2606.00002",
            "title": "Kept\n paper",
            "summary": "Hard\n wrapped",
            "authors": ["Piotr Miłoś"],
            "listing_date": "2026-06-01",
        },
    ]
    with gzip.open(snapshot, "wt") as out:
        out.writelines(json.dumps(r) + "\n" for r in rows)
    bench = tmp_path / "bench"
    bench.mkdir()
    (bench / "corpus-source.json").write_text(
        json.dumps({"snapshot": "../data/papers.jsonl.gz", "listing_from": "2026-06-01", "listing_to": "2026-07-01"})
    )
    assert list(read_corpus(bench)) == [
        {"_id": "2606.00002", "title": "Kept paper", "text": "Hard wrapped", "authors": ["Piotr Miłoś"]}
    ]
    (bench / "corpus-source.json").write_text(
        '{"snapshot": "../data/missing.jsonl.gz", "listing_from": "", "listing_to": ""}'
    )
    with pytest.raises(BenchmarkError, match="missing.jsonl.gz not found"):
        list(read_corpus(bench))


def test_the_researcher_benchmark_is_well_formed():
    """Every judged query exists, and every query has at least one relevant paper."""
    from dailypapers.search.evaluation import read_qrels, read_queries

    folder = ROOT / "bench" / "data" / "arxiv-queries"
    queries, qrels = read_queries(folder), read_qrels(folder)
    assert len(queries) >= 60 and set(qrels) <= set(queries)
    assert all(any(g > 0 for g in qrels.get(q, {}).values()) for q in queries), "a query without a relevant paper"
