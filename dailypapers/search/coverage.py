"""How much of the catalogue search by meaning covers, and what search does about it.

While `dailypapers index` works through a fresh corpus (74,728 papers take about 40 minutes
on 2 free cores), the meaning half of search knows only the papers embedded so far. Search
says so on the page, and weighs the meaning list in hybrid fusion by the share it covers, so
results lean on keyword matches while coverage is low and shift less as indexing goes on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection

from dailypapers.catalog.models import Paper
from dailypapers.search.embedder import MODEL_NAME
from dailypapers.search.models import PaperEmbedding

# Counting is cheap on a small catalogue (under a millisecond below this many papers), so
# small sites and tests always see fresh numbers; above it, two COUNTs (8 ms on SQLite at 75k
# papers, tens of ms on PostgreSQL at a million, paid by one search) are reused for
# CACHE_SECONDS: indexing a whole corpus takes the better part of an hour, and the share shown
# moves by under 2 % a minute.
CACHE_ABOVE_PAPERS = 20_000
CACHE_SECONDS = 60.0
# Below this share the search page says how much is indexed. A live site always has a few
# papers waiting for the next embedding run (every 15 minutes); that is no news to a reader.
NOTICE_BELOW = 0.99

_cache: dict[str, tuple[float, Coverage]] = {}


@dataclass(frozen=True)
class Coverage:
    embedded: int
    papers: int

    @property
    def share(self) -> float:
        return min(1.0, self.embedded / self.papers) if self.papers else 1.0

    def held(self, vectors: int) -> Coverage:
        """This coverage as a process whose index holds `vectors` sees it: a fresh process fills
        its index over several searches (vectors.CATCH_UP_SECONDS)."""
        return Coverage(embedded=min(self.embedded, vectors), papers=self.papers)

    def notice(self) -> str | None:
        """What the search page says while indexing is under way; None when nearly done."""
        if self.share >= NOTICE_BELOW:
            return None
        percent = f"{self.share:.0%}" if self.share >= 0.01 or not self.embedded else "under 1%"
        return (
            f"Search by meaning has indexed {self.embedded:,} of {self.papers:,} papers so far ({percent}): "
            "until indexing finishes, matches by meaning come from those only, and results may shift."
        )


def index_coverage(model: str = MODEL_NAME) -> Coverage:
    """Papers with an embedding of their current text, out of all papers (cached briefly at scale)."""
    key = f"{connection.vendor}:{connection.settings_dict.get('NAME')}:{model}"
    cached = _cache.get(key)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    coverage = Coverage(embedded=PaperEmbedding.objects.filter(model=model).count(), papers=Paper.objects.count())
    if coverage.papers >= CACHE_ABOVE_PAPERS:
        _cache[key] = (time.monotonic(), coverage)
    return coverage


def forget_index_coverage() -> None:
    _cache.clear()
