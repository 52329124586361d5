"""The shipped deploy/nginx.conf in front of the app, on loopback: what a client sends in
X-Forwarded-For cannot make it another client (nginx replaces the header), and the /metrics
block passes the Host, so an allowed scraper is answered (it got 400 without it).

The config is the shipped file with only what a test must change: the upstream is the live
test server, it listens on a free loopback port over plain HTTP (no certificate here), and
the port-80 redirect block is left out. Skipped, saying why, where nginx is not installed
(scripts/install-test-deps.sh installs it)."""

from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.crash.scratch import free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None)
pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (Debian package nginx; scripts/install-test-deps.sh installs it)"
)
HOST = "papers.example.org"


def site_config(*, upstream_port: int, listen_port: int) -> str:
    shipped = (ROOT / "deploy" / "nginx.conf").read_text()
    redirect_block = re.search(r"server \{\s*listen 80;.*?\n\}\n", shipped, re.S)
    assert redirect_block, "deploy/nginx.conf changed shape: update this test's rewrite"
    site = shipped.replace(redirect_block.group(0), "")
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{listen_port};")
    site = "\n".join(line for line in site.splitlines() if "ssl_certificate" not in line)
    assert f"listen 127.0.0.1:{listen_port};" in site and f"server 127.0.0.1:{upstream_port};" in site
    return site


@pytest.fixture
def nginx(live_server, tmp_path):
    port = free_port()
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / folder).mkdir()
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {tmp_path / folder};"
        for kind, folder in (
            ("client_body", "body"),
            ("proxy", "proxy"),
            ("fastcgi", "fastcgi"),
            ("uwsgi", "uwsgi"),
            ("scgi", "scgi"),
        )
    )
    upstream_port = urlsplit(live_server.url).port
    (tmp_path / "nginx.conf").write_text(
        f"{user}daemon off;\npid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'} warn;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n    access_log off;\n{temp}\n{site_config(upstream_port=upstream_port, listen_port=port)}\n}}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx did not start: {process.stderr.read().decode()[-2000:]}")
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=20)
    process.stderr.close()


def _get(port: int, path: str, headers: dict) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


@pytest.mark.django_db(transaction=True)
def test_a_client_cannot_escape_the_api_limit_with_its_own_forwarded_for(nginx, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = "5/min"
    statuses = [
        _get(
            nginx,
            "/api/daily_papers",
            {"X-Forwarded-For": f"10.{random.randrange(256)}.{n}.1", "X-Real-IP": f"10.9.{n}.1"},
        )
        for n in range(10)
    ]
    assert statuses.count(200) == 5 and statuses.count(429) == 5, statuses


@pytest.mark.django_db(transaction=True)
def test_an_allowed_scraper_reads_metrics_through_nginx(nginx, settings):
    settings.ALLOWED_HOSTS = [HOST]
    assert _get(nginx, "/metrics", {}) == 200
    assert _get(nginx, "/metrics", {"X-Forwarded-For": "203.0.113.9"}) == 200  # nginx names the real client
    assert _get(nginx, "/healthz", {}) == 200
