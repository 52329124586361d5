"""`dailypapers papers search|show|daily|trending`, tables and --json, and its exit codes."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from dailypapers.cli import main


def run(*args) -> str:
    out = io.StringIO()
    call_command("papers", *args, stdout=out)
    return out.getvalue()


def test_search_as_json_and_table(papers):
    found = json.loads(run("search", "retrieval augmented", "--limit", "2", "--json"))
    assert found[0]["id"] == "2503.00003" and found[0]["authors"] == ["Émilie du Châtelet", "Kurt Gödel"]
    table = run("search", "retrieval augmented")
    assert table.splitlines()[0].split() == ["id", "votes", "date", "title"]
    assert "2503.00003" in table and "Retrieval Augmented Generation at Scale" in table


def test_show_daily_trending(papers):
    shown = run("show", "2503.00001")
    assert shown.startswith("Attention Is Still All You Need\nAda Lovelace, Alan Turing")
    assert "code:    https://github.com/example/attention" in shown
    assert json.loads(run("show", "2503.00001", "--json"))["upvotes"] == 5
    assert [p["id"] for p in json.loads(run("daily", "--json"))] == ["2503.00003"]  # the latest day
    assert [p["id"] for p in json.loads(run("daily", "--date", "2025-03-03", "--json"))] == ["2503.00002", "2503.00001"]
    assert [p["id"] for p in json.loads(run("trending", "--limit", "2", "--json"))] == ["2503.00003", "2503.00001"]
    assert run("daily", "--month", "2024-01") == "no papers\n"


def test_bad_input_exits_2_with_a_message(papers, capsys):
    assert main(["papers", "show", "2503.99999"]) == 2
    assert "arxiv_id: no paper '2503.99999'" in capsys.readouterr().err
    assert main(["papers", "daily", "--week", "2025-W99"]) == 2
    assert "week" in capsys.readouterr().err
    assert main(["papers", "search", "x", "--limit", "0"]) == 2
