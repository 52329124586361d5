"""Retrieval quality on a BEIR-style benchmark, measured through the real search code.

A benchmark folder holds corpus.jsonl[.gz] (`_id`, `title`, `text`, optional `authors`), queries.jsonl
(`_id`, `text`) and qrels.tsv (`query-id`, `corpus-id`, `score`, with a header line). Instead of a
corpus file it may hold corpus-source.json, naming an arXiv metadata snapshot (relative to the
folder) and a range of listing days, so a benchmark over the shared corpus commits only its
queries and judgements (bench/data/arxiv-queries). Documents become
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


def _jsonl(path: Path, *, id_field: str = "_id") -> Iterator[dict]:
    """JSON objects, one a line, each given a string `_id` from `id_field`."""
    with _open(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                record["_id"] = str(record[id_field])
            except (ValueError, KeyError, TypeError) as exc:
                raise BenchmarkError(f"{path}:{number}: not a JSON object with an {id_field} ({exc})") from None
            yield record


def find_file(folder: Path, *names: str) -> Path:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise BenchmarkError(f"{folder}: none of {', '.join(names)} found")


CORPUS_SOURCE = "corpus-source.json"


def read_corpus(folder: Path) -> Iterator[dict]:
    has_corpus_file = any((folder / name).is_file() for name in ("corpus.jsonl.gz", "corpus.jsonl"))
    if not has_corpus_file and (folder / CORPUS_SOURCE).is_file():
        return _snapshot_subset(folder / CORPUS_SOURCE)
    return _jsonl(find_file(folder, "corpus.jsonl.gz", "corpus.jsonl"))


def _snapshot_subset(source: Path) -> Iterator[dict]:
    """The papers of an arXiv snapshot (`id`, `title`, `summary`, `authors`, `listing_date`) listed
    between `listing_from` and `listing_to`, as corpus records with their authors."""
    try:
        spec = json.loads(source.read_text(encoding="utf-8"))
        snapshot = (source.parent / spec["snapshot"]).resolve()
        first, last = str(spec["listing_from"]), str(spec["listing_to"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BenchmarkError(f'{source}: expected {{"snapshot", "listing_from", "listing_to"}} ({exc})') from None
    if not snapshot.is_file():
        raise BenchmarkError(f"{source}: snapshot {snapshot} not found (the shared data sits beside the repository)")
    for record in _jsonl(snapshot, id_field="id"):
        if first <= str(record.get("listing_date") or "") <= last:
            yield {
                "_id": record["_id"],
                "title": " ".join(str(record.get("title") or "").split()),
                "text": " ".join(str(record.get("summary") or "").split()),
                "authors": record.get("authors") or [],
            }


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


def run_queries(
    queries: dict[str, str], qrels: dict[str, dict[str, int]], *, modes=MODES, runs: dict | None = None
) -> dict[str, dict[str, float]]:
    """Search each judged query in each mode (top 100) and score the runs; `runs`, when given,
    receives {mode: {query id: ranked document ids}} (for pooling new judgements)."""
    from dailypapers.search.service import search_papers

    judged = {q: queries[q] for q in qrels if q in queries}
    scores = {}
    for mode in modes:
        run = {}
        for query_id, text in judged.items():
            answer = search_papers(text, mode=SERVICE_MODE[mode], limit=100)
            if mode != "keyword" and answer.get("keyword_only"):
                raise BenchmarkError(f"{mode}: {answer['notices'][0]}")
            run[query_id] = [row["paper"].arxiv_id.removeprefix(ID_PREFIX) for row in answer["results"]]
        scores[mode] = score_run(run, qrels)
        if runs is not None:
            runs[mode] = run
    return scores


def load_documents(folder: Path, *, batch: int = 1000) -> int:
    """Put the corpus into the (scratch) database as papers; documents already there are kept."""
    from dailypapers.catalog.models import Paper

    have = set(Paper.objects.filter(arxiv_id__startswith=ID_PREFIX).values_list("arxiv_id", flat=True))
    rows, authors, added = [], {}, 0
    for doc in read_corpus(folder):
        key = (ID_PREFIX + doc["_id"])[:40]
        if key in have:
            continue
        have.add(key)
        names = [str(name).strip()[:300] for name in doc.get("authors") or [] if str(name).strip()]
        rows.append(
            Paper(
                arxiv_id=key,
                title=doc.get("title") or "",
                abstract=doc.get("text") or "",
                authors_text=", ".join(names),
                source="eval",
            )
        )
        authors[key] = names
        if len(rows) >= batch:
            _save_documents(rows, authors)
            added, rows, authors = added + len(rows), [], {}
    _save_documents(rows, authors)
    return added + len(rows)


def _author_ids(names: list[str]) -> dict[str, int]:
    """{name: Author id} of those names stored, 500 names a query."""
    from dailypapers.catalog.models import Author

    found: dict[str, int] = {}
    for start in range(0, len(names), 500):
        found.update(Author.objects.filter(name__in=names[start : start + 500]).values_list("name", "id"))
    return found


def _save_documents(rows: list, authors: dict[str, list[str]]) -> None:
    """Papers, and their authors as Author rows (author-name queries look names up there)."""
    from django.db import transaction

    from dailypapers.catalog.authors import new_author_rows
    from dailypapers.catalog.models import Author, Paper, PaperAuthor

    with transaction.atomic():
        Paper.objects.bulk_create(rows)
        names = {name for names in authors.values() for name in names}
        if not names:
            return
        names = sorted(names)
        author_ids = _author_ids(names)
        # Keyed and slugged as the ingest does: author-name queries look names up by their key.
        new = [name for name in names if name not in author_ids]
        Author.objects.bulk_create([Author(name=n, match_key=key, slug=slug) for n, key, slug in new_author_rows(new)])
        author_ids.update(_author_ids(new))
        paper_ids = dict(Paper.objects.filter(arxiv_id__in=list(authors)).values_list("arxiv_id", "id"))
        PaperAuthor.objects.bulk_create(
            [
                PaperAuthor(paper_id=paper_ids[key], author_id=author_ids[name], position=position)
                for key, names in authors.items()
                for position, name in enumerate(dict.fromkeys(names))
            ]
        )
