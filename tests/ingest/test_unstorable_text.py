"""A NUL (or another C0 control) in one record: the record is skipped and reported with file,
line and field, every other record loads, exit status 3, the same on SQLite and PostgreSQL.
Issue 13: on PostgreSQL one `\\u0000` in record 5,601 of 6,000 crashed `ingest file`
(DataError), lost its batch, and every re-run failed the same way."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from dailypapers.catalog.models import Paper
from dailypapers.ingest.records import PaperRecord, unstorable_field


def _line(number: int, **overrides) -> str:
    record = {
        "id": f"2601.{number:05d}",
        "title": f"Paper {number}",
        "summary": "An abstract.",
        "authors": ["Ada Lovelace"],
        "categories": ["cs.LG"],
        "listing_date": "2026-01-05",
        **overrides,
    }
    return json.dumps(record)


def _ingest(path) -> int:
    try:
        call_command("ingest", "--no-progress", "file", str(path))
    except SystemExit as exit_:
        return exit_.code
    return 0


@pytest.mark.parametrize(
    ("field_name", "overrides"),
    [
        ("abstract", {"summary": "Bad \u0000 byte."}),
        ("title", {"title": "Bell\u0007 character"}),
        ("authors", {"authors": ["Ada\u0000 Lovelace"]}),
        ("comment", {"comment": "10 pages\u001b[31m"}),
    ],
)
def test_a_control_character_skips_only_its_record(db, tmp_path, capsys, field_name, overrides):
    path = tmp_path / "papers.jsonl"
    lines = [_line(n) for n in range(1, 13)]
    lines[9] = _line(10, **overrides)
    path.write_text("\n".join(lines) + "\n")
    assert _ingest(path) == 3
    err = capsys.readouterr().err
    assert f"{path}:10: field '{field_name}': holds a control character" in err
    assert Paper.objects.count() == 11 and not Paper.objects.filter(arxiv_id="2601.00010").exists()
    assert _ingest(path) == 3  # a re-run is not stuck on it either
    assert Paper.objects.count() == 11


def test_tabs_and_line_breaks_are_not_refused():
    record = PaperRecord(arxiv_id="2601.00001", title="A title", abstract="Line one\nline two\tand a tab\r\n")
    assert unstorable_field(record) is None
