"""The scheduled arXiv ingest job (`dailypapers worker` runs it hourly), on replayed responses."""

from __future__ import annotations

import json

import pytest

from dailypapers.catalog.models import Paper
from dailypapers.ingest.jobs import ingest_arxiv

pytestmark = pytest.mark.django_db


def test_scheduled_ingest_loads_the_last_listing_days_once(replay, shared_data, settings):
    settings.ARXIV_CATEGORIES = ["cs.LG"]
    body = json.loads((shared_data / "fixtures/arxiv-api/q_testing_s0_m100_cfe7536492ca.json").read_text())["body"]
    replay.add(
        "https://export.arxiv.org/api/query?search_query=cat%3Acs.LG&id_list=&sortBy=submittedDate"
        "&sortOrder=descending&start=0&max_results=100",
        200,
        body,
    )
    first = ingest_arxiv()
    assert first["created"] == Paper.objects.count() > 0 and first["skipped"] == 0
    assert len(set(Paper.objects.values_list("listing_date", flat=True))) == 2
    again = ingest_arxiv()
    assert again["created"] == 0 and again["updated"] == 0 and again["seen"] == first["seen"]


def test_scheduled_ingest_with_arxiv_unreachable_logs_one_line_and_returns(settings, caplog):
    import re

    import requests
    import responses

    settings.ARXIV_CATEGORIES = ["cs.LG"]
    with responses.RequestsMock() as mock:
        mock.add(
            responses.GET,
            re.compile(r"https://export\.arxiv\.org/.*"),
            body=requests.ConnectionError("Failed to resolve 'export.arxiv.org'"),
        )
        result = ingest_arxiv()
    assert result == {"error": "arXiv unreachable: Failed to resolve 'export.arxiv.org'"}
    assert "arXiv unreachable, next try in an hour" in caplog.text
    assert Paper.objects.count() == 0
