"""What collections and reading state cost a page, on real papers from the shared corpus.

Run: .venv/bin/python bench/library.py [PATH.jsonl.gz] [PAPERS]
Loads the first PAPERS (default 20,000) papers of the corpus into a scratch SQLite database
(bench/pages.py's bulk load), then, for the busiest day's feed page (100 cards a page) and a
week page, prints milliseconds per request (median of 5) and queries for: a signed-out
reader; a member with an empty library; and a heavy member (5,000 papers read or not wanted,
2,000 saved across 20 collections). Then a 500-paper collection page, its RSS feed and BibTeX
export, and the import of a 2,000-entry `.bib` file (its own export, read back).
"""

from __future__ import annotations

import gzip
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DAILYPAPERS_HOME", tempfile.mkdtemp(prefix="dailypapers-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
CORPUS = (
    Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/arxiv/papers-2025-03-to-2026-07.jsonl.gz"
)
LIMIT = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import pages  # noqa: E402
from dailypapers.catalog.models import Paper  # noqa: E402
from dailypapers.library.bibtex_import import import_bibtex  # noqa: E402
from dailypapers.library.models import Collection, CollectionItem, ReadingState  # noqa: E402


def load_first(path: Path, limit: int) -> None:
    """bench/pages.py's bulk load of the corpus's first `limit` papers."""
    part = Path(tempfile.mkdtemp(prefix="dailypapers-bench-")) / "part.jsonl.gz"
    with gzip.open(path, "rt") as lines, gzip.open(part, "wt") as out:
        out.writelines(itertools.islice(lines, limit))
    pages.load(part)


def timed(client: Client, url: str, label: str) -> None:
    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    print(f"{label:28} {url:42} {statistics.median(timings):7.1f} ms  {len(queries.captured_queries):3} queries")


def heavy_member(ids: list[int]):
    user = get_user_model().objects.create_user("heavy", "heavy@example.org", "a long passphrase 42")
    states = [
        ReadingState(user=user, paper_id=pid, state="read" if n % 5 else "not_interested")
        for n, pid in enumerate(ids[:5000])
    ]
    ReadingState.objects.bulk_create(states, batch_size=2000)
    collections = [Collection.objects.create(owner=user, name=f"Topic {n}") for n in range(20)]
    items = [
        CollectionItem(collection=collections[n % 20], paper_id=pid, position=n) for n, pid in enumerate(ids[:2000])
    ]
    CollectionItem.objects.bulk_create(items, batch_size=2000)
    return user


def main() -> None:
    settings.PAGE_CACHE_SECONDS = 0  # measure the rendering, not the anonymous page cache
    load_first(CORPUS, LIMIT)
    busiest = Paper.objects.values("featured_on").annotate(n=Count("id")).order_by("-n").first()
    day = busiest["featured_on"]
    year, week, _ = day.isocalendar()
    print(f"busiest day {day}: {busiest['n']} papers (100 cards a page)")
    on_day = list(Paper.objects.filter(featured_on=day).order_by("-upvotes").values_list("id", flat=True))
    others = list(Paper.objects.exclude(featured_on=day).values_list("id", flat=True))
    urls = (f"/papers?date={day}", f"/papers?week={year}-W{week:02d}")

    anonymous = Client()
    empty = Client()
    empty.force_login(get_user_model().objects.create_user("fresh", "fresh@example.org", "a long passphrase 42"))
    heavy = Client()
    heavy.force_login(heavy_member(on_day[:50] + others))
    for url in urls:
        timed(anonymous, url, "signed out")
        timed(empty, url, "member, empty library")
        timed(heavy, url, "member, 5k states, 2k saved")

    owner = get_user_model().objects.get(username="heavy")
    big = Collection.objects.create(owner=owner, name="Five hundred", visibility="public")
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=big, paper_id=pid, position=n) for n, pid in enumerate(others[:500], start=1)
    )
    timed(heavy, f"/collections/{big.pk}", "collection, 500 papers")
    timed(anonymous, f"/feeds/collection/{big.pk}.rss", "its RSS, signed out")
    timed(anonymous, f"/collections/{big.pk}.bib", "its BibTeX, signed out")

    export = Collection.objects.create(owner=owner, name="Two thousand", visibility="public")
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=export, paper_id=pid, position=n) for n, pid in enumerate(others[:2000], start=1)
    )
    bib = anonymous.get(f"/collections/{export.pk}.bib").content
    started = time.perf_counter()
    result = import_bibtex(user=owner, name="Imported", data=bib)
    seconds = time.perf_counter() - started
    print(f"import of a {len(bib) // 1024} KiB .bib file: {result['added']} papers in {seconds:.2f} s")


if __name__ == "__main__":
    main()
