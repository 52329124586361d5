"""Scale-out: two `dailypapers serve` processes, each with a home folder of its own (as on two
hosts), against one PostgreSQL. A paper ingested and embedded by the command line on host A
is found by semantic search on server B within the vector index's catch-up interval: B's
in-memory index notices new embedding rows in the database (vectors.CHECK_EVERY_SECONDS) and
adds them, without sharing a file with A. Sessions and rate-limit counters live in the
database cache, so a login made on A is valid on B.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest

from dailypapers.search.vectors import CHECK_EVERY_SECONDS
from tests.crash.scratch import write_corpus

NEW_PAPER = {
    "id": "2507.00042",
    "title": "Honey bee colonies and the pollination of orchards",
    "summary": (
        "Beekeepers move hives into apple orchards in spring; "
        "we measure how many flowers the bees visit and the fruit yield."
    ),
    "authors": ["Karl von Frisch"],
    "categories": ["q-bio.PE"],
    "comment": None,
    "listing_date": "2025-07-01",
}
QUERY = "insects that make honey and pollinate fruit trees"


def _search(base: str) -> list[str]:
    url = f"{base}/search?" + urllib.parse.urlencode({"q": QUERY, "mode": "meaning", "format": "json"})
    with urllib.request.urlopen(url, timeout=60) as response:
        return [row["id"] for row in json.load(response)["results"]]


@pytest.fixture
def postgres_site(on_postgres, tmp_path):
    if not on_postgres:
        pytest.skip("scale-out means several servers on one PostgreSQL; SQLite is one host's file")
    from tests.crash.scratch import drop_scratch, make_scratch

    site = make_scratch(tmp_path / "host-a")
    yield site
    drop_scratch(site)


def test_paper_indexed_on_one_host_is_found_on_the_other(postgres_site, tmp_path):
    site = postgres_site
    site.run(
        "ingest",
        "--no-progress",
        "file",
        str(write_corpus(tmp_path / "papers.jsonl.gz", 30, prefix="2507", day="2025-07-01")),
    )
    site.run("index", "--verbosity", "0")
    host_b = {"DAILYPAPERS_HOME": str(tmp_path / "host-b")}
    (tmp_path / "host-b").mkdir()

    with site.server(workers=1, env=host_b) as (_, base_b):
        assert NEW_PAPER["id"] not in _search(base_b)  # B has loaded its index (and the model)

        with open(tmp_path / "new.jsonl", "w") as handle:
            handle.write(json.dumps(NEW_PAPER) + "\n")
        site.run("ingest", "--no-progress", "file", str(tmp_path / "new.jsonl"))  # host A's command line
        site.run("index", "--verbosity", "0")
        indexed_at = time.monotonic()

        deadline = indexed_at + CHECK_EVERY_SECONDS + 30  # the interval, plus slack for a busy CI machine
        found = False
        while time.monotonic() < deadline and not found:
            found = _search(base_b)[:1] == [NEW_PAPER["id"]]
            if not found:
                time.sleep(0.5)
        assert found, f"server B did not find {NEW_PAPER['id']} by meaning within {deadline - indexed_at:.0f} s"


def test_a_session_made_on_one_server_works_on_the_other(postgres_site, tmp_path):
    """Two servers, one database: the session row and the CSRF secret travel with the cookie."""
    import http.cookiejar

    site = postgres_site
    site.run(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from allauth.account.models import EmailAddress; "
        "u = get_user_model().objects.create_user('reader', 'reader@example.org', 'correct horse battery'); "
        "EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)",
    )
    (tmp_path / "host-b").mkdir()
    with (
        site.server(workers=1) as (_, base_a),
        site.server(workers=1, env={"DAILYPAPERS_HOME": str(tmp_path / "host-b")}) as (_, base_b),
    ):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{base_a}/accounts/login/", timeout=30).read()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        form = urllib.parse.urlencode(
            {"login": "reader@example.org", "password": "correct horse battery", "csrfmiddlewaretoken": csrf}
        ).encode()
        request = urllib.request.Request(
            f"{base_a}/accounts/login/", data=form, headers={"Referer": f"{base_a}/accounts/login/"}
        )
        opener.open(request, timeout=30).read()
        assert any(c.name == "sessionid" for c in jar), "login on A failed"
        # Cookies are per host name and both servers are 127.0.0.1, so the jar sends A's cookie to B.
        with opener.open(f"{base_b}/settings/tokens", timeout=30) as response:
            assert response.status == 200 and response.geturl().endswith("/settings/tokens")
            assert b"reader" in response.read()
