"""`dailypapers demo-load`: a file, or arXiv when reachable, or instructions when offline."""

from __future__ import annotations

import pytest
import responses
from django.core.management import call_command

from dailypapers.catalog.models import Paper

pytestmark = pytest.mark.django_db


def test_offline_without_file_explains_and_succeeds(capsys):
    with responses.RequestsMock():  # every request fails: no network
        call_command("demo-load", "--no-progress")
    out = capsys.readouterr().out
    assert "No papers loaded" in out and "dailypapers ingest file" in out
    assert Paper.objects.count() == 0


def test_file_loads_recent_days_then_all(data_dir, capsys):
    call_command("demo-load", "--no-progress", "--file", str(data_dir / "ours.jsonl"), "--recent-days", "1")
    out = capsys.readouterr().out
    assert "recent listing days (since 2025-01-05)" in out and "1 new" in out
    assert Paper.objects.count() == 4
    call_command("demo-load", "--no-progress", "--file", str(data_dir / "ours.jsonl"))  # re-running is cheap
    assert "4 unchanged" in capsys.readouterr().out


def test_online_fetches_recent_listing_days(replay, monkeypatch, capsys):
    # The reachability probe (HEAD) is answered; the papers come from a recorded API response.
    replay.add("https://export.arxiv.org/api/query", 200, "")
    calls = []

    def fake_fetch_recent(categories, *, days, **kwargs):
        calls.append((categories, days))
        from dailypapers.ingest.sources.arxiv_api import fetch_ids

        return fetch_ids(["1605.08386"])

    monkeypatch.setattr("dailypapers.ingest.sources.arxiv_api.fetch_recent", fake_fetch_recent)
    call_command("demo-load", "--no-progress", "--categories", "cs.LG", "cs.CL", "--days", "2")
    assert calls == [(["cs.LG", "cs.CL"], 2)]
    assert Paper.objects.filter(arxiv_id="1605.08386").exists()
