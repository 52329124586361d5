"""The `dailypapers` command's exit statuses, as the README and docs/cli.md state them:
0 done, 1 failed, 2 bad usage; and a command's options work before or after its subcommand."""

from __future__ import annotations

from dailypapers.cli import _command_options_first, main


def test_an_unknown_command_is_bad_usage(capsys):
    assert main(["ingets", "file", "x.jsonl"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'ingets'" in err and "did you mean `dailypapers ingest`?" in err


def test_command_options_work_after_the_subcommand(tmp_path, capsys):
    missing = str(tmp_path / "missing.jsonl")
    # Parsed, so the command runs and fails on the file (1), not on its arguments (2).
    assert main(["ingest", "file", missing, "--no-progress", "--batch-size", "10", "--verbosity", "0"]) == 1
    assert main(["ingest", "--no-progress", "file", missing, "--batch-size=10"]) == 1
    err = capsys.readouterr().err
    assert err.count("no such file") == 2 and "unrecognized arguments" not in err
    assert main(["ingest", "file", missing, "--no-such-option"]) == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_options_move_before_the_subcommand_and_the_subcommands_own_stay():
    moved = _command_options_first(["ingest", "file", "F", "--limit", "5", "--no-progress", "--batch-size", "9"])
    assert moved == ["ingest", "--no-progress", "--batch-size", "9", "file", "F", "--limit", "5"]
    assert _command_options_first(["migrate", "--noinput"]) == ["migrate", "--noinput"]  # no subcommands
    assert _command_options_first(["ingest", "file", "--", "--no-progress"]) == [
        "ingest",
        "file",
        "--",
        "--no-progress",
    ]
