"""Author pages on the shared corpus: how many authors, slugs and merged variants the ingest
makes, what `dailypapers authors rebuild` adds, how long each takes, and examples.

    .venv/bin/python bench/authors.py [--file PATH] [--limit N] [--postgres]

Loads the corpus into a fresh database (merging variants batch by batch, as every ingest
does), counts, then runs the full rebuild and counts again. Prints merges by kind (spelling
variants: accents, case, punctuation; initials: "J. Garcia" → "Jose Garcia") with examples.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"


def counts() -> dict:
    from dailypapers.catalog.authors import name_tokens
    from dailypapers.catalog.models import Author

    variants = list(Author.objects.filter(canonical__isnull=False).values_list("name", "canonical__name"))
    spelling = [(v, c) for v, c in variants if name_tokens(v) == name_tokens(c)]
    initials = [(v, c) for v, c in variants if name_tokens(v) != name_tokens(c)]
    return {
        "authors": Author.objects.count(),
        "slugs": Author.objects.exclude(slug=None).count(),
        "suffixed": Author.objects.filter(slug__regex=r"-[0-9]+$").count(),
        "pages": Author.objects.filter(canonical__isnull=True).count(),
        "variants": len(variants),
        "spelling": spelling,
        "initials": initials,
    }


def report(label: str, c: dict) -> None:
    print(
        f"{label}: {c['authors']:,} author names, {c['slugs']:,} with a slug ({c['suffixed']:,} collision-suffixed), "
        f"{c['pages']:,} author pages; {c['variants']:,} names merged into another "
        f"({len(c['spelling'])} spelling variants, {len(c['initials'])} initials)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--postgres", action="store_true")
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
    os.environ["DAILYPAPERS_HOME"] = tempfile.mkdtemp(prefix="dailypapers-bench-")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    import itertools

    import django

    django.setup()
    from django.core.management import call_command

    from dailypapers.catalog.authors import rebuild_authors
    from dailypapers.ingest.run import ingest_records
    from dailypapers.ingest.sources.files import read_file

    call_command("migrate", verbosity=0)
    source = read_file(args.file)
    ingest = ingest_records(itertools.islice(source, args.limit) if args.limit else source, progress=False)
    print(f"ingest: {ingest.stats.seen:,} papers in {ingest.seconds:.1f} s (author slugs and merges included)")
    report("after the ingest", counts())
    started = time.perf_counter()
    merged = rebuild_authors()
    seconds = time.perf_counter() - started
    after = counts()
    print(
        f"rebuild: {seconds:.1f} s; {merged.groups:,} groups of similar names examined, {merged.changed} rows changed"
    )
    report("after the rebuild", after)
    rng = random.Random(16)
    for kind in ("spelling", "initials"):
        sample = rng.sample(after[kind], min(8, len(after[kind])))
        print(f"examples ({kind}):")
        for variant, canonical in sample:
            print(f"  {variant!r} → {canonical!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
