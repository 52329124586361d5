"""The worker's path: the scheduled "embed new papers" job embeds, matches and posts webhooks in
one run; "webhook retries" sends what fell due; both are on the one schedule."""

from __future__ import annotations

import pytest
from django.conf import settings

from dailypapers.alerts import jobs
from dailypapers.alerts.hooks import add_webhook
from dailypapers.alerts.saved import save_search
from tests.alerts.conftest import DAY, NEW_PAPERS
from tests.alerts.receiver import Receiver
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def test_the_embed_job_matches_new_papers_and_posts_their_webhooks(member, embedder, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    saved = save_search(user=member, params={"q": "quantum surface codes", "mode": "keyword"})
    with Receiver() as receiver:
        add_webhook(saved, url=receiver.url)
        for fields in NEW_PAPERS:
            make_paper(day=DAY, **fields)
        report = jobs.embed_and_match()
        assert report["embedded"] == len(NEW_PAPERS)
        assert report["alerts"]["matches"] == 1 and report["webhooks"]["sent"] == 1
        (body,) = receiver.bodies()
        assert body["paper"]["title"] == "Surface codes for quantum error correction"
        assert jobs.deliver_webhooks()["sent"] == 0


def test_both_jobs_are_on_the_schedule():
    funcs = {entry["func"] for entry in settings.DAILYPAPERS_SCHEDULE}
    assert {"dailypapers.alerts.jobs.embed_and_match", "dailypapers.alerts.jobs.deliver_webhooks"} <= funcs
