"""Digest benchmark: one daily edition rendered and delivered to a loopback SMTP server.

    .venv/bin/python bench/digest.py [--subscribers 10000] [--small 1000]
    .venv/bin/python -m tests.pgcluster .venv/bin/python bench/digest.py      # on PostgreSQL

A scratch database (SQLite under a temp folder, or $DATABASE_URL) gets 200 papers a day and
`--small` confirmed subscribers with mixed preferences (trending, category, author, topic;
10% weekly, so not in a daily edition); a first daily edition is sent; then subscribers are
added up to `--subscribers` and a second daily edition is sent. For each edition it prints
messages, messages/s (build + render + SMTP), database queries per message, and the
process's peak RSS. Queries per message must not grow with the number of subscribers.
The SMTP server (aiosmtpd) runs in a child process so it does not share our GIL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DAILYPAPERS_HOME", tempfile.mkdtemp(prefix="dailypapers-bench-digest-"))
os.environ.setdefault("SECRET_KEY", "bench-secret-key-long-enough-for-the-settings-check-0123")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"

CATEGORIES = ["cs.CL", "cs.LG", "cs.CV", "cs.AI", "stat.ML"]
AUTHORS = [f"Author {i}" for i in range(20)]
TOPICS = [
    "language models",
    "diffusion",
    "reinforcement learning",
    "graph neural",
    "retrieval",
    "speech",
    "robotics",
    "vision transformer",
    "optimization",
    "benchmark",
]


def smtp_server(port_queue, stop, counts_queue) -> None:

    from aiosmtpd.controller import Controller

    class Counter:
        def __init__(self):
            self.count = 0

        async def handle_DATA(self, server, session, envelope):
            self.count += len(envelope.rcpt_tos)
            return "250 OK"

    from tests.digest.smtp_server import free_port

    handler, port = Counter(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    port_queue.put(port)
    stop.wait()
    counts_queue.put(handler.count)
    controller.stop()


def seed_papers(days: list[dt.date]) -> None:
    from dailypapers.catalog.authors import new_author_rows
    from dailypapers.catalog.models import Author, Paper, PaperAuthor, PaperCategory

    # Keyed and slugged as the ingest makes them (author pages and name search look them up so).
    authors = Author.objects.bulk_create(
        [Author(name=name, match_key=key, slug=slug) for name, key, slug in new_author_rows(AUTHORS)]
    )
    n = 0
    for day in days:
        papers = []
        for _i in range(200):
            n += 1
            topic = TOPICS[n % len(TOPICS)]
            papers.append(
                Paper(
                    arxiv_id=f"2603.{n:05d}",
                    version=1,
                    title=f"A study of {topic} number {n}",
                    abstract=f"We study {topic}. " * 40,
                    authors_text=f"{AUTHORS[n % 20]}, Someone Else",
                    categories=[CATEGORIES[n % 5]],
                    primary_category=CATEGORIES[n % 5],
                    listing_date=day,
                    featured_on=day,
                    upvotes=n % 97,
                )
            )
        Paper.objects.bulk_create(papers)
        saved = Paper.objects.filter(featured_on=day)
        PaperCategory.objects.bulk_create(
            [PaperCategory(paper=p, category=p.primary_category, position=0) for p in saved]
        )
        PaperAuthor.objects.bulk_create(
            [PaperAuthor(paper=p, author=authors[int(p.arxiv_id[-5:]) % 20], position=0) for p in saved]
        )


def seed_subscribers(start: int, stop: int) -> None:
    from dailypapers.digest.models import Subscription

    rows = []
    for i in range(start, stop):
        pick = i % 20
        kind, value = (
            ("trending", "")
            if pick < 10
            else ("category", CATEGORIES[i % 5])
            if pick < 15
            else ("author", AUTHORS[i % 20])
            if pick < 18
            else ("topic", TOPICS[i % 10])
        )
        rows.append(
            Subscription(
                email=f"reader{i}@example.org",
                kind=kind,
                value=value,
                status="active",
                frequency="weekly" if i % 10 == 9 else "daily",
            )
        )
    Subscription.objects.bulk_create(rows, batch_size=2000)


def send(date: dt.date) -> dict:
    from django.db import connection

    from dailypapers.digest.sending import send_edition

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        result = send_edition(kind="daily", date=date)
    seconds = time.perf_counter() - started
    return {"messages": result["sent"], "seconds": seconds, "queries": queries, "failed": result["failed"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    args = parser.parse_args()

    port_queue, counts_queue, stop = multiprocessing.Queue(), multiprocessing.Queue(), multiprocessing.Event()
    server = multiprocessing.Process(target=smtp_server, args=(port_queue, stop, counts_queue), daemon=True)
    server.start()
    os.environ["EMAIL_HOST"], os.environ["EMAIL_PORT"] = "127.0.0.1", str(port_queue.get(timeout=30))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    database = "PostgreSQL" if settings.IS_POSTGRES else "SQLite"
    monday = dt.date(2026, 3, 16)
    seed_papers([monday - dt.timedelta(days=d) for d in range(1, 4)] + [monday])  # Fri..Sun, Mon
    print(
        f"database: {database}; 200 papers a day; subscribers: 50% trending, 25% category, 15% author, 10% topic; "
        "10% weekly"
    )
    print(f"{'subscribers':>11} {'messages':>8} {'seconds':>8} {'msg/s':>7} {'queries/msg':>11} {'peak RSS MiB':>12}")
    for total, date in ((args.small, monday), (args.subscribers, monday + dt.timedelta(days=1))):
        from dailypapers.digest.models import Subscription

        seed_subscribers(Subscription.objects.count(), total)
        result = send(date)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{total:>11} {result['messages']:>8} {result['seconds']:>8.1f} "
            f"{result['messages'] / result['seconds']:>7.0f} "
            f"{result['queries'] / max(result['messages'], 1):>11.2f} {peak:>12.0f}"
        )
    stop.set()
    received = counts_queue.get(timeout=30)
    server.join(timeout=10)
    print(f"SMTP server received {received} messages in all")


if __name__ == "__main__":
    main()
