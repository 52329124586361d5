"""Periodic search jobs the worker runs (see settings.DAILYPAPERS_SCHEDULE)."""

from __future__ import annotations

from dailypapers.search.indexing import embed_pending as _embed
from dailypapers.search.vectors import get_vector_index


def embed_pending() -> dict:
    """Embed new or changed papers and save the caught-up vector index."""
    report = _embed()
    state = get_vector_index(caught_up=False).catch_up(save=True)
    return {"embedded": report.embedded, "linked": report.linked, "index_size": state["size"]}
