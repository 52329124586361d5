"""Time the feed and paper pages on the whole shared corpus (74,728 papers, 322 listing days).

Run: .venv/bin/python bench/pages.py [PATH.jsonl.gz]   (DAILYPAPERS_HOME=DIR to keep the database for reruns)
Loads the corpus straight into a scratch SQLite database with bulk inserts (not through the
ingest app, so this measures the pages only), every paper featured on its listing day, then
prints, for the busiest day, week and month and a paper page: milliseconds per request
(median of 5) and queries per request. Then the author pages: the corpus's authors (with
slugs, as the ingest gives them) and one bench author put on 500 of its papers, whose page
is timed with the page cache off (every request renders).
"""

from __future__ import annotations

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
os.environ.setdefault("DAILYPAPERS_HOME", tempfile.mkdtemp(prefix="dailypapers-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
CORPUS = (
    Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/arxiv/papers-2025-03-to-2026-07.jsonl.gz"
)

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dailypapers.catalog.authors import new_author_rows  # noqa: E402
from dailypapers.catalog.models import Author, Paper, PaperAuthor, PaperCategory  # noqa: E402

BENCH_AUTHOR = "Bench Prolific-Author"
BENCH_AUTHOR_PAPERS = 500


def load(path: Path) -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with gzip.open(path, "rt") as lines:
        records = [json.loads(line) for line in lines]
    papers = []
    for n, r in enumerate(records):
        day = date.fromisoformat(r["listing_date"])
        papers.append(
            Paper(
                arxiv_id=r["id"],
                title=r["title"],
                abstract=r["summary"],
                authors_text=", ".join(r["authors"]),
                categories=r["categories"],
                primary_category=r["categories"][0],
                listing_date=day,
                featured_on=day,
                comment=r.get("comment") or "",
                upvotes=(n * 7919) % 50,
            )
        )
    Paper.objects.bulk_create(papers, batch_size=2000)
    ids = dict(Paper.objects.values_list("arxiv_id", "id"))
    PaperCategory.objects.bulk_create(
        (
            PaperCategory(paper_id=ids[r["id"]], category=c, position=i)
            for r in records
            for i, c in enumerate(r["categories"])
        ),
        batch_size=5000,
    )
    names = {name for r in records for name in r["authors"]} | {BENCH_AUTHOR}
    Author.objects.bulk_create(
        (Author(name=name, match_key=key, slug=slug) for name, key, slug in new_author_rows(names)), batch_size=5000
    )
    author_ids = dict(Author.objects.values_list("name", "id"))
    PaperAuthor.objects.bulk_create(
        (
            PaperAuthor(paper_id=ids[r["id"]], author_id=author_ids[name], position=i)
            for r in records
            for i, name in enumerate(dict.fromkeys(r["authors"]))
        ),
        batch_size=5000,
    )
    # The bench author signs every 150th paper (500 of them, all months), after the real authors.
    PaperAuthor.objects.bulk_create(
        PaperAuthor(paper_id=ids[r["id"]], author_id=author_ids[BENCH_AUTHOR], position=len(r["authors"]))
        for r in records[:: len(records) // BENCH_AUTHOR_PAPERS][:BENCH_AUTHOR_PAPERS]
    )
    print(f"loaded {len(records):,} papers and {len(names):,} authors in {time.perf_counter() - started:.1f} s")


def measure(client: Client, url: str) -> None:
    """Median wall-clock and CPU milliseconds of 5 requests (SQLite runs in this process, so the
    CPU time is the server's whole work; wall-clock grows when other processes share the cores)."""
    timings, cpu = [], []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    print(
        f"{url:45} {statistics.median(timings):7.1f} ms ({statistics.median(cpu):5.1f} ms CPU)  "
        f"{len(queries.captured_queries)} queries  {len(response.content) // 1024} KiB"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    if not Paper.objects.exists():  # DAILYPAPERS_HOME=… keeps a loaded database between runs
        load(CORPUS)
    from django.db.models import Count

    busiest = Paper.objects.values("featured_on").annotate(n=Count("id")).order_by("-n").first()
    day = busiest["featured_on"]
    print(f"busiest day {day}: {busiest['n']} papers")
    year, week, _ = day.isocalendar()
    client = Client()
    for url in (
        "/",
        f"/papers?date={day}",
        f"/papers?date={day}&category=cs.LG",
        f"/papers?week={year}-W{week:02d}",
        f"/papers?month={day:%Y-%m}",
        f"/papers?month={day:%Y-%m}&page=10",
        f"/papers?month={day:%Y-%m}&category=cs.CL",
        f"/papers/{Paper.objects.filter(featured_on=day).values_list('arxiv_id', flat=True).first()}",
    ):
        measure(client, url)
    from django.test.utils import override_settings

    from dailypapers.catalog.author_links import author_path
    from dailypapers.catalog.author_pages import author_papers, find_author

    bench = find_author(Author.objects.get(name=BENCH_AUTHOR).slug)
    prolific = (
        Author.objects.exclude(name=BENCH_AUTHOR).annotate(n=Count("authorships")).order_by("-n").values("slug", "n")[0]
    )
    print(
        f"author pages, page cache off (bench author: {author_papers(bench).count()} papers; "
        f"the corpus's most prolific: {prolific['n']})"
    )
    with override_settings(PAGE_CACHE_SECONDS=0):
        for url in (
            author_path(bench.author.slug),
            author_path(bench.author.slug) + "?page=10",
            author_path(prolific["slug"]),
        ):
            measure(client, url)


if __name__ == "__main__":
    main()
