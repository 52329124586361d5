"""CPU time per request of each endpoint class of bench/load.py's mix, measured in-process
with Django's test client (no HTTP, no server), on an already loaded site.

    DAILYPAPERS_HOME=/tmp/dailypapers-load-sqlite .venv/bin/python bench/request_cpu.py

(the SQLite site bench/load.py keeps; set DATABASE_URL for PostgreSQL). CPU time rather than
wall time, so that a busy shared machine disturbs it less; prints the median per class, the
mix's average and what one core can serve of the mix.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
os.environ.setdefault("SECRET_KEY", "load-bench-secret-key-0123456789-abcdefghijklmnop")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DAILYPAPERS_API_RATE_ANONYMOUS"] = ""

import django  # noqa: E402

django.setup()
from django.test import Client  # noqa: E402
from load import MIX  # noqa: E402  (bench/load.py, beside this file)

from dailypapers.catalog.models import Paper  # noqa: E402


def main() -> None:
    rng = random.Random(1)
    ids = list(Paper.objects.values_list("arxiv_id", flat=True)[:5000])
    days = sorted(set(Paper.objects.exclude(featured_on=None).values_list("featured_on", flat=True)))[-60:]
    if not ids or not days:
        raise SystemExit("no papers: load the corpus first (bench/load.py does)")
    urls = {
        "home": lambda: "/",
        "day": lambda: f"/papers?date={rng.choice(days)}",
        "paper": lambda: f"/papers/{rng.choice(ids)}",
        "search": lambda: (
            "/search?q="
            + rng.choice(
                ["graph neural", "protein folding", "language model agents", "diffusion image", "robot grasping"]
            )
        ),
        "trending": lambda: rng.choice(["/papers/trending", "/papers/trending?window=week"]),
        "api": lambda: rng.choice(
            [f"/api/daily_papers?date={rng.choice(days)}", f"/api/v1/papers/{rng.choice(ids)}", "/api/v1/trending"]
        ),
        "feeds": lambda: rng.choice(["/feeds/daily.rss", "/feeds/trending.atom", "/feeds/category/cs.LG.rss"]),
    }
    client = Client()
    average = 0.0
    for name, url in urls.items():
        client.get(url()), client.get(url())  # warm: templates, the search model
        spent = []
        for _ in range(15):
            started = time.process_time()
            response = client.get(url())
            spent.append((time.process_time() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        median = sorted(spent)[len(spent) // 2]
        average += MIX[name] * median
        print(f"{name:9} {median:6.1f} ms CPU per request (median of 15)")
    print(f"mix      {average:6.1f} ms CPU per request on average -> about {1000 / average:.0f} requests/s per core")


if __name__ == "__main__":
    main()
