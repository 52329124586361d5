"""Time topic pages (`/topics/<keyword>`) on the whole shared corpus with synthetic keywords.

Run: .venv/bin/python bench/topic_pages.py [PATH.jsonl.gz]
Loads the 74,728 papers as bench/pages.py does, then gives every paper 4 keywords drawn from a
Zipf law over 30,000 made-up ones (extracting the real ones takes an hour of CPU here; the
page's cost depends on how many papers carry a keyword, which the law spreads from thousands
to one), and prints milliseconds per request (median of 5) and queries for the commonest, a
middling and a rare keyword, and a later page of the commonest; the page cache is off.
"""

from __future__ import annotations

import json
import random
import time

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from pages import CORPUS, load, measure  # bench/pages.py: sets Django up, loads, times

from dailypapers.catalog.models import Paper, PaperKeyword  # noqa: E402

VOCABULARY, PER_PAPER = 30_000, 4


def give_keywords() -> None:
    started = time.perf_counter()
    rng = random.Random(16)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(VOCABULARY)]
    rows, papers = [], []
    for pid in Paper.objects.values_list("id", flat=True):
        ranks = list(dict.fromkeys(rng.choices(range(VOCABULARY), weights=weights, k=PER_PAPER)))
        keywords = [f"keyword {rank}" for rank in ranks]
        rows.extend(PaperKeyword(paper_id=pid, keyword=k, position=i, score=0.5) for i, k in enumerate(keywords))
        papers.append(Paper(pk=pid, keywords=keywords))
    PaperKeyword.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:  # bulk_update's CASE over 75k rows took minutes
        cursor.executemany(
            "UPDATE catalog_paper SET keywords = %s WHERE id = %s", [(json.dumps(p.keywords), p.pk) for p in papers]
        )
    print(f"gave {len(rows):,} keywords in {time.perf_counter() - started:.1f} s")


def main() -> None:
    load(CORPUS)
    give_keywords()
    sizes = PaperKeyword.objects.values("keyword").annotate(n=Count("id")).order_by("-n")
    common, middle = sizes[0], sizes[len(sizes) // 100]
    rare = sizes.order_by("n", "keyword")[0]
    settings.PAGE_CACHE_SECONDS = 0  # time the page itself, not the anonymous page cache
    client = Client()
    for row in (common, middle, rare):
        print(f"{row['keyword']!r}: {row['n']} papers")
        measure(client, f"/topics/{row['keyword'].replace(' ', '%20')}")
    measure(client, f"/topics/{common['keyword'].replace(' ', '%20')}?page=20")


if __name__ == "__main__":
    main()
