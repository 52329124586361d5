"""`dailypapers mcp --http`: the same tools over streamable HTTP, reached by the SDK's client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import anyio
import pytest
from mcp import Client

from tests.api.test_mcp import TOOLS, _payload, database_url_for_subprocess


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_mcp_over_streamable_http(papers, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DAILYPAPERS_HOME": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "dailypapers.cli", "mcp", "--http", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, server.stderr.read().decode()
            time.sleep(0.2)

        async def session():
            async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=60) as client:
                names = {tool.name for tool in (await client.list_tools()).tools}
                paper = _payload(await client.call_tool("get_paper", {"arxiv_id": "2503.00002"}))
                return names, paper

        names, paper = anyio.run(session)
        assert names == TOOLS
        assert paper["title"] == "Diffusion Models for Text"
    finally:
        server.terminate()
        server.wait(timeout=30)
