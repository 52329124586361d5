"""Load shedding: paper-page latency while 8 threads flood hybrid search, with and without it.

    .venv/bin/python bench/shedding.py [--seconds 15] [--papers 3000]

A scratch SQLite site (tests/crash/scratch.py) with N synthetic papers, `dailypapers serve`
with 2 workers. For each setting, 8 threads send hybrid searches (a new query each time) as
fast as answers come, while one reader asks for paper pages one after another; prints the
reader's median and 95th-percentile latency and what the searches got (200 / 503). "off" is
DAILYPAPERS_SEARCH_CONCURRENCY=64 (no shedding), "on" the default (half the cores). The
per-client search limit is off in both (the flood shares one address).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.crash.scratch import drop_scratch, make_scratch, write_corpus  # noqa: E402


def fetch(url: str, timeout: float = 60) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (TimeoutError, urllib.error.URLError):
        return 0  # no answer in time


def measure(base: str, seconds: float) -> tuple[list[float], Counter]:
    stop = time.monotonic() + seconds
    statuses: Counter = Counter()
    latencies: list[float] = []

    def flood(number: int) -> None:
        count = 0
        while time.monotonic() < stop:
            count += 1
            statuses[fetch(f"{base}/search?q=neural+paper+{number}+{count}&mode=hybrid")] += 1

    threads = [threading.Thread(target=flood, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    paper = 1
    while time.monotonic() < stop:
        started = time.perf_counter()
        fetch(f"{base}/papers/2507.{paper:05d}")
        latencies.append((time.perf_counter() - started) * 1000)
        paper = paper % 50 + 1
    for thread in threads:
        thread.join()
    return latencies, statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--papers", type=int, default=3000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="dailypapers-shedding-"))
    site = make_scratch(home / "site")
    try:
        site.run(
            "ingest", "--no-progress", "file", str(write_corpus(home / "papers.jsonl.gz", args.papers, prefix="2507"))
        )
        for label, concurrency in (("off", "64"), ("on", "0")):
            env = {"DAILYPAPERS_SEARCH_RATE": "", "DAILYPAPERS_SEARCH_CONCURRENCY": concurrency}
            with site.server(workers=2, env=env) as (_, base):
                for _ in range(2):  # loads the model in both workers (the first search takes seconds)
                    fetch(f"{base}/search?q=warm+up&mode=hybrid", timeout=300)
                quiet = [measure_one(base) for _ in range(20)]
                latencies, statuses = measure(base, args.seconds)
            p95 = statistics.quantiles(latencies, n=20)[-1]
            print(
                f"shedding {label}: paper page alone {statistics.median(quiet):.0f} ms; during the flood median "
                f"{statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms ({len(latencies)} pages); "
                f"searches {dict(sorted(statuses.items()))}"
            )
    finally:
        drop_scratch(site)
    return 0


def measure_one(base: str) -> float:
    started = time.perf_counter()
    fetch(f"{base}/papers/2507.00001")
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    sys.exit(main())
