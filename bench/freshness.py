"""Freshness benchmark: minutes from ingest to webhook and feed, at 10,000 saved searches and
1,000 new papers.

    .venv/bin/python bench/freshness.py [--saved 10000] [--new 1000] [--hooks 500]
    .venv/bin/python -m tests.pgcluster .venv/bin/python bench/freshness.py      # on PostgreSQL

A scratch database (SQLite under a temp folder, or $DATABASE_URL) gets `--saved` saved searches
from 500 members, their queries made of words of real titles from the shared arXiv corpus's
earlier days (a mix of words / meaning / both, a tenth with a category filter), `--hooks` of
them with a webhook to a local HTTP receiver (a child process, so it does not share our GIL).
The query vectors are embedded first (a one-off per saved search; timed apart). Then the clock
starts and the last `--new` papers of the corpus go through the worker's path: ingest (the
file source), embed (search.indexing), match (alerts.matching), webhooks (alerts.webhooks);
one saved search's private feed is then read over HTTP (the Django test client).

Prints each phase's seconds, minutes from the start of the ingest to the matches being in the
feeds and to the last webhook received, matches per saved search, and the receiver's count.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "data" / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"
os.environ.setdefault("DAILYPAPERS_HOME", tempfile.mkdtemp(prefix="dailypapers-bench-freshness-"))
os.environ.setdefault("SECRET_KEY", "bench-secret-key-long-enough-for-the-settings-check-0123")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DAILYPAPERS_WEBHOOK_ALLOW_PRIVATE_HOSTS", "1")  # the receiver is on loopback
os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"

STOP = set(
    "a an and are as at be by can do for from has have how in into is it its of on or the their this to via "
    "we what when which with without towards using based under over new our".split()
)


def receiver(port_queue, stop, result_queue) -> None:
    """Count complete POSTs and remember when the last one arrived."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = {"count": 0, "first": None, "last": None, "ids": set()}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            if len(self.rfile.read(length)) == length:
                with lock:
                    now = time.time()
                    seen["count"] += 1
                    seen["ids"].add(self.headers.get("X-Dailypapers-Delivery"))
                    seen["first"] = seen["first"] or now
                    seen["last"] = now
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port_queue.put(server.server_address[1])
    stop.wait()
    server.shutdown()
    result_queue.put(
        {"count": seen["count"], "distinct": len(seen["ids"]), "first": seen["first"], "last": seen["last"]}
    )


def corpus_split(new: int) -> tuple[list[str], list[dict]]:
    """(the newest `new` lines, titles of earlier papers for queries)."""
    with gzip.open(CORPUS, "rt") as handle:
        lines = handle.readlines()
    lines.sort(key=lambda line: json.loads(line)["listing_date"])
    return lines[-new:], [json.loads(line) for line in lines[-new - 20000 : -new]]


def make_saved_searches(earlier: list[dict], count: int, hooks: int, hook_url: str, rng: random.Random) -> None:
    from django.contrib.auth import get_user_model

    from dailypapers.alerts.models import SavedSearch, Webhook
    from dailypapers.alerts.saved import start_matching_here

    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"member{i}", email=f"member{i}@example.org") for i in range(500)
    )
    rows = []
    for i in range(count):
        paper = rng.choice(earlier)
        words = [w for w in paper["title"].replace(":", " ").replace(",", " ").split() if w.lower() not in STOP]
        query = " ".join(words[: rng.choice((2, 3, 4))]) or paper["title"][:40]
        mode = rng.choices(["hybrid", "keyword", "meaning"], weights=[4, 3, 3])[0]
        category = paper["categories"][0] if i % 10 == 0 else ""
        rows.append(
            SavedSearch(user=users[i % len(users)], name=query[:200], query=query[:500], mode=mode, category=category)
        )
    SavedSearch.objects.bulk_create(rows, batch_size=2000)
    start_matching_here()
    chosen = rng.sample(sorted(SavedSearch.objects.values_list("id", flat=True)), min(hooks, count))
    Webhook.objects.bulk_create(Webhook(saved_search_id=pk, url=hook_url) for pk in chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saved", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--hooks", type=int, default=500)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"the shared corpus is not at {CORPUS}")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from dailypapers.alerts.matching import match_new_papers, query_vectors
    from dailypapers.alerts.models import SavedSearch, SavedSearchMatch, WebhookDelivery
    from dailypapers.alerts.webhooks import deliver_due
    from dailypapers.catalog.models import Paper
    from dailypapers.ingest.run import ingest_records
    from dailypapers.ingest.sources.files import read_file
    from dailypapers.search.indexing import embed_pending

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    new_lines, earlier = corpus_split(args.new)
    new_file = Path(os.environ["DAILYPAPERS_HOME"]) / "new.jsonl.gz"
    with gzip.open(new_file, "wt") as handle:
        handle.writelines(new_lines)

    ports, stop, results = multiprocessing.Queue(), multiprocessing.Event(), multiprocessing.Queue()
    child = multiprocessing.Process(target=receiver, args=(ports, stop, results), daemon=True)
    child.start()
    hook_url = f"http://127.0.0.1:{ports.get(timeout=30)}/hook"

    print(
        f"database: {connection.vendor}; {args.saved} saved searches, {args.hooks} with a webhook; "
        f"{args.new} new papers"
    )
    started = time.perf_counter()
    make_saved_searches(earlier, args.saved, args.hooks, hook_url, rng)
    print(f"setup: saved searches created in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    query_vectors(list(SavedSearch.objects.all()))
    print(f"one-off: {args.saved} query vectors embedded in {time.perf_counter() - started:.1f} s (kept on the rows)")

    t0 = time.time()
    ingest = ingest_records(read_file(new_file), label="new", progress=False, stderr=open(os.devnull, "w"))  # noqa: SIM115
    t_ingest = time.time()
    embedded = embed_pending()
    t_embed = time.time()
    matched = match_new_papers()
    t_match = time.time()
    token = SavedSearch.objects.filter(matches__isnull=False).values_list("feed_token", flat=True).first()
    feed = Client().get(f"/feeds/saved/{token}.rss", HTTP_HOST="localhost") if token else None
    t_feed = time.time()
    delivered = deliver_due()
    t_hooks = time.time()
    stop.set()
    received = results.get(timeout=60)
    child.join(timeout=10)

    per_search = list(SavedSearchMatch.objects.values_list("saved_search_id", flat=True))
    counts = {}
    for sid in per_search:
        counts[sid] = counts.get(sid, 0) + 1
    values = sorted(counts.values()) or [0]
    kinds = dict.fromkeys(("words", "meaning", "filters"), 0)
    for kind in SavedSearchMatch.objects.values_list("kind", flat=True):
        kinds[kind] += 1
    # How many (saved search, paper) pairs each similarity threshold would call close in meaning
    # (the matcher uses matching.MEANING_THRESHOLD), from the same vectors the matcher used.
    import numpy as np

    from dailypapers.alerts.matching import Matcher, MatchReport
    from dailypapers.search.service import paper_vectors

    vectors = paper_vectors(list(Paper.objects.order_by("-id").values_list("id", flat=True)[: args.new]))
    matrix = Matcher(MatchReport()).matrix
    if matrix is not None and vectors:
        similarity = matrix @ np.stack(list(vectors.values())).T
        for floor in (0.30, 0.40, 0.45, 0.50):
            print(f"pairs close in meaning at similarity ≥ {floor:.2f}: {int((similarity >= floor).sum())}")
    print(f"ingest: {ingest.stats.created} papers in {t_ingest - t0:.1f} s")
    print(f"embed: {embedded.embedded} papers in {t_embed - t_ingest:.1f} s ({embedded.papers_per_second:.1f}/s)")
    print(
        f"match: {matched.papers} papers × {matched.saved_searches} saved searches in {t_match - t_embed:.2f} s → "
        f"{matched.matches} matches ({kinds}), {matched.deliveries} webhook deliveries queued"
    )
    print(
        f"matches per saved search: {len(counts)} of {args.saved} matched something; "
        f"median {statistics.median(values)}, p90 {values[int(len(values) * 0.9)]}, max {values[-1]}"
    )
    print(f"feed: one saved search's RSS answered {feed.status_code if feed else '-'} in {t_feed - t_match:.2f} s")
    print(
        f"webhooks: {delivered.sent} sent, {delivered.failed} failed in {t_hooks - t_feed:.1f} s; receiver got "
        f"{received['count']} ({received['distinct']} distinct deliveries); "
        f"{WebhookDelivery.objects.filter(state='sent').count()} rows sent"
    )
    print(f"minutes from ingest start to matches in the feeds: {(t_match - t0) / 60:.2f}")
    last = received["last"] or t_hooks
    print(f"minutes from ingest start to the last webhook received: {(last - t0) / 60:.2f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
