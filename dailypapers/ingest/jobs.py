"""Periodic ingest jobs named in settings.DAILYPAPERS_SCHEDULE and run by `dailypapers worker`.

Plain functions without arguments. Re-running one is harmless: the upsert changes nothing for
papers already in the catalogue, so an hourly run only adds what arXiv announced since.
"""

from __future__ import annotations

import io
import logging

import arxiv
import requests
from django.conf import settings

from dailypapers.ingest.run import ingest_records
from dailypapers.ingest.sources.arxiv_api import fetch_recent

log = logging.getLogger("dailypapers.ingest")

# The last two listing days: an hourly run then also picks up late replacements (new versions).
SCHEDULED_DAYS = 2


def ingest_arxiv() -> dict:
    """Fetch the last listing days of settings.ARXIV_CATEGORIES from the arXiv API."""
    errors = io.StringIO()
    try:
        report = ingest_records(
            fetch_recent(list(settings.ARXIV_CATEGORIES), days=SCHEDULED_DAYS),
            label="arxiv",
            progress=False,
            stderr=errors,
        )
    except (requests.RequestException, arxiv.HTTPError, arxiv.UnexpectedEmptyPageError) as exc:
        # Offline (a laptop demo on a corpus file) or arXiv down: one line, and the next hourly
        # run tries again; what earlier batches committed stays.
        log.warning("scheduled arXiv ingest: arXiv unreachable, next try in an hour: %s", exc)
        return {"error": f"arXiv unreachable: {exc}"}
    log.info("scheduled arXiv ingest: %s", report.summary())
    for line in errors.getvalue().splitlines():
        log.warning("scheduled arXiv ingest: %s", line)
    return {
        "seen": report.stats.seen,
        "created": report.stats.created,
        "updated": report.stats.updated,
        "skipped": report.skipped,
    }
