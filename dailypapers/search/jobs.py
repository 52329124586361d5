"""Periodic search jobs the worker runs (see settings.DAILYPAPERS_SCHEDULE)."""

from __future__ import annotations

from dailypapers.search.indexing import embed_pending as _embed
from dailypapers.search.vectors import get_vector_index

# The schedule starts this job every 15 minutes whether or not the last run is still going; a
# backfill of 74k papers takes hours here, so unbounded runs took both of the worker's slots
# and digests waited behind them. A run stops after 12 minutes; the next one goes on.
JOB_SECONDS = 12 * 60


def embed_pending() -> dict:
    """Embed new or changed papers (and extract their keywords, settings.SEARCH_KEYWORDS) and
    save the caught-up vector index."""
    report = _embed(max_seconds=JOB_SECONDS)
    state = get_vector_index(caught_up=False).catch_up(save=True)
    return {
        "embedded": report.embedded,
        "linked": report.linked,
        "keyworded": report.keyworded,
        "index_size": state["size"],
    }
