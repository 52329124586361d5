"""The worker's alerts jobs (settings.DAILYPAPERS_SCHEDULE).

`embed_and_match` is the "embed new papers" job: it embeds what is pending (search.jobs),
then matches the newly embedded papers against every saved search and delivers their
webhooks, so a new paper reaches its saved searches in the job that made it searchable.
`deliver_webhooks` runs every minute for retries that fell due.
"""

from __future__ import annotations

import logging

from dailypapers.alerts.locks import SenderBusy
from dailypapers.alerts.matching import match_new_papers
from dailypapers.alerts.webhooks import deliver_due
from dailypapers.search.jobs import embed_pending

log = logging.getLogger("dailypapers.alerts")


def match_and_deliver() -> dict:
    matched = match_new_papers()
    return {"alerts": matched.as_dict(), "webhooks": deliver_webhooks()}


def embed_and_match() -> dict:
    report = embed_pending()
    return {**report, **match_and_deliver()}


def deliver_webhooks() -> dict:
    try:
        return deliver_due().as_dict()
    except SenderBusy as exc:  # the previous run is still sending; it will pick these up
        log.info("webhooks: %s", exc)
        return {"busy": True}
