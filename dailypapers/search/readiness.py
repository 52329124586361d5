"""The search part of /readyz (dailypapers.ops calls `vector_index_ready`).

Search answers without the model or the vector index (keyword results, with a notice), so
neither makes a worker unready; the detail says what is missing so an operator sees it.
Cheap by design: two COUNTs and two file checks, no index or model loaded.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from dailypapers.search import embedder
from dailypapers.search.coverage import index_coverage
from dailypapers.search.embedder import MODEL_NAME


def vector_index_ready() -> tuple[bool, str]:
    coverage = index_coverage()
    embedded = coverage.embedded
    parts = [f"{embedded}/{coverage.papers} papers embedded"]
    if not Path(embedder.MODEL_PATH).is_file():
        parts.append(f"model file missing ({embedder.MODEL_PATH}): keyword search only")
    index_file = Path(settings.SEARCH_INDEX_DIR) / f"{MODEL_NAME}.usearch"
    if embedded and not index_file.exists():
        parts.append("vector index file not built yet (each worker builds it in memory; `dailypapers index` saves it)")
    return True, "; ".join(parts)
