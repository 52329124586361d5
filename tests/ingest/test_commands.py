"""The `ingest arxiv` and `ingest oai` commands end to end, on replayed arXiv responses."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from dailypapers.catalog.models import Paper
from dailypapers.ingest.models import HarvestState

pytestmark = pytest.mark.django_db


def test_ingest_arxiv_category_days(replay, shared_data, capsys):
    # A recorded page of 100 API results, served for the category query the command makes.
    body = json.loads((shared_data / "fixtures/arxiv-api/q_testing_s0_m100_cfe7536492ca.json").read_text())["body"]
    url = (
        "https://export.arxiv.org/api/query?search_query=cat%3Acs.LG&id_list=&sortBy=submittedDate"
        "&sortOrder=descending&start=0&max_results=100"
    )
    replay.add(url, 200, body)
    call_command("ingest", "--no-progress", "arxiv", "--category", "cs.LG", "--days", "2")
    days = set(Paper.objects.values_list("listing_date", flat=True))
    assert len(days) == 2 and Paper.objects.count() >= 2
    assert all(p.source == "arxiv" for p in Paper.objects.all())
    assert [u for u in replay.requested if "cat%3Acs.LG" in u] and all(
        "start=0" in u for u in replay.requested if "cat%3A" in u
    )
    assert "new" in capsys.readouterr().out


def test_ingest_oai_command(replay, monkeypatch, capsys):
    waited = []
    monkeypatch.setattr("sickle.app.time.sleep", waited.append)
    call_command("ingest", "--no-progress", "oai", "--from", "2015-01-01", "--until", "2015-01-03")
    assert waited == [10] and Paper.objects.count() == 2
    assert HarvestState.objects.get().finished_at is not None
    assert "2 new" in capsys.readouterr().out


def test_bad_dates_are_usage_errors():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--until is before --from"):
        call_command("ingest", "oai", "--from", "2015-01-03", "--until", "2015-01-01")


def test_a_command_on_a_database_never_migrated_says_to_migrate(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DAILYPAPERS_HOME": str(tmp_path),
        "DATABASE_URL": "",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "dailypapers.settings",
        "PYTHONPATH": str(root),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dailypapers.cli",
            "ingest",
            "file",
            str(root / "tests" / "ingest" / "data" / "ours.jsonl"),
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "is not set up" in result.stderr and "run `dailypapers migrate` first" in result.stderr
    assert "Traceback" not in result.stderr
