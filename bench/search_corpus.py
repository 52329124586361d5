"""Bench corpora for bench/search.py: the 74,728-paper shared corpus, grown to any size, and
synthetic vectors for the meaning half. Run by bench/search.py, never by the site.

Growing: papers are copied in SQL (`INSERT … SELECT`) with a new arXiv id (`<id>.c<k>`), so
the keyword index holds k copies of every posting list, as a real corpus k times larger with
the same vocabulary would. The triggers of the real schema index every copy.

Vectors without embedding every abstract (a million abstracts take days on 2 cores):
- title vectors (`--vectors titles`): every original paper's *title* embedded by the real
  model (a few minutes for 75k titles) and stored as its vector, as `dailypapers index` stores
  one; copies share their original's stored vector (the same text has the same hash, as in the
  real store). Queries then find papers at real cosines, above the similarity floor, so the
  meaning half returns hits, re-scores them and shows them: the whole path a site runs. In the
  HNSW index each copy gets its original's vector plus a little noise (cosine about 0.995), so
  the graph holds distinct points.
- random vectors (`--vectors synthetic`): a seeded random unit vector per paper, in the index
  only. Random vectors are the hard case for HNSW (no clusters to follow), but no query comes
  near one: the meaning half finds nothing above the floor and shows nothing, so its time is
  the query's embedding and the graph search alone.
Both are added straight to this process's in-memory HNSW index (the service's own
`VectorIndex`, same dtype and parameters) with a PaperEmbedding row per paper, so coverage is
complete and results map to papers; queries are embedded by the real model.
"""

from __future__ import annotations

import gzip
import hashlib
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
    from django.db import connection

    from dailypapers.search.embedder import DIMENSIONS, MODEL_NAME

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_paperembedding (paper_id, model, text_hash) SELECT p.id, %s, %s FROM catalog_paper p "
            "WHERE NOT EXISTS (SELECT 1 FROM search_paperembedding pe WHERE pe.paper_id = p.id AND pe.model = %s)",
            [MODEL_NAME, SYNTHETIC_HASH, MODEL_NAME],
        )
        cursor.execute("SELECT id, paper_id FROM search_paperembedding WHERE model = %s ORDER BY id", [MODEL_NAME])
        pairs = cursor.fetchall()
    rng = np.random.default_rng(seed)

    def vectors(chunk):
        drawn = rng.standard_normal((len(chunk), DIMENSIONS)).astype(np.float32)
        return drawn / np.linalg.norm(drawn, axis=1, keepdims=True)

    return _load_index(pairs, f"synthetic-{len(pairs)}", vectors, "synthetic")


def _load_index(pairs: list[tuple[int, int]], name: str, vectors, what: str) -> int:
    """This process's vector index holding a vector per (key, paper) pair, `vectors(chunk of
    pairs)` giving them 50,000 at a time, cached in a file beside the database (`name` makes it
    specific to how the vectors were made, the database and its size). Returns its size."""
    from django.conf import settings

    from dailypapers.search.vectors import INDEX_DTYPE, get_vector_index

    index = get_vector_index(caught_up=False)
    database = hashlib.blake2b(index._database_identity().encode(), digest_size=4).hexdigest()
    # Keys differ by database; and a file of another vector type would load as that type (the
    # int8 files of before 3 Dec 2026 did, unnoticed, into the half-precision index).
    cache = Path(settings.SEARCH_INDEX_DIR) / f"{name}-{INDEX_DTYPE}-{database}.usearch"
    if cache.exists():
        index.index.load(str(cache))
    else:
        started = time.perf_counter()
        for start in range(0, len(pairs), 50_000):
            chunk = pairs[start : start + 50_000]
            index.index.add(np.array([key for key, _ in chunk], dtype=np.uint64), vectors(chunk))
            rate = (start + len(chunk)) / (time.perf_counter() - started)
            print(f"  HNSW: {start + len(chunk):,} of {len(pairs):,} {what} vectors ({rate:,.0f}/s)", flush=True)
        cache.parent.mkdir(parents=True, exist_ok=True)
        index.index.save(str(cache))
    index.paper_of = dict(pairs)
    index.key_of_paper = {paper: key for key, paper in pairs}
    index.seen_state = index._database_state()  # in step: no catch-up reads what is loaded or absent
    index.checked_at = time.monotonic()
    return len(index)


TITLE_BATCH = 256
# The noise added to a copy's vector in the HNSW index (its norm before normalising).
COPY_NOISE = 0.1


def title_vectors(*, seed: int = 7) -> int:
    """Every paper a stored vector of its title (see the module's docstring), and this process's
    vector index loaded with them (cached in a file beside the database); resumable. Returns
    the index's size."""
    from django.db import connection, transaction

    from dailypapers.catalog.models import Paper
    from dailypapers.search.embedder import DIMENSIONS, MODEL_NAME, get_embedder, paper_text, text_hash
    from dailypapers.search.models import Embedding, PaperEmbedding

    PaperEmbedding.objects.filter(model=MODEL_NAME, text_hash=SYNTHETIC_HASH).delete()
    done = PaperEmbedding.objects.filter(model=MODEL_NAME).values("paper_id")
    rows = sorted(
        Paper.objects.filter(source="file").exclude(id__in=done).values_list("id", "title", "abstract"),
        key=lambda row: len(row[1]),
    )
    embedder, started = get_embedder(), time.perf_counter()
    for start in range(0, len(rows), 4096):
        chunk = rows[start : start + 4096]
        vectors = np.concatenate(
            [embedder.embed([t for _, t, _ in chunk[i : i + TITLE_BATCH]]) for i in range(0, len(chunk), TITLE_BATCH)]
        )
        hashes = [text_hash(paper_text(title, abstract)) for _, title, abstract in chunk]
        with transaction.atomic():
            Embedding.objects.bulk_create(
                [
                    Embedding(model=MODEL_NAME, text_hash=h, vector=v.astype("<f4").tobytes())
                    for h, v in zip(hashes, vectors, strict=True)
                ],
                ignore_conflicts=True,
            )
            PaperEmbedding.objects.bulk_create(
                [
                    PaperEmbedding(paper_id=row[0], model=MODEL_NAME, text_hash=h)
                    for row, h in zip(chunk, hashes, strict=True)
                ],
                ignore_conflicts=True,
            )
        done_now = start + len(chunk)
        rate = done_now / (time.perf_counter() - started)
        print(f"  titles: {done_now:,} of {len(rows):,} embedded ({rate:,.0f}/s)", flush=True)
    original = (
        "split_part(p.arxiv_id, '.c', 1)"
        if connection.vendor == "postgresql"
        else "substr(p.arxiv_id, 1, instr(p.arxiv_id, '.c') - 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_paperembedding (paper_id, model, text_hash) "
            f"SELECT p.id, %s, pe.text_hash FROM catalog_paper p JOIN catalog_paper b ON b.arxiv_id = {original} "
            "JOIN search_paperembedding pe ON pe.paper_id = b.id AND pe.model = %s "
            "WHERE p.source = 'copy' AND NOT EXISTS "
            "(SELECT 1 FROM search_paperembedding x WHERE x.paper_id = p.id AND x.model = %s)",
            [MODEL_NAME, MODEL_NAME, MODEL_NAME],
        )
        cursor.execute(
            "SELECT id, paper_id, text_hash FROM search_paperembedding WHERE model = %s ORDER BY id", [MODEL_NAME]
        )
        links = cursor.fetchall()
        cursor.execute("SELECT text_hash, vector FROM search_embedding WHERE model = %s", [MODEL_NAME])
        stored = {h: np.frombuffer(bytes(blob), dtype="<f4") for h, blob in cursor.fetchall()}
    rng, seen = np.random.default_rng(seed), set()
    hash_of = {key: h for key, _, h in links}

    def vectors(chunk):
        made = np.stack([stored[hash_of[key]] for key, _ in chunk]).astype(np.float32)
        repeated = np.array([hash_of[key] in seen for key, _ in chunk])
        seen.update(hash_of[key] for key, _ in chunk)
        noise = rng.standard_normal(made.shape).astype(np.float32) * (COPY_NOISE / DIMENSIONS**0.5)
        made[repeated] += noise[repeated]
        return made / np.linalg.norm(made, axis=1, keepdims=True)

    return _load_index([(key, paper) for key, paper, _ in links], f"titles-{len(links)}", vectors, "title")
