"""Embedding what is pending: papers without an embedding of their current text.

Papers are read, their texts hashed, texts already embedded (by hash) are linked without
running the model, and the rest are embedded in batches sorted by length (so a batch pads
to similar lengths: less wasted compute). Each batch commits on its own, so Ctrl-C loses at
most one batch and the next run carries on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from dailypapers.catalog.models import Paper
from dailypapers.search.embedder import Embedder, MODEL_NAME, get_embedder, paper_text, text_hash
from dailypapers.search.models import Embedding, PaperEmbedding

READ_CHUNK = 2000


@dataclass
class IndexReport:
    pending: int = 0
    linked: int = 0  # texts embedded before: linked without running the model
    embedded: int = 0
    seconds: float = 0.0

    @property
    def papers_per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds else 0.0


def pending_papers(model: str = MODEL_NAME):
    done = PaperEmbedding.objects.filter(model=model).values("paper_id")
    return Paper.objects.exclude(id__in=done)


def _link(pairs: list[tuple[int, str]], model: str) -> None:
    """Create PaperEmbedding rows; a paper linked meanwhile by another run is skipped."""
    rows = [PaperEmbedding(paper_id=pid, model=model, text_hash=h) for pid, h in pairs]
    PaperEmbedding.objects.bulk_create(rows, ignore_conflicts=True)


def embed_pending(*, embedder: Embedder | None = None, batch_size: int = 32, limit: int | None = None,
                  progress: Callable[[int], None] | None = None, on_total: Callable[[int], None] | None = None) -> IndexReport:
    embedder = embedder or get_embedder()
    model = embedder.name
    report = IndexReport()
    started = time.perf_counter()
    todo: list[tuple[int, str, str]] = []  # (paper id, hash, text) needing the model
    queryset = pending_papers(model).order_by("id").values_list("id", "title", "abstract")
    if limit:
        queryset = queryset[:limit]
    rows = list(queryset)
    report.pending = len(rows)
    for start in range(0, len(rows), READ_CHUNK):
        chunk = [(pid, text) for pid, title, abstract in rows[start : start + READ_CHUNK] for text in [paper_text(title, abstract)]]
        hashes = {pid: text_hash(text) for pid, text in chunk}
        known = set(Embedding.objects.filter(model=model, text_hash__in=set(hashes.values())).values_list("text_hash", flat=True))
        linkable = [(pid, h) for pid, h in hashes.items() if h in known]
        if linkable:
            _link(linkable, model)
            report.linked += len(linkable)
            if progress:
                progress(len(linkable))
        todo += [(pid, hashes[pid], text) for pid, text in chunk if hashes[pid] not in known]
    if on_total:
        on_total(len(todo))
    todo.sort(key=lambda item: len(item[2]))
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        unique: dict[str, str] = {h: text for _, h, text in batch}  # two papers, one text: embed once
        vectors = embedder.embed(list(unique.values()))
        with transaction.atomic():
            Embedding.objects.bulk_create(
                [Embedding(model=model, text_hash=h, vector=np.asarray(v, dtype="<f4").tobytes()) for h, v in zip(unique, vectors)],
                ignore_conflicts=True,
            )
            _link([(pid, h) for pid, h, _ in batch], model)
        report.embedded += len(batch)
        if progress:
            progress(len(batch))
    report.seconds = time.perf_counter() - started
    return report

