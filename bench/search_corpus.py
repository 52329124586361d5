"""Bench corpora for bench/search.py: the 74,728-paper shared corpus, grown to any size, and
synthetic vectors for the meaning half. Run by bench/search.py, never by the site.

Growing: papers are copied in SQL (`INSERT … SELECT`) with a new arXiv id (`<id>.c<k>`), so
the keyword index holds k copies of every posting list, as a real corpus k times larger with
the same vocabulary would. The triggers of the real schema index every copy.

Synthetic vectors: embedding a million abstracts takes days on 2 cores, so the bench can give
every paper a random unit vector (seeded) instead, added straight to this process's in-memory
HNSW index (the service's own `VectorIndex`, same dtype and parameters) with a PaperEmbedding
row per paper, so coverage is complete and results map to papers. Queries are still embedded
by the real model. Random vectors are the hard case for HNSW (no clusters to follow).
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import numpy as np

SYNTHETIC_HASH = "synthetic"


def load_corpus(path: Path, *, limit: int = 74_728) -> None:
    """The shared corpus (its first `limit` papers) through the ORM, so the real triggers fill
    the keyword index; resumable."""
    import datetime as dt

    from dailypapers.catalog.models import Paper

    known = set(Paper.objects.filter(source="file").values_list("arxiv_id", flat=True))
    if len(known) >= min(limit, 74_000):
        return
    print(f"loading {path.name} ({len(known)} papers already in the bench database)", flush=True)
    batch = []
    with gzip.open(path, "rt") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            record = json.loads(line)
            if record["id"] in known:
                continue
            batch.append(
                Paper(
                    arxiv_id=record["id"],
                    title=" ".join(record["title"].split()),
                    abstract=record["summary"],
                    authors_text=", ".join(record["authors"]),
                    categories=record["categories"],
                    primary_category=record["categories"][0] if record["categories"] else "",
                    listing_date=dt.date.fromisoformat(record["listing_date"]),
                    comment=record.get("comment") or "",
                    source="file",
                )
            )
            if len(batch) == 2000:
                Paper.objects.bulk_create(batch)
                batch = []
    Paper.objects.bulk_create(batch)


def grow_to(scale: int) -> None:
    """Copy the shared corpus until the catalogue holds `scale` papers (copies are source 'copy');
    one transaction per copy, so an interrupted run resumes at the copy it was making."""
    from django.db import connection, transaction

    from dailypapers.catalog.models import Paper

    base = Paper.objects.filter(source="file").count()
    columns = ", ".join(f.column for f in Paper._meta.concrete_fields if f.column not in ("id", "arxiv_id", "source"))
    copy = 0
    while (have := Paper.objects.count()) < scale:
        copy += 1
        if Paper.objects.filter(
            arxiv_id=Paper.objects.filter(source="file").order_by("id")[0].arxiv_id + f".c{copy}"
        ).exists():
            continue
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO catalog_paper (arxiv_id, source, {columns}) "
                f"SELECT arxiv_id || %s, 'copy', {columns} FROM catalog_paper "
                "WHERE source = 'file' ORDER BY id LIMIT %s",
                [f".c{copy}", min(base, scale - have)],
            )
        added = Paper.objects.count() - have
        print(
            f"  {have + added:,} of {scale:,} papers "
            f"(copy {copy}: {added / (time.perf_counter() - started):,.0f} papers/s)",
            flush=True,
        )


def synthetic_vectors(*, seed: int = 7) -> int:
    """Give every paper without one a PaperEmbedding row, and load this process's vector index
    with a random unit vector per row (cached in a file beside the database). Returns its size."""
    from django.conf import settings
    from django.db import connection

    from dailypapers.search.embedder import DIMENSIONS, MODEL_NAME
    from dailypapers.search.vectors import get_vector_index

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_paperembedding (paper_id, model, text_hash) SELECT p.id, %s, %s FROM catalog_paper p "
            "WHERE NOT EXISTS (SELECT 1 FROM search_paperembedding pe WHERE pe.paper_id = p.id AND pe.model = %s)",
            [MODEL_NAME, SYNTHETIC_HASH, MODEL_NAME],
        )
        cursor.execute("SELECT id, paper_id FROM search_paperembedding WHERE model = %s ORDER BY id", [MODEL_NAME])
        pairs = cursor.fetchall()
    index = get_vector_index(caught_up=False)
    cache = Path(settings.SEARCH_INDEX_DIR) / f"synthetic-{len(pairs)}.usearch"
    keys = np.array([key for key, _ in pairs], dtype=np.uint64)
    if cache.exists():
        index.index.load(str(cache))
    else:
        rng = np.random.default_rng(seed)
        started = time.perf_counter()
        for start in range(0, len(keys), 50_000):
            chunk = rng.standard_normal((min(50_000, len(keys) - start), DIMENSIONS)).astype(np.float32)
            chunk /= np.linalg.norm(chunk, axis=1, keepdims=True)
            index.index.add(keys[start : start + len(chunk)], chunk)
            print(
                f"  HNSW: {start + len(chunk):,} of {len(keys):,} synthetic vectors "
                f"({(start + len(chunk)) / (time.perf_counter() - started):,.0f}/s)",
                flush=True,
            )
        cache.parent.mkdir(parents=True, exist_ok=True)
        index.index.save(str(cache))
    index.paper_of = dict(pairs)
    index.key_of_paper = {paper: key for key, paper in pairs}
    index.seen_state = index._database_state()  # in step: no catch-up reads the (absent) vectors
    index.checked_at = time.monotonic()
    return len(index)
