"""`dailypapers eval recommend`: the profiles file's errors, the scores in-process on the test
database (both backends), and the command end to end on a tiny benchmark we wrote (its scratch
database is separate from the test database; the real embedder runs)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dailypapers.catalog.models import Paper
from dailypapers.community.recommend_eval import RANKINGS, evaluate, read_profiles
from dailypapers.search.evaluation import ID_PREFIX, BenchmarkError
from tests.community.test_recommend import store_vector

ROOT = Path(__file__).resolve().parents[2]
METRICS = {"ndcg@10", "recall@50", "mrr@10"}

# Three topics, four abstracts each; a profile likes two of a topic and should find the others.
TOPICS = {
    "q": [
        ("Surface codes for quantum error correction", "Logical qubits protected by stabiliser measurements."),
        ("Decoding quantum LDPC codes", "A belief-propagation decoder for quantum low-density parity-check codes."),
        ("Fault-tolerant magic state distillation", "Preparing magic states for fault-tolerant quantum computers."),
        ("Qubit leakage in superconducting devices", "Leakage errors of transmon qubits and how to remove them."),
    ],
    "p": [
        ("Protein structure prediction", "Predicting the fold of a protein from its amino acid sequence."),
        ("Designing enzymes with diffusion", "Generative models design new enzyme backbones that fold."),
        ("Antibody binding affinity", "Learning which antibodies bind an antigen from sequence data."),
        ("Molecular dynamics of membrane proteins", "Simulating how membrane proteins move in a lipid bilayer."),
    ],
    "t": [
        ("Forecasting road traffic with graphs", "Graph neural networks predict congestion on city roads."),
        ("Ride-hailing demand prediction", "Predicting taxi demand per neighbourhood and hour."),
        ("Traffic signal control by reinforcement learning", "Agents time traffic lights to cut waiting."),
        ("Estimating travel times from GPS traces", "Trajectories of vehicles give travel times on road segments."),
    ],
}


def write_benchmark(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    docs = [
        {"_id": f"{topic}{n}", "title": title, "text": text}
        for topic, rows in TOPICS.items()
        for n, (title, text) in enumerate(rows)
    ]
    with gzip.open(folder / "corpus.jsonl.gz", "wt") as out:
        out.writelines(json.dumps(d) + "\n" for d in docs)
    profiles = [
        {"_id": topic, "liked": [f"{topic}0", f"{topic}1"], "relevant": [f"{topic}2", f"{topic}3"]} for topic in TOPICS
    ]
    (folder / "profiles.jsonl").write_text("".join(json.dumps(p) + "\n" for p in profiles))


def test_a_bad_profiles_file_is_named_with_its_line(tmp_path):
    (tmp_path / "profiles.jsonl").write_text('{"_id": "a", "liked": ["1"], "relevant": ["2"]}\n{"_id": "b"}\n')
    with pytest.raises(BenchmarkError, match=r"profiles.jsonl:2: expected"):
        read_profiles(tmp_path)
    (tmp_path / "profiles.jsonl").write_text('{"_id": "a", "liked": [], "relevant": ["2"]}\n')
    with pytest.raises(BenchmarkError, match=r"profiles.jsonl:1: profile 'a' needs liked and relevant"):
        read_profiles(tmp_path)
    with pytest.raises(BenchmarkError, match="profiles.jsonl not found"):
        read_profiles(tmp_path / "nowhere")


def test_scores_through_the_real_ranking(tmp_path, db):
    write_benchmark(tmp_path)
    axes = {"q": 0, "p": 1, "t": 2}
    for topic, rows in TOPICS.items():
        for n, (title, text) in enumerate(rows):
            paper = Paper.objects.create(arxiv_id=f"{ID_PREFIX}{topic}{n}", title=title, abstract=text, source="eval")
            vector = np.full(4, 0.05)
            vector[axes[topic]], vector[3] = 1.0, 0.1 * n
            store_vector(paper, vector)
    scores = evaluate(tmp_path)
    assert set(scores) == set(RANKINGS) and all(set(values) == METRICS for values in scores.values())
    assert all(0.0 <= value <= 1.0 for values in scores.values() for value in values.values())
    assert scores["model"]["ndcg@10"] == 1.0 and scores["mean_embedding"]["ndcg@10"] == 1.0  # topics apart: perfect
    assert scores["fallback"]["ndcg@10"] < scores["model"]["ndcg@10"]
    (tmp_path / "profiles.jsonl").write_text('{"_id": "x", "liked": ["q0"], "relevant": ["nope"]}\n')
    with pytest.raises(BenchmarkError, match=r"profiles.jsonl:1: ids not in the corpus: nope"):
        evaluate(tmp_path)


def _command(*args, home: Path):
    env = {
        **os.environ,
        "DAILYPAPERS_HOME": str(home),
        "DATABASE_URL": "",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "dailypapers.settings",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_eval_recommend_command_prints_json_per_ranking(tmp_path):
    bench = tmp_path / "tiny"
    write_benchmark(bench)
    result = _command("eval", "recommend", str(bench), "--json", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr[-2000:]
    scores = json.loads(result.stdout)
    assert set(scores) == {"model", "mean_embedding", "fallback"}
    assert all(set(values) == METRICS for values in scores.values())
    assert scores["model"]["recall@50"] == 1.0  # 12 papers: everything is in the top 50
    assert scores["model"]["ndcg@10"] >= 0.5 and scores["model"]["mrr@10"] >= 0.5
    assert (tmp_path / "home" / "eval" / "recommend-tiny" / "dailypapers.sqlite3").is_file()  # a scratch database
    missing = _command("eval", "recommend", str(tmp_path / "none"), home=tmp_path / "home")
    assert missing.returncode != 0 and "not a folder" in missing.stderr
