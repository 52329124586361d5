"""Embedding what is pending, newest listing day first, by one worker or several at once.

Pending papers (no embedding of their current text) are queued in `EmbeddingTask` with their
listing day. A worker claims the newest tasks a chunk at a time, so the days a reader opens
first are embedded first: on the 74,728-paper corpus a listing day holds about 230 papers,
10-20 s of embedding on 2 cores, where the old order (by id) reached today's papers last.
Within a chunk, texts already embedded (by hash) are linked without running the model, and
the rest are embedded in batches sorted by length (a batch pads to similar lengths).
With keywords on (settings.SEARCH_KEYWORDS), each paper embedded or linked also gets its
keywords (search/keywords.py) from the vector just made, written in the same transaction, so a
paper whose text changed gets new keywords when it is re-embedded.

Parallel workers (PostgreSQL): a claim is `SELECT … FOR UPDATE SKIP LOCKED`, held in one
transaction while the chunk is embedded and written. Another worker skips locked tasks, so
no paper is embedded twice; a worker that dies (even kill -9) loses its connection, the
transaction rolls back, and its chunk is claimable again at once. SQLite has no row locks
and one writer: claims there lock nothing (run one worker; a second would only repeat work,
stored once by the unique keys), and each batch commits by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from dailypapers.catalog.keywords import save_keywords
from dailypapers.catalog.models import Paper
from dailypapers.search.embedder import MODEL_NAME, Embedder, get_embedder, paper_text, text_hash
from dailypapers.search.keywords import keywords_of
from dailypapers.search.models import Embedding, EmbeddingTask, PaperEmbedding
from dailypapers.search.vectors import vectors_of_papers

# A claim is this many model batches: enough to sort by length usefully (padding), little
# enough that a killed worker's rolled-back chunk is seconds of work (128 papers at 14-32/s).
CLAIM_BATCHES = 4
# Papers per model call (`dailypapers index --batch-size` overrides it): 32 abstracts of at most
# 256 tokens keep onnxruntime's matrix products large while padding to the longest text in
# the batch wastes little.
EMBED_BATCH_SIZE = 32
# A long run (a backfill: 40 minutes for 75k papers on 2 cores, a day for all of arXiv) looks
# for newly ingested papers this often, so a new listing day waits a minute, not the backfill.
REQUEUE_SECONDS = 60.0


@dataclass
class IndexReport:
    pending: int = 0  # queued when the run started
    linked: int = 0  # texts embedded before: linked without running the model
    embedded: int = 0
    keyworded: int = 0  # papers whose keywords were written
    seconds: float = 0.0

    @property
    def papers_per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds else 0.0


def pending_papers(model: str = MODEL_NAME):
    done = PaperEmbedding.objects.filter(model=model).values("paper_id")
    return Paper.objects.exclude(id__in=done)


def enqueue_pending(model: str = MODEL_NAME) -> int:
    """Queue every pending paper not queued yet (idempotent); returns the queue's length."""
    if connection.vendor == "postgresql":
        day, insert, conflict = "p.published::date", "INSERT INTO", "ON CONFLICT DO NOTHING"
    else:
        day, insert, conflict = "DATE(p.published)", "INSERT OR IGNORE INTO", ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"{insert} search_embeddingtask (paper_id, model, day) "
            f"SELECT p.id, %s, COALESCE(p.listing_date, p.featured_on, {day}, %s) FROM catalog_paper p "
            "WHERE NOT EXISTS (SELECT 1 FROM search_paperembedding pe WHERE pe.paper_id = p.id AND pe.model = %s) "
            "AND NOT EXISTS (SELECT 1 FROM search_embeddingtask t WHERE t.paper_id = p.id AND t.model = %s) "
            f"{conflict}",
            [model, "0001-01-01", model, model],
        )
    return EmbeddingTask.objects.filter(model=model).count()


@contextmanager
def claimed_tasks(model: str, count: int) -> Iterator[list[tuple[int, int]]]:
    """(task id, paper id) of the `count` newest unclaimed tasks. On PostgreSQL they stay
    locked (and the work done inside commits) until the block ends; see the module docstring."""
    order = EmbeddingTask.objects.filter(model=model).order_by("-day", "-paper_id")
    if not connection.features.has_select_for_update_skip_locked:
        yield list(order.values_list("id", "paper_id")[:count])
        return
    with transaction.atomic():
        yield list(order.select_for_update(skip_locked=True).values_list("id", "paper_id")[:count])


def _link(pairs: list[tuple[int, str]], model: str) -> None:
    """Create PaperEmbedding rows; a paper linked meanwhile by another run is skipped."""
    rows = [PaperEmbedding(paper_id=pid, model=model, text_hash=h) for pid, h in pairs]
    PaperEmbedding.objects.bulk_create(rows, ignore_conflicts=True)


def _embed_chunk(
    tasks: list[tuple[int, int]],
    embedder: Embedder,
    batch_size: int,
    report: IndexReport,
    progress: Callable[[int], None] | None,
    with_keywords: bool = False,
) -> None:
    """Embed (or link) the papers of claimed tasks, then drop the tasks."""
    model = embedder.name
    paper_ids = [pid for _, pid in tasks]
    done = set(PaperEmbedding.objects.filter(model=model, paper_id__in=paper_ids).values_list("paper_id", flat=True))
    fields = {
        pid: (title, abstract)
        for pid, title, abstract in Paper.objects.filter(id__in=paper_ids).values_list("id", "title", "abstract")
        if pid not in done
    }  # a paper gone or embedded since it was queued: nothing to do
    texts = {pid: paper_text(title, abstract) for pid, (title, abstract) in fields.items()}
    hashes = {pid: text_hash(text) for pid, text in texts.items()}
    known = set(
        Embedding.objects.filter(model=model, text_hash__in=set(hashes.values())).values_list("text_hash", flat=True)
    )
    linkable = [(pid, h) for pid, h in hashes.items() if h in known]
    if linkable:
        with transaction.atomic():
            _link(linkable, model)
            if with_keywords:
                vectors = vectors_of_papers([pid for pid, _ in linkable], model=model)
                found = keywords_of({pid: (*fields[pid], vectors.get(pid)) for pid, _ in linkable}, embedder)
                save_keywords(found)
                report.keyworded += len(found)
        report.linked += len(linkable)
        if progress:
            progress(len(linkable))
    todo = sorted(
        ((pid, hashes[pid], text) for pid, text in texts.items() if hashes[pid] not in known),
        key=lambda item: len(item[2]),
    )
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        unique: dict[str, str] = {h: text for _, h, text in batch}  # two papers, one text: embed once
        vectors = embedder.embed(list(unique.values()))
        by_hash = dict(zip(unique, vectors, strict=True))
        found = keywords_of({pid: (*fields[pid], by_hash[h]) for pid, h, _ in batch}, embedder) if with_keywords else {}
        with transaction.atomic():  # SQLite: this batch commits; PostgreSQL: a savepoint in the claim
            Embedding.objects.bulk_create(
                [
                    Embedding(model=model, text_hash=h, vector=np.asarray(v, dtype="<f4").tobytes())
                    for h, v in zip(unique, vectors, strict=False)
                ],
                ignore_conflicts=True,
            )
            _link([(pid, h) for pid, h, _ in batch], model)
            save_keywords(found)
        report.embedded += len(batch)
        report.keyworded += len(found)
        if progress:
            progress(len(batch))
    EmbeddingTask.objects.filter(id__in=[task_id for task_id, _ in tasks]).delete()


def embed_pending(
    *,
    embedder: Embedder | None = None,
    batch_size: int = EMBED_BATCH_SIZE,
    limit: int | None = None,
    max_seconds: float | None = None,
    progress: Callable[[int], None] | None = None,
    keywords: bool | None = None,
) -> IndexReport:
    """Embed pending papers, newest listing day first, until none is left (or `limit` papers
    were embedded or linked, or `max_seconds` have passed: the rest waits for the next run),
    with their keywords unless `keywords` is False (None: settings.SEARCH_KEYWORDS).
    Safe to run in several processes at once on PostgreSQL."""
    embedder = embedder or get_embedder()
    if keywords is None:
        keywords = settings.SEARCH_KEYWORDS
    report = IndexReport()
    started = time.perf_counter()
    report.pending = enqueue_pending(embedder.name)
    queued_at = time.monotonic()
    while limit is None or report.embedded + report.linked < limit:
        if max_seconds is not None and time.perf_counter() - started >= max_seconds:
            break
        if time.monotonic() - queued_at >= REQUEUE_SECONDS:
            enqueue_pending(embedder.name)
            queued_at = time.monotonic()
        wanted = batch_size * CLAIM_BATCHES
        if limit is not None:
            wanted = min(wanted, limit - report.embedded - report.linked)
        with claimed_tasks(embedder.name, wanted) as tasks:
            if not tasks:
                break
            _embed_chunk(tasks, embedder, batch_size, report, progress, with_keywords=keywords)
    report.seconds = time.perf_counter() - started
    return report
