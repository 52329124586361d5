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

TOOLS = {"search_papers", "get_paper", "daily_papers", "trending_papers", "similar_papers"}


def database_url_for_subprocess(tmp_path) -> str:
    """A URL another process can open holding this test's committed data."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
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
    env = {**os.environ, "DATABASE_URL": database_url_for_subprocess(tmp_path), "DJANGO_SETTINGS_MODULE": "tests.settings", "DAILYPAPERS_HOME": str(tmp_path), "LOG_LEVEL": "WARNING"}
    server = StdioServerParameters(command=sys.executable, args=["-m", "dailypapers.cli", "mcp"], env=env, cwd=os.getcwd())

    async def session():
        async with Client(server, read_timeout_seconds=60) as client:
            listed = await client.list_tools()
            assert {tool.name for tool in listed.tools} == TOOLS
            for tool in listed.tools:
                assert tool.description and tool.input_schema["type"] == "object"
            search_schema = next(t for t in listed.tools if t.name == "search_papers").input_schema
            assert search_schema["required"] == ["query"]
            found = _payload(await client.call_tool("search_papers", {"query": "retrieval augmented generation", "limit": 3}))
            paper = _payload(await client.call_tool("get_paper", {"arxiv_id": "hep-th/9901001v1"}))
            daily = _payload(await client.call_tool("daily_papers", {"week": "2025-W10"}))
            trending = _payload(await client.call_tool("trending_papers", {}))
            similar = _payload(await client.call_tool("similar_papers", {"arxiv_id": "2503.00001", "limit": 2}))
            missing = await client.call_tool("get_paper", {"arxiv_id": "2503.99999"})
            bad_week = await client.call_tool("daily_papers", {"week": "2025-W99"})
            return found, paper, daily, trending, similar, missing, bad_week

    found, paper, daily, trending, similar, missing, bad_week = anyio.run(session)
    assert found[0]["id"] == "2503.00003"
    assert paper["title"].startswith("Strings") and paper["authors"] == ["Edward Witten"]
    assert [p["id"] for p in daily] == ["2503.00003", "2503.00002", "2503.00001"]
    assert [p["id"] for p in trending] == ["2503.00003", "2503.00001", "2503.00002"]
    assert "2503.00001" not in [p["id"] for p in similar] and len(similar) <= 2
    assert missing.is_error and "arxiv_id" in missing.content[0].text
    assert bad_week.is_error and "week" in bad_week.content[0].text
