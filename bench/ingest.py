"""Ingest benchmark: the 74,728-paper corpus into a fresh database, then again.

    .venv/bin/python bench/ingest.py [--file PATH] [--postgres] [--limit N]

Prints papers/s and peak memory (ru_maxrss) of the first ingest, then the time of the
re-ingest and the number of rows it changed (must be 0): SQLite's total_changes() and a
row-by-row comparison of the catalogue tables before and after. Run on an idle machine;
the number is for one process (one core). The database is fresh, with every app's
migrations, so it includes what other apps hang on the catalogue (e.g. the FTS triggers).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"


def table_digests() -> dict[str, dict]:
    """{table: {row id: hash of the row}} for the tables the ingest writes."""
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for table in ("catalog_paper", "catalog_author", "catalog_paperauthor", "catalog_papercategory"):
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            out[table] = {
                row[0]: hashlib.blake2b(repr(row).encode(), digest_size=12).digest() for row in cursor.fetchall()
            }
    return out


def changed_rows(before: dict, after: dict) -> int:
    changed = 0
    for table, rows in before.items():
        new = after[table]
        changed += sum(1 for key, digest in rows.items() if new.get(key) != digest)
        changed += sum(1 for key in new if key not in rows)
    return changed


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--limit", type=int)
    parser.add_argument(
        "--without-receivers",
        action="store_true",
        help="Disconnect other apps' papers_ingested receivers, to time the ingest alone.",
    )
    parser.add_argument(
        "--without-author-pages",
        action="store_true",
        help="Insert author names bare (no match key, slug nor variant merging), to time what author pages cost.",
    )
    parser.add_argument(
        "--postgres", action="store_true", help="Run against a throw-away PostgreSQL cluster (tests.pgcluster)."
    )
    args = parser.parse_args()
    if not args.file.is_file():
        print(f"corpus not found: {args.file}", file=sys.stderr)
        return 1
    if args.postgres and "DATABASE_URL" not in os.environ:
        sys.path.insert(0, str(ROOT))
        from tests.pgcluster import postgres_cluster

        with postgres_cluster() as url:
            os.environ["DATABASE_URL"] = url
            return run(args)
    return run(args)


def run(args) -> int:
    sys.path.insert(0, str(ROOT))
    home = tempfile.mkdtemp(prefix="dailypapers-bench-")
    try:
        return _run(args, home)
    finally:
        import shutil

        shutil.rmtree(home, ignore_errors=True)


def _run(args, home: str) -> int:
    os.environ["DAILYPAPERS_HOME"] = home
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    import itertools

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dailypapers.ingest.run import ingest_records
    from dailypapers.ingest.sources.files import read_file

    call_command("migrate", verbosity=0)
    from dailypapers.catalog.signals import papers_ingested

    receivers = [str(r[0]) for r in papers_ingested.receivers]
    if args.without_receivers:
        papers_ingested.receivers = []
        papers_ingested.sender_receivers_cache.clear()
    print(f"papers_ingested receivers: {'disconnected' if args.without_receivers else (len(receivers) or 'none')}")
    if args.without_author_pages:
        from dailypapers.catalog.authors import MergeReport, NewAuthors
        from dailypapers.ingest import upsert

        upsert.plan_new_authors = lambda names: NewAuthors(rows=[(name, "", None) for name in names], merge_keys=set())
        upsert.merge_new_authors = lambda *args: MergeReport()
    print(f"author pages (slugs, variant merging): {'off' if args.without_author_pages else 'on'}")
    backend = connection.vendor
    print(
        f"database: {backend} "
        f"({'fresh, ' + home if backend == 'sqlite' else os.environ.get('DATABASE_URL', '').split('@')[-1]})"
    )

    def items():
        source = read_file(args.file)
        return itertools.islice(source, args.limit) if args.limit else source

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu_before = _cpu()
    report = ingest_records(items(), progress=False)
    cpu = _cpu() - cpu_before
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    papers = report.stats.seen
    print(
        f"first ingest: {papers} papers in {report.seconds:.1f} s = {papers / report.seconds:,.0f} papers/s "
        f"({report.stats.created} created, {report.skipped} skipped)"
    )
    print(
        f"  CPU time of this process: {cpu:.1f} s = {papers / cpu:,.0f} papers per CPU-second "
        "(wall-clock is lower when other processes share the cores)"
    )
    print(f"peak memory (ru_maxrss): {rss_peak / 1024:.0f} MiB (before ingest {rss_before / 1024:.0f} MiB)")

    before = table_digests()
    connection.ensure_connection()
    raw = connection.connection
    changes_before = raw.total_changes if backend == "sqlite" else None
    again = ingest_records(items(), progress=False)
    changes = (raw.total_changes - changes_before) if backend == "sqlite" else None
    changed = changed_rows(before, table_digests())
    print(
        f"re-ingest: {again.stats.seen} papers in {again.seconds:.1f} s = {again.stats.seen / again.seconds:,.0f} "
        "papers/s; "
        f"{again.stats.unchanged} unchanged, {again.stats.created} created, {again.stats.updated} updated"
    )
    print(
        f"rows changed by the re-ingest: {changed} (row comparison)"
        + (f", {changes} (SQLite total_changes)" if changes is not None else "")
    )
    return 0 if changed == 0 and not changes else 1


if __name__ == "__main__":
    sys.exit(main())
