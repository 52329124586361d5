"""Search benchmark on the 74,728-paper shared corpus. Run by hand; prints numbers, asserts nothing.

    .venv/bin/python bench/search.py                 # prepare (once) then measure
    .venv/bin/python bench/search.py --prepare-only  # load + embed, resumable (Ctrl-C safe)
    .venv/bin/python bench/search.py --embedded-only # measure on the papers embedded so far

Prepare: loads ../shared/data/arxiv/papers-*.jsonl.gz into a SQLite database under
$DAILYPAPERS_HOME/bench-search (default var/bench-search) and embeds it with the real
`embed_pending` (slow: about 40 minutes on 2 free cores; resumable). Measure: 500 queries
(250 paper titles, 250 SciFact claims, fixed seed), warm, through `search_papers` in keyword,
meaning and hybrid mode: p50/p95/p99 latency. Then the same queries through a linear scan
over every abstract in the style of arxiv-sanity-lite's search (score each paper by how often
the query words occur in its title and abstract), and the speed-up of hybrid over it. Last,
embedding throughput: the indexing path (tokenize, run, pool, store) against the bare model
session on the same length-sorted batches.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CORPUS = SHARED / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"
CLAIMS = SHARED / "scifact" / "queries.jsonl"


def setup_django() -> None:
    home = Path(os.environ.get("DAILYPAPERS_HOME", ROOT / "var")) / "bench-search"
    os.environ["DAILYPAPERS_HOME"] = str(home)
    os.environ["DATABASE_URL"] = ""
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_corpus() -> None:
    import datetime as dt

    from dailypapers.catalog.models import Paper

    have = Paper.objects.count()
    if have >= 74_000:
        return
    print(f"loading {CORPUS.name} ({have} papers already in the bench database)")
    known = set(Paper.objects.values_list("arxiv_id", flat=True))
    batch = []
    with gzip.open(CORPUS, "rt") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"] in known:
                continue
            batch.append(Paper(
                arxiv_id=record["id"], title=" ".join(record["title"].split()), abstract=record["summary"],
                authors_text=", ".join(record["authors"]), categories=record["categories"],
                primary_category=record["categories"][0] if record["categories"] else "",
                listing_date=dt.date.fromisoformat(record["listing_date"]), comment=record.get("comment") or "", source="file",
            ))
            if len(batch) == 2000:
                Paper.objects.bulk_create(batch)
                batch = []
    Paper.objects.bulk_create(batch)
    print(f"{Paper.objects.count()} papers in the bench database")


def embed_all() -> None:
    from django.core.management import call_command

    call_command("index")


def pick_queries(n: int = 500, seed: int = 7) -> list[str]:
    from dailypapers.catalog.models import Paper

    rng = random.Random(seed)
    ids = sorted(Paper.objects.values_list("id", flat=True))
    titles = list(Paper.objects.filter(id__in=rng.sample(ids, n // 2)).values_list("title", flat=True))
    claims = [json.loads(line)["text"] for line in CLAIMS.open()]
    return titles + rng.sample(claims, n - len(titles))


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {pick(0.50):7.1f} ms   p95 {pick(0.95):7.1f} ms   p99 {pick(0.99):7.1f} ms   mean {statistics.mean(ordered) * 1000:6.1f} ms"


def measure_modes(queries: list[str]) -> dict[str, list[float]]:
    from dailypapers.search.service import search_papers

    timings = {}
    for mode in ("keyword", "meaning", "hybrid"):
        for q in queries[:20]:  # warm: model loaded, pages cached, query vectors NOT reused below
            search_papers(q + " warmup", mode=mode)
        samples = []
        for q in queries:
            start = time.perf_counter()
            search_papers(q, mode=mode, limit=20)
            samples.append(time.perf_counter() - start)
        timings[mode] = samples
        # Hybrid reuses the query vectors meaning computed; clear so each mode embeds its queries.
        from dailypapers.search import service

        service._cache.clear()
    return timings


def linear_scan(queries: list[str]) -> list[float]:
    """arxiv-sanity-lite's search: for every paper, score = how many times the query words occur
    in title and abstract (title counted more), then sort. Abstracts held in memory, as there."""
    from dailypapers.catalog.models import Paper

    papers = [(pid, (t + " " + t + " " + a).lower()) for pid, t, a in Paper.objects.values_list("id", "title", "abstract")]
    samples = []
    for q in queries:
        start = time.perf_counter()
        words = q.lower().split()
        scores = [(sum(text.count(w) for w in words), pid) for pid, text in papers]
        scores.sort(reverse=True)
        scores[:20]
        samples.append(time.perf_counter() - start)
    return samples


def embedding_throughput(n: int = 512, batch: int = 32) -> None:
    from dailypapers.catalog.models import Paper
    from dailypapers.search.embedder import get_embedder, paper_text

    embedder = get_embedder()
    texts = sorted((paper_text(t, a) for t, a in Paper.objects.order_by("?").values_list("title", "abstract")[:n]), key=len)
    batches = [texts[i : i + batch] for i in range(0, len(texts), batch)]
    feeds = [embedder.encode_tokens(b) for b in batches]
    # Alternate bare and full runs batch by batch, so load from other work on the machine
    # hits both alike (two back-to-back passes gave 69 % and 103 % on the same code).
    bare_seconds = ours_seconds = 0.0
    for feed, batch in zip(feeds, batches):
        start = time.perf_counter()
        embedder.session.run(["last_hidden_state"], feed)
        bare_seconds += time.perf_counter() - start
        start = time.perf_counter()
        embedder.embed(batch)
        ours_seconds += time.perf_counter() - start
    bare, ours = len(texts) / bare_seconds, len(texts) / ours_seconds
    print(f"embedding: bare model {bare:.1f} papers/s, our path (tokenize + run + pool) {ours:.1f} papers/s = {ours / bare:.0%} of bare")


def throughput_only() -> None:
    setup_django()
    embedding_throughput()


def main() -> None:
    parser = argparse.ArgumentParser(description="search benchmark")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--embedded-only", action="store_true", help="skip embedding; measure on what is embedded")
    parser.add_argument("--throughput-only", action="store_true", help="only the embedding throughput comparison")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--scan-queries", type=int, default=100,
                        help="how many of the same queries the linear scan runs (it takes seconds each)")
    parser.add_argument("--exact-below", type=int, default=0,
                        help="SEARCH_EXACT_BELOW for the run; 0 (default) measures HNSW even on a partly embedded corpus")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"shared corpus not found at {CORPUS}")
    if args.throughput_only:
        return throughput_only()
    setup_django()
    load_corpus()
    if not args.embedded_only:
        embed_all()
    if args.prepare_only:
        return
    from dailypapers.catalog.models import Paper
    from dailypapers.search.models import PaperEmbedding
    from dailypapers.search.vectors import get_vector_index

    from django.conf import settings

    settings.SEARCH_EXACT_BELOW = args.exact_below
    print(f"corpus: {Paper.objects.count()} papers, {PaperEmbedding.objects.count()} embedded, "
          f"vector index {len(get_vector_index())} vectors ({'exact' if len(get_vector_index()) < args.exact_below else 'HNSW'} search)")
    queries = pick_queries(args.queries)
    timings = measure_modes(queries)
    for mode, samples in timings.items():
        print(f"{mode:8s} {percentiles(samples)}")
    scan = linear_scan(queries[: args.scan_queries])
    hybrid_same = timings["hybrid"][: args.scan_queries]
    print(f"scan     {percentiles(scan)}   ({len(scan)} of the queries)")
    ratio = statistics.median(scan) / statistics.median(hybrid_same)
    p95 = lambda xs: sorted(xs)[min(len(xs) - 1, int(0.95 * len(xs)))]  # noqa: E731
    print(f"hybrid vs linear scan on the same {len(scan)} queries: {ratio:.0f}x faster at the median, "
          f"{p95(scan) / p95(hybrid_same):.0f}x at p95")
    embedding_throughput()


if __name__ == "__main__":
    main()
