"""Hugging Face daily_papers export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from dailypapers.catalog.models import Paper

pytestmark = pytest.mark.django_db


def test_hf_export(data_dir, capsys):
    call_command("ingest", "--no-progress", "file", str(data_dir / "ours.jsonl"))
    with pytest.raises(SystemExit) as exit_:
        call_command("ingest", "--no-progress", "hf", str(data_dir / "hf_daily.json"))
    assert exit_.value.code == 3
    assert "hf_daily.json[2]: field 'paper.id'" in capsys.readouterr().err
    new = Paper.objects.get(arxiv_id="2501.00099")
    assert new.featured_on == dt.date(2025, 1, 6) and new.source == "hf"
    assert new.authors_text == "Katherine Johnson, Dorothy Vaughan"
    assert (new.code_url, new.project_url) == ("https://github.com/kj/orbits", "https://orbits.example.org")
    assert new.published == dt.datetime(2025, 1, 2, 16, 30, tzinfo=dt.UTC)
    # A paper we already have from arXiv metadata keeps it: HF adds papers, it does not rewrite them.
    kept = Paper.objects.get(arxiv_id="2501.00002")
    assert kept.title == "A Benchmark for Reading Group Recommendations" and kept.categories == ["cs.IR"]
