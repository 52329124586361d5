"""Index benchmark with and without keywords: papers/s of `embed_pending` on the same papers.

    .venv/bin/python bench/keywords_index.py [--limit 512] [--threads 0] [--postgres]

Ingests the first `--limit` papers of the shared corpus into a fresh database, embeds them
with keywords off (settings.SEARCH_KEYWORDS False), deletes the embeddings, embeds them again
with keywords on, and prints papers/s and CPU seconds per paper of both, and of
`dailypapers keywords` alone (keywords from the stored vectors, as a backfill runs). The ingest
does not extract keywords (the embedding job does), so its own speed is bench/ingest.py's.
Run on an idle machine; on a shared one, compare the CPU seconds, not the wall time.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--limit", type=int, default=512)
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0 = all cores)")
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL cluster (tests.pgcluster)")
    args = parser.parse_args()
    if not args.file.is_file():
        print(f"corpus not found: {args.file}", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))
    if args.postgres and "DATABASE_URL" not in os.environ:
        from tests.pgcluster import postgres_cluster

        with postgres_cluster() as url:
            os.environ["DATABASE_URL"] = url
            return run(args)
    return run(args)


def run(args) -> int:
    home = tempfile.mkdtemp(prefix="dailypapers-bench-")
    try:
        return _run(args, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _timed(label: str, papers: int, work) -> None:
    cpu, wall = _cpu(), time.perf_counter()
    work()
    cpu, wall = _cpu() - cpu, time.perf_counter() - wall
    rate = f"{papers / wall:6.1f} papers/s, {1000 * cpu / papers:6.1f} ms CPU/paper"
    print(f"{label:34} {papers} papers in {wall:6.1f} s = {rate}")


def _run(args, home: str) -> int:
    os.environ["DAILYPAPERS_HOME"] = home
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    os.environ["DAILYPAPERS_SEARCH_THREADS"] = str(args.threads)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dailypapers.catalog.models import Paper, PaperKeyword
    from dailypapers.ingest.run import ingest_records
    from dailypapers.ingest.sources.files import read_file
    from dailypapers.search.embedder import get_embedder
    from dailypapers.search.indexing import embed_pending
    from dailypapers.search.keywords import extract_pending
    from dailypapers.search.models import Embedding, PaperEmbedding

    call_command("migrate", verbosity=0)
    ingest_records(itertools.islice(read_file(args.file), args.limit))
    papers = Paper.objects.count()
    embedder = get_embedder()
    embedder.embed(["warm up"])
    print(f"database: {connection.vendor}; {papers} papers; onnxruntime threads: {args.threads or 'all'}")

    def reset():
        PaperEmbedding.objects.all().delete()
        Embedding.objects.all().delete()
        PaperKeyword.objects.all().delete()
        Paper.objects.update(keywords=None)

    _timed("index, keywords off", papers, lambda: embed_pending(embedder=embedder, keywords=False))
    _timed("keywords alone (stored vectors)", papers, lambda: extract_pending(embedder=embedder))
    reset()
    _timed("index, keywords on", papers, lambda: embed_pending(embedder=embedder, keywords=True))
    counts = [len(k) for k in Paper.objects.values_list("keywords", flat=True)]
    print(f"keywords per paper: min {min(counts)}, mean {sum(counts) / len(counts):.1f}, max {max(counts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
