"""Retrieval quality on a BEIR-style benchmark, measured through the real search code.

A benchmark folder holds corpus.jsonl[.gz] (`_id`, `title`, `text`), queries.jsonl (`_id`,
`text`) and qrels.tsv (`query-id`, `corpus-id`, `score`, with a header line). Documents become
Paper rows in a scratch database (see the `eval` command), so keyword, meaning and hybrid
results come from `search_papers` exactly as the site serves them. Metrics as in BEIR:
nDCG@10 (graded gains, log2 discount), Recall@100, MRR@10, averaged over judged queries.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterator
from pathlib import Path

MODES = ("keyword", "semantic", "hybrid")
SERVICE_MODE = {"keyword": "keyword", "semantic": "meaning", "hybrid": "hybrid"}
ID_PREFIX = "bench:"  # eval documents live in a scratch database; the prefix keeps ids apart from arXiv's


class BenchmarkError(ValueError):
    """The benchmark folder is missing a file or has a malformed line (named in the message)."""


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def _jsonl(path: Path) -> Iterator[dict]:
    with _open(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                record["_id"] = str(record["_id"])
            except (ValueError, KeyError, TypeError) as exc:
                raise BenchmarkError(f"{path}:{number}: not a JSON object with an _id ({exc})") from None
            yield record


def find_file(folder: Path, *names: str) -> Path:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise BenchmarkError(f"{folder}: none of {', '.join(names)} found")


def read_corpus(folder: Path) -> Iterator[dict]:
    return _jsonl(find_file(folder, "corpus.jsonl.gz", "corpus.jsonl"))


def read_queries(folder: Path) -> dict[str, str]:
    return {q["_id"]: q.get("text", "") for q in _jsonl(find_file(folder, "queries.jsonl", "queries.jsonl.gz"))}


def read_qrels(folder: Path) -> dict[str, dict[str, int]]:
    path = find_file(folder, "qrels.tsv", "qrels/test.tsv")
    qrels: dict[str, dict[str, int]] = {}
    with _open(path) as lines:
        for number, line in enumerate(lines, start=1):
            parts = line.rstrip("\n").split("\t")
            if number == 1 and parts[0] == "query-id":
                continue
            if len(parts) < 3:
                if line.strip():
                    raise BenchmarkError(f"{path}:{number}: expected query-id, corpus-id, score separated by tabs")
                continue
            try:
                qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
            except ValueError:
                raise BenchmarkError(f"{path}:{number}: score {parts[2]!r} is not a whole number") from None
    return qrels


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    dcg = sum(relevant.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = 100) -> float:
    wanted = {doc for doc, g in relevant.items() if g > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def mrr_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    for rank, doc in enumerate(ranked[:k], start=1):
        if relevant.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def score_run(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    judged = [q for q in qrels if any(g > 0 for g in qrels[q].values())]
    if not judged:
        raise BenchmarkError("no query has a positive relevance judgement")
    mean = lambda values: round(sum(values) / len(judged), 4)  # noqa: E731
    return {
        "ndcg@10": mean([ndcg_at(run.get(q, []), qrels[q]) for q in judged]),
        "recall@100": mean([recall_at(run.get(q, []), qrels[q]) for q in judged]),
        "mrr@10": mean([mrr_at(run.get(q, []), qrels[q]) for q in judged]),
    }


def run_queries(queries: dict[str, str], qrels: dict[str, dict[str, int]], *, modes=MODES) -> dict[str, dict[str, float]]:
    """Search each judged query in each mode (top 100) and score the runs."""
    from dailypapers.search.service import search_papers

    judged = {q: queries[q] for q in qrels if q in queries}
    scores = {}
    for mode in modes:
        run = {}
        for query_id, text in judged.items():
            answer = search_papers(text, mode=SERVICE_MODE[mode], limit=100)
            if mode != "keyword" and answer["notices"]:
                raise BenchmarkError(f"{mode}: {answer['notices'][0]}")
            run[query_id] = [row["paper"].arxiv_id.removeprefix(ID_PREFIX) for row in answer["results"]]
        scores[mode] = score_run(run, qrels)
    return scores


def load_documents(folder: Path, *, batch: int = 1000) -> int:
    """Put the corpus into the (scratch) database as papers; documents already there are kept."""
    from dailypapers.catalog.models import Paper

    have = set(Paper.objects.filter(arxiv_id__startswith=ID_PREFIX).values_list("arxiv_id", flat=True))
    rows, added = [], 0
    for doc in read_corpus(folder):
        key = (ID_PREFIX + doc["_id"])[:40]
        if key in have:
            continue
        have.add(key)
        rows.append(Paper(arxiv_id=key, title=doc.get("title") or "", abstract=doc.get("text") or "", source="eval"))
        if len(rows) >= batch:
            Paper.objects.bulk_create(rows)
            added, rows = added + len(rows), []
    Paper.objects.bulk_create(rows)
    return added + len(rows)
