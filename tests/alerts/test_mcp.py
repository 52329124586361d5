"""`new_papers_for` through a real MCP client session (the official SDK) against
`dailypapers mcp` as a stdio subprocess, as the other MCP tools are tested."""

from __future__ import annotations

import os
import sys

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from dailypapers.alerts.saved import save_search
from tests.api.test_mcp import _payload, database_url_for_subprocess


@pytest.mark.django_db(transaction=True)
def test_an_agent_reads_a_saved_searchs_new_papers_and_why(member, arrive, tmp_path):
    saved = save_search(user=member, params={"q": "self-play negotiation agents", "mode": "meaning"})
    arrive()
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
            listed = {tool.name: tool for tool in (await client.list_tools()).tools}
            found = _payload(await client.call_tool("new_papers_for", {"saved_search": saved.feed_token, "limit": 5}))
            unknown = await client.call_tool("new_papers_for", {"saved_search": "not-a-token"})
            return listed["new_papers_for"], found, unknown

    tool, found, unknown = anyio.run(session)
    assert tool.input_schema["required"] == ["saved_search"] and tool.output_schema
    titles = {item["paper"]["title"]: item for item in found}
    assert "Bargaining robots" in titles
    why = titles["Bargaining robots"]["why"]
    assert why["kind"] == "meaning" and why["reason"].startswith("close in meaning to your search (score 0.")
    assert unknown.is_error and "saved_search: no saved search has this token" in unknown.content[0].text
