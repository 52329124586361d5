"""CPU time and database queries per JSON API answer of 100 papers: what building the wire
shapes costs (the HF schemas with their resolvers, the submitters fetched in one query).

    .venv/bin/python bench/api_shapes.py [--papers 100] [--rounds 30]
    .venv/bin/python -m tests.pgcluster .venv/bin/python bench/api_shapes.py   # on PostgreSQL

A scratch database (SQLite under a temp folder, or $DATABASE_URL) gets `--papers` papers
featured on one day, a fifth of them submitted by members. Prints, per endpoint, the median
CPU milliseconds of `--rounds` requests through Django's test client and the queries each ran.
Queries must not grow with the number of papers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DAILYPAPERS_HOME", tempfile.mkdtemp(prefix="dailypapers-bench-api-"))
os.environ.setdefault("SECRET_KEY", "bench-secret-key-long-enough-for-the-settings-check-0123")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DAILYPAPERS_API_RATE_ANONYMOUS"] = ""
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"

DAY = dt.date(2026, 6, 30)
ENDPOINTS = [
    "/api/daily_papers?date=2026-06-30&limit=100",
    "/api/papers?limit=100",
    "/api/v1/trending?limit=100",
    "/api/papers/2606.00007",
    "/api/v1/papers/2606.00007",
]


def load(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from dailypapers.catalog.models import Paper
    from dailypapers.community.models import Submission

    call_command("migrate", verbosity=0)
    if Paper.objects.exists():
        return
    published = dt.datetime(2026, 6, 29, 17, 0, tzinfo=dt.UTC)
    papers = Paper.objects.bulk_create(
        Paper(
            arxiv_id=f"2606.{n:05d}",
            version=1,
            title=f"Paper {n} on language models",
            abstract="An abstract. " * 40,
            authors_text=", ".join(f"Author {n + i}" for i in range(6)),
            categories=["cs.CL", "cs.LG"],
            primary_category="cs.CL",
            published=published,
            updated=published,
            listing_date=DAY,
            featured_on=DAY,
            upvotes=n % 17,
            hotness=float(n % 13),
            code_url=f"https://github.com/example/p{n}",
        )
        for n in range(count)
    )
    members = [get_user_model().objects.create_user(f"member{n}") for n in range(5)]
    Submission.objects.bulk_create(
        Submission(paper=paper, user=members[n % 5], created_at=published) for n, paper in enumerate(papers[::5])
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    load(args.papers)
    client = Client()
    print(f"{connection.vendor}, {args.papers} papers, median of {args.rounds} requests")
    for url in ENDPOINTS:
        assert client.get(url).status_code == 200, url  # warm
        spent = []
        for _ in range(args.rounds):
            started = time.process_time()
            client.get(url)
            spent.append((time.process_time() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"  {url:48} {statistics.median(spent):7.1f} ms CPU  {len(queries):3d} queries")


if __name__ == "__main__":
    main()
