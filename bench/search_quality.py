"""Search quality against the plain baseline: our keyword / meaning / hybrid (through
`search_papers`, as `dailypapers eval` measures them) next to plain BM25 over title and
abstract fused by RRF (k = 60) with exact float-vector cosine search, the reference the
search issue measured against. Prints nDCG@10, Recall@100 and MRR@10 per run.

Run after `dailypapers eval FOLDER` has loaded and embedded the scratch database (SQLite):

    DAILYPAPERS_HOME=var .venv/bin/python bench/search_quality.py bench/data/arxiv-queries
    DAILYPAPERS_HOME=var .venv/bin/python bench/search_quality.py ../shared/data/scifact

The plain runs read the same scratch database (FTS5 index and stored embeddings), so the
only differences are ranking: no stemming-aware rescoring, no match budget, no pins, no
author lookup, no similarity floor, float vectors searched exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="benchmark folder already loaded by `dailypapers eval`")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = args.folder.expanduser().resolve()
    home = Path(os.environ.get("DAILYPAPERS_HOME", ROOT / "var")).resolve()
    os.environ["DAILYPAPERS_HOME"] = str(home / "eval" / folder.name)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    os.environ["DATABASE_URL"] = ""
    import django

    django.setup()
    from dailypapers.search.evaluation import ID_PREFIX, read_qrels, read_queries, run_queries, score_run

    queries, qrels = read_queries(folder), read_qrels(folder)
    judged = {q: queries[q] for q in qrels if q in queries}
    scores = run_queries(queries, qrels)
    plain_keyword, plain_meaning = _plain_runs(judged, ID_PREFIX)
    plain_rrf = {q: _rrf([plain_keyword[q], plain_meaning[q]]) for q in judged}
    scores["plain bm25"] = score_run(plain_keyword, qrels)
    scores["plain cosine"] = score_run(plain_meaning, qrels)
    scores["plain rrf"] = score_run(plain_rrf, qrels)
    if args.json:
        print(json.dumps(scores))
        return
    print(f"{folder.name}: {len(judged)} judged queries")
    print(f"{'run':14s}{'nDCG@10':>10s}{'Recall@100':>12s}{'MRR@10':>9s}")
    for name, values in scores.items():
        print(f"{name:14s}{values['ndcg@10']:>10.3f}{values['recall@100']:>12.3f}{values['mrr@10']:>9.3f}")


def _rrf(lists: list[list[str]], k: int = 60) -> list[str]:
    scores: dict[str, float] = {}
    for ranked in lists:
        for rank, doc in enumerate(ranked, start=1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return [doc for doc, _ in sorted(scores.items(), key=lambda item: -item[1])][:100]


def _plain_runs(judged: dict[str, str], prefix: str) -> tuple[dict, dict]:
    import numpy as np
    from django.db import connection

    from dailypapers.search.embedder import get_embedder
    from dailypapers.search.query import parse_query
    from dailypapers.search.vectors import stored_vectors

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, arxiv_id FROM catalog_paper")
        arxiv_of = {pid: arxiv_id.removeprefix(prefix) for pid, arxiv_id in cursor.fetchall()}
    rows = list(stored_vectors())
    papers = [paper_id for _, paper_id, _ in rows]
    matrix = np.vstack([vector for _, _, vector in rows])
    embedder = get_embedder()
    keyword, meaning = {}, {}
    for query_id, text in judged.items():
        words = parse_query(text).ranking_words()
        expression = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        with connection.cursor() as cursor:  # BM25 title + abstract, equal weights, every word
            cursor.execute(
                "SELECT rowid FROM search_paper_fts WHERE search_paper_fts MATCH %s "
                "ORDER BY bm25(search_paper_fts, 1.0, 0.0, 1.0) LIMIT 100",
                [expression],
            )
            keyword[query_id] = [arxiv_of[row[0]] for row in cursor.fetchall()]
        similarity = matrix @ embedder.embed([" ".join(text.split())])[0]
        best = np.argsort(-similarity)[:100]
        meaning[query_id] = [arxiv_of[papers[i]] for i in best]
    return keyword, meaning


if __name__ == "__main__":
    main()
