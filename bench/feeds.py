"""Time the daily feed on the corpus's busiest day, and what a conditional GET saves.

Run: .venv/bin/python bench/feeds.py [PATH.jsonl.gz]
Loads the busiest listing day of the shared corpus and the day before into a scratch SQLite
database (bulk inserts, every paper featured on its listing day), then prints for
/feeds/daily.rss and .atom: items, bytes (plain and gzip), and milliseconds (median of 5) to
render it, to answer it from the feed cache, and to answer 304 to `If-None-Match`; then the
day as one BibTeX file through the export's function.
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DAILYPAPERS_HOME", tempfile.mkdtemp(prefix="dailypapers-bench-feeds-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
DEFAULT_CORPUS = ROOT.parent / "shared/data/arxiv/papers-2025-03-to-2026-07.jsonl.gz"
CORPUS = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS

import django  # noqa: E402

django.setup()
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from dailypapers.api.bibtex_export import bibtex_file  # noqa: E402
from dailypapers.catalog.models import Paper  # noqa: E402


def load(path: Path) -> date:
    call_command("migrate", verbosity=0)
    with gzip.open(path, "rt") as lines:
        records = [json.loads(line) for line in lines]
    per_day = collections.Counter(r["listing_date"] for r in records)
    busiest = max(per_day, key=per_day.get)
    days = sorted(per_day)
    wanted = {busiest, days[days.index(busiest) - 1]}
    Paper.objects.bulk_create(
        [
            Paper(
                arxiv_id=r["id"],
                title=r["title"],
                abstract=r["summary"],
                authors_text=", ".join(r["authors"]),
                categories=r["categories"],
                primary_category=r["categories"][0],
                listing_date=date.fromisoformat(r["listing_date"]),
                featured_on=date.fromisoformat(r["listing_date"]),
                upvotes=(n * 7919) % 50,
            )
            for n, r in enumerate(records)
            if r["listing_date"] in wanted
        ],
        batch_size=2000,
    )
    return date.fromisoformat(busiest)


def median_ms(call, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    day = load(CORPUS)
    client = Client()
    print(f"busiest day {day}: {Paper.objects.filter(featured_on=day).count()} papers")
    for kind in ("rss", "atom"):
        path = f"/feeds/daily.{kind}?date={day}"
        first = client.get(path)
        items = first.content.count(b"<item>" if kind == "rss" else b"<entry>")
        zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        cold = median_ms(lambda: (cache.clear(), client.get(path)))  # noqa: B023 (called within the loop)
        warm = median_ms(lambda: client.get(path))  # noqa: B023
        not_modified = median_ms(lambda: client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]))  # noqa: B023
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        sizes = f"{len(first.content) / 1024:.0f} KiB ({len(zipped.content) / 1024:.0f} KiB gzip)"
        print(
            f"{path}: {items} items, {sizes}; rendered {cold:.0f} ms, cached {warm:.0f} ms, 304 {not_modified:.0f} ms"
        )
    papers = list(Paper.objects.filter(featured_on=day))
    text = bibtex_file(papers)
    took = median_ms(lambda: bibtex_file(papers))
    print(f"BibTeX of the day: {len(papers)} entries, {len(text) / 1024:.0f} KiB, {took:.0f} ms")


if __name__ == "__main__":
    main()
