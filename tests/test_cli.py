"""The `dailypapers` command's exit statuses, as the README and docs/cli.md state them:
0 done, 1 failed, 2 bad usage; and a command's options work before or after its subcommand."""

from __future__ import annotations

import pytest

from dailypapers.cli import main


def test_an_unknown_command_is_bad_usage(capsys):
    assert main(["ingets", "file", "x.jsonl"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'ingets'" in err and "did you mean `dailypapers ingest`?" in err


@pytest.mark.django_db
def test_command_options_work_after_the_subcommand(tmp_path, capsys):
    corpus = tmp_path / "one.jsonl"
    corpus.write_text('{"id": "2503.00001", "title": "A paper", "summary": "An abstract.", "authors": ["A. Person"], '
                      '"categories": ["cs.CL"], "listing_date": "2025-03-18"}\n')
    assert main(["ingest", "file", str(corpus), "--no-progress", "--batch-size", "10"]) == 0
    assert main(["ingest", "--no-progress", "file", str(corpus)]) == 0
    assert main(["ingest", "file", str(corpus), "--batch-size=10", "--verbosity", "0"]) == 0
    capsys.readouterr()
    assert main(["ingest", "file", str(corpus), "--no-such-option"]) == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err
    assert main(["ingest", "file", str(tmp_path / "missing.jsonl"), "--no-progress"]) == 1
