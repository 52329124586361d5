"""Limits that hold under concurrency, and limits on the expensive routes.

Issue 13: the database cache's `incr` is a read then a write (three processes x 300
increments gave 439, not 900); 20 concurrent comments by a new member stored 6 against a
limit of 5; /search, /feeds/search.rss and exports took 400-540 requests in 30 s from one
client; a search flood slowed every page."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import pytest
from django.db import connection
from django.test import Client

from dailypapers.catalog.limits import hit, used
from tests.security.test_client_identity import via_proxy

COUNTING = """
import django
django.setup()
from dailypapers.catalog.limits import hit
for _ in range(300):
    hit("probe", "one client", "1000000/day")
"""


@pytest.fixture
def scratch_site(tmp_path):
    from tests.crash.scratch import drop_scratch, make_scratch

    site = make_scratch(tmp_path / "site")
    yield site
    drop_scratch(site)


def test_three_processes_count_every_hit(scratch_site):
    processes = [
        subprocess.Popen([sys.executable, "-c", COUNTING], env=scratch_site.env, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    for process in processes:
        assert process.wait(timeout=300) == 0, process.stderr.read().decode()[-2000:]
        process.stderr.close()
    assert scratch_site.query("SELECT SUM(hits) FROM dailypapers_counter") == [(900,)]


def test_a_window_counts_from_one_again(db):
    start = 1_800_000_000.0
    assert [hit("t", "a", "2/min", now=start + n).allowed for n in range(3)] == [True, True, False]
    assert hit("t", "a", "2/min", now=start + 61).hits == 1
    assert used("t", "a", "2/min", now=start + 61) == 1 and used("t", "b", "2/min", now=start) == 0
    assert hit("t", "a", "", now=start).allowed  # empty rate: unlimited, nothing stored


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_comments_by_a_new_member_store_five(on_postgres, settings):
    if not on_postgres:
        pytest.skip("needs real concurrent PostgreSQL connections (SQLite serialises writers)")
    from django.contrib.auth import get_user_model

    from dailypapers.community.comments import CommentRefused, post_comment
    from dailypapers.community.models import Comment
    from tests.factories import make_paper

    paper = make_paper(arxiv_id="2606.00001", day=dt.date(2026, 6, 30), title="Raced", categories=("cs.LG",))
    member = get_user_model().objects.create_user(username="newbie", email="newbie@example.org", password="x" * 12)
    barrier, refused, errors = threading.Barrier(20), [], []

    def post(number):
        try:
            barrier.wait()
            post_comment(user=member, paper=paper, body=f"comment {number}")
        except CommentRefused:
            refused.append(number)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Comment.objects.filter(user=member).count() == settings.NEW_MEMBER_COMMENTS_PER_HOUR == 5
    assert len(refused) == 15


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=attention",
        "/search?q=attention&format=json",
        "/feeds/search.rss?q=attention",
        "/feeds/daily.atom",
        "/export/search.bib?q=attention",
    ],
)
def test_expensive_routes_are_limited_per_client(papers, settings, url):
    settings.EXPENSIVE_RATE = "3/min"
    client = Client()
    statuses = [client.get(url, **via_proxy("198.51.100.7")).status_code for _ in range(5)]
    assert statuses[:3] == [200] * 3 and statuses[3:] == [429, 429], statuses
    refused = client.get(url, **via_proxy("198.51.100.7"))
    assert int(refused["Retry-After"]) >= 1
    if "format=json" in url:
        assert "too many" in refused.json()["error"]
    assert client.get(url, **via_proxy("203.0.113.5")).status_code == 200  # another reader is not affected
    assert client.get("/", **via_proxy("198.51.100.7")).status_code == 200  # nor are the cheap pages


def test_a_search_beyond_the_hosts_slots_is_shed_with_503(papers, settings):
    from dailypapers.ops.limits import expensive_slot

    settings.EXPENSIVE_CONCURRENCY = 1
    client = Client()
    with expensive_slot() as held:  # another worker is busy searching
        assert held
        shed = client.get("/search?q=attention", **via_proxy("198.51.100.7"))
        api = client.get("/api/papers/search?q=attention", **via_proxy("198.51.100.8"))
        page = client.get(f"/papers/{papers[0].arxiv_id}", **via_proxy("198.51.100.7"))
    assert shed.status_code == 503 and shed["Retry-After"] == "2"
    assert api.status_code == 503 and "busy" in api.json()["error"]
    assert page.status_code == 200
    assert client.get("/search?q=attention", **via_proxy("198.51.100.7")).status_code == 200
