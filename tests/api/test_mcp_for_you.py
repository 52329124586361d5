"""The `for_you` MCP tool through the official SDK client over stdio: a member's feed with
reasons, the same ranking as the page, found by their personal API token."""

from __future__ import annotations

import os
import sys

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.api.test_mcp import _payload, database_url_for_subprocess
from tests.community.test_recommend import TODAY, save, store_vector


@pytest.mark.django_db(transaction=True)
def test_for_you_tool_answers_the_members_ranking_with_reasons(tmp_path, django_user_model, monkeypatch):
    import numpy as np

    from dailypapers.api.tokens import create_token
    from dailypapers.community.foryou import for_you
    from tests.factories import make_paper

    member = django_user_model.objects.create_user("agentic", "agentic@example.org", "pw-123456789")
    papers = []
    for n in range(6):
        paper = make_paper(title=f"Topic {'AB'[n % 2]} paper {n}", featured_on=TODAY)
        store_vector(paper, np.array([1.0, 0.1 * n, 0.0]) if n % 2 == 0 else np.array([0.0, 0.1 * n, 1.0]))
        papers.append(paper)
    save(member, papers[0], papers[2])
    _, raw = create_token(user=member, name="mcp")
    expected = [item["paper"].arxiv_id for item in for_you(user=member, limit=3)["items"]]
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
            found = _payload(await client.call_tool("for_you", {"token": raw, "limit": 3}))
            refused = await client.call_tool("for_you", {"token": "dp_not-a-token"})
            return found, refused

    found, refused = anyio.run(session)
    assert [row["id"] for row in found] == expected
    assert found[0]["title"] == "Topic A paper 4" and found[0]["reason"].startswith("Like “Topic A paper")
    assert refused.is_error and "token: not a valid personal API token" in refused.content[0].text
