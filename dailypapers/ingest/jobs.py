"""Periodic ingest jobs named in settings.DAILYPAPERS_SCHEDULE and run by `dailypapers worker`.

Plain functions without arguments. Re-running one is harmless: the upsert changes nothing for
papers already in the catalogue, so an hourly run only adds what arXiv announced since.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings

from dailypapers.ingest.run import ingest_records
from dailypapers.ingest.sources.arxiv_api import fetch_recent

log = logging.getLogger("dailypapers.ingest")

# The last two listing days: an hourly run then also picks up late replacements (new versions).
SCHEDULED_DAYS = 2


def ingest_arxiv() -> dict:
    """Fetch the last listing days of settings.ARXIV_CATEGORIES from the arXiv API."""
    errors = io.StringIO()
    report = ingest_records(fetch_recent(list(settings.ARXIV_CATEGORIES), days=SCHEDULED_DAYS),
                            label="arxiv", progress=False, stderr=errors)
    log.info("scheduled arXiv ingest: %s", report.summary())
    for line in errors.getvalue().splitlines():
        log.warning("scheduled arXiv ingest: %s", line)
    return {"seen": report.stats.seen, "created": report.stats.created, "updated": report.stats.updated,
            "skipped": report.skipped}
