"""A real MCP client session (the official SDK) against `dailypapers mcp` run as a stdio
subprocess, on the test database of whichever backend the suite runs on."""

from __future__ import annotations

import json
import os
import sqlite3
import sys

import anyio
import pytest
from django.db import connection
from mcp import Client
from mcp.client.stdio import StdioServerParameters

TOOLS = {
    "search_papers",
    "get_paper",
    "daily_papers",
    "trending_papers",
    "similar_papers",
    "new_papers_for",
    "get_author",
    "for_you",
}


def database_url_for_subprocess(tmp_path) -> str:
    """A URL another process can open holding this test's committed data."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user, password = settings_dict["USER"], settings_dict["PASSWORD"]
        return f"postgres://{user}:{password}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    # SQLite test databases live in memory: copy it to a file with the online backup API.
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "mcp.sqlite3")
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{tmp_path / 'mcp.sqlite3'}"


def _payload(result):
    assert not result.is_error, result.content
    if result.structured_content is not None:
        content = result.structured_content
        return content.get("result", content) if isinstance(content, dict) and set(content) == {"result"} else content
    return json.loads(result.content[0].text)


@pytest.mark.django_db(transaction=True)
def test_mcp_client_lists_and_calls_every_tool_over_stdio(papers, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DAILYPAPERS_HOME": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    server = StdioServerParameters(
        command=sys.executable, args=["-m", "dailypapers.cli", "mcp"], env=env, cwd=os.getcwd()
    )

    async def session():
        async with Client(server, read_timeout_seconds=60) as client:
            listed = await client.list_tools()
            assert {tool.name for tool in listed.tools} == TOOLS
            for tool in listed.tools:
                assert tool.description and tool.input_schema["type"] == "object"
            search_schema = next(t for t in listed.tools if t.name == "search_papers").input_schema
            assert search_schema["required"] == ["query"]
            found = _payload(
                await client.call_tool("search_papers", {"query": "retrieval augmented generation", "limit": 3})
            )
            paper = _payload(await client.call_tool("get_paper", {"arxiv_id": "hep-th/9901001v1"}))
            daily = _payload(await client.call_tool("daily_papers", {"week": "2025-W10"}))
            trending = _payload(await client.call_tool("trending_papers", {}))
            similar = _payload(await client.call_tool("similar_papers", {"arxiv_id": "2503.00001", "limit": 2}))
            missing = await client.call_tool("get_paper", {"arxiv_id": "2503.99999"})
            bad_week = await client.call_tool("daily_papers", {"week": "2025-W99"})
            checks["server"] = client.server_info
            checks["schemas"] = {tool.name: tool.output_schema for tool in listed.tools}
            checks["get_paper"] = await client.call_tool("get_paper", {"arxiv_id": "2503.00001"})
            checks["bad_limit"] = await client.call_tool("search_papers", {"query": "attention", "limit": "ten"})
            checks["big_limit"] = await client.call_tool("trending_papers", {"limit": 1000})
            checks["bad_window"] = await client.call_tool("trending_papers", {"window": "year"})
            checks["author"] = await client.call_tool("get_author", {"slug": "ada-lovelace", "limit": 5})
            checks["no_author"] = await client.call_tool("get_author", {"slug": "nobody-here"})
            return found, paper, daily, trending, similar, missing, bad_week

    checks = {}
    found, paper, daily, trending, similar, missing, bad_week = anyio.run(session)
    assert found[0]["id"] == "2503.00003"
    assert paper["title"].startswith("Strings") and paper["authors"] == ["Edward Witten"]
    assert [p["id"] for p in daily] == ["2503.00003", "2503.00002", "2503.00001"]
    assert [p["id"] for p in trending] == ["2503.00003", "2503.00001", "2503.00002"]
    assert "2503.00001" not in [p["id"] for p in similar] and len(similar) <= 2
    assert missing.is_error and "arxiv_id" in missing.content[0].text
    assert bad_week.is_error and "week" in bad_week.content[0].text

    # The server says which dailypapers it is.
    from dailypapers.api.mcp_server import package_version

    assert checks["server"].name == "dailypapers" and checks["server"].version == package_version() != ""
    # Every tool publishes an output schema, get_paper included, and answers structured content.
    assert all(checks["schemas"][name] for name in TOOLS), checks["schemas"]
    assert "abstract" in checks["schemas"]["get_paper"]["properties"]
    one = checks["get_paper"]
    assert not one.is_error and one.structured_content["id"] == "2503.00001"
    assert one.structured_content["published"] == "2025-03-02" and one.structured_content["authors"] == [
        "Ada Lovelace",
        "Alan Turing",
    ]
    # Argument errors are sentences naming the argument, not pydantic's dump.
    for name in ("bad_limit", "big_limit", "bad_window"):
        text = checks[name].content[0].text
        assert checks[name].is_error and "validation error" not in text and "https://errors.pydantic.dev" not in text, (
            text
        )
    assert checks["bad_limit"].content[0].text.startswith("search_papers: limit:")
    author = checks["author"].structured_content
    assert author["name"] == "Ada Lovelace" and author["url"].endswith("/authors/ada-lovelace")
    assert author["paper_count"] == len(author["papers"]) >= 1 and author["claimed_by"] is None
    assert {"name": "Alan Turing", "slug": "alan-turing", "papers": 1} in author["coauthors"]
    assert checks["no_author"].is_error and "slug: no author 'nobody-here'" in checks["no_author"].content[0].text
    assert "limit: expected a whole number from 1 to 100, got 1000" in checks["big_limit"].content[0].text
    assert checks["bad_window"].content[0].text.startswith("trending_papers: window:")
