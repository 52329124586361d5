"""Issue 13's smaller findings, one test each: inputs that were a 500, a line separator the
"no control characters" check let through, a secret page a cache could keep, the page cache
keyed on junk, and operator endpoints that claimed more than they checked."""

from __future__ import annotations

import re
import sys

import pytest
from django.db import connection
from django.test import Client


@pytest.mark.parametrize("evil", ["/papers\r\nX-Evil: 1", "/x\nSet-Cookie: a=b", "/x\u2028y", "https://evil.example/"])
def test_an_anonymous_htmx_upvote_with_a_bad_next_is_not_a_500(papers, evil):
    response = Client().post(f"/papers/{papers[0].arxiv_id}/upvote", {"next": evil}, HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    login = response["HX-Redirect"]
    assert login.startswith("/accounts/login/?next=") and "\n" not in login and "\r" not in login
    assert "evil.example" not in login
    plain = Client().post(f"/papers/{papers[0].arxiv_id}/upvote", {"next": evil})
    assert plain.status_code == 302 and "\n" not in plain["Location"]


def test_a_member_redirect_with_a_bad_next_goes_to_the_paper(papers, victim):
    client = Client()
    client.force_login(victim)
    response = client.post(f"/papers/{papers[0].arxiv_id}/upvote", {"next": "/papers\r\nX-Evil: 1"})
    assert response.status_code == 302 and "\r" not in response["Location"] and "X-Evil" not in response["Location"]


@pytest.fixture
def staff_client(victim):
    victim.is_staff = True
    victim.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(victim)
    return client


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_the_digest_preview_refuses_days_out_of_range(staff_client, date):
    for kind in ("daily", "weekly"):
        response = staff_client.get("/digest/preview", {"kind": kind, "date": date})
        assert response.status_code == 400, (kind, date)
        assert "date: the year must be from 1990 to 2999" in response.content.decode()  # catalog/windows.py


def test_the_bounce_webhook_refuses_json_nested_5000_deep(client, db, settings):
    settings.DIGEST_BOUNCE_WEBHOOK_SECRET = "s3cret-webhook"
    body = "[" * 5000 + "]" * 5000
    response = client.post(
        "/digest/webhook/bounce", body, content_type="application/json", HTTP_X_WEBHOOK_SECRET="s3cret-webhook"
    )
    assert response.status_code == 400 and response.json() == {"error": "body: JSON nested too deeply"}


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029", "\x9b"])
def test_unicode_line_separators_are_refused_in_one_line_values(client, victim, separator):
    from dailypapers.community.follows import FollowRefused, follow
    from dailypapers.digest.models import Subscription

    for kind in ("topic", "author"):
        response = client.post(
            "/subscribe",
            {
                "email": "reader@example.org",
                "frequency": "daily",
                "kind": kind,
                "value": f"graph{separator}Bcc: evil@example.org",
            },
        )
        assert response.status_code == 400, (kind, repr(separator))
    assert not Subscription.objects.exists()
    for kind in ("topic", "author", "category"):
        with pytest.raises(FollowRefused, match="one line of text"):
            follow(user=victim, kind=kind, value=f"graph{separator}networks")


def test_the_token_page_is_never_stored_by_a_cache(victim):
    client = Client()
    client.force_login(victim)
    for response in (client.get("/settings/tokens"), client.post("/settings/tokens", {"name": "laptop"})):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def _cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dailypapers_cache")
        return cursor.fetchone()[0]


def test_junk_query_parameters_do_not_fill_the_page_cache(papers):
    client = Client()
    first = client.get("/?x=0")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    rows = _cache_rows()
    for number in range(1, 30):
        response = client.get(f"/?x={number}&utm_source=junk{number}")
        assert response["X-Page-Cache"] == "hit"
        assert f"junk{number}" not in response.content.decode()
    assert _cache_rows() == rows
    paper = client.get(f"/papers/{papers[0].arxiv_id}?x=1")
    assert client.get(f"/papers/{papers[0].arxiv_id}?y=2")["X-Page-Cache"] == "hit" and paper.status_code == 200
    # The parameters a page reads still make pages of their own.
    assert client.get("/papers?date=2026-06-30")["X-Page-Cache"] == "miss"
    assert client.get("/papers?date=2026-06-29")["X-Page-Cache"] == "miss"


def test_readiness_fails_when_search_cannot_be_imported(client, db, monkeypatch):
    monkeypatch.setitem(sys.modules, "dailypapers.search.readiness", None)  # what a broken install looks like
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["vector_index"].startswith("search cannot load")


def test_metrics_say_when_the_database_fails_instead_of_hiding_it(client, db, monkeypatch):
    from django.db import DatabaseError

    from dailypapers.ops import metrics

    def broken(sql):
        raise DatabaseError("no such table: catalog_paper")

    monkeypatch.setattr(metrics, "_scalar", broken)
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "\ndailypapers_database_up 0.0" in body and "dailypapers_papers " not in body
    monkeypatch.undo()
    assert "\ndailypapers_database_up 1.0" in client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()


def test_a_member_can_retire_a_leaked_for_you_feed_url(victim, papers):
    client = Client()
    client.force_login(victim)
    page = client.get("/settings/tokens").content.decode()
    old = re.search(r"/feeds/for-you/[^<\s]+\.rss", page).group(0)
    assert Client().get(old).status_code == 200
    assert client.post("/settings/tokens/feed/rotate").status_code == 302
    new = re.search(r"/feeds/for-you/[^<\s]+\.rss", client.get("/settings/tokens").content.decode()).group(0)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert Client().post("/settings/tokens/feed/rotate").status_code == 302  # anonymous: to the login page
    assert Client().get(new).status_code == 200


def test_junk_query_parameters_do_not_fill_the_cache_with_feeds(papers):
    client = Client()
    assert client.get("/feeds/daily.rss?x=0").status_code == 200
    rows = _cache_rows()
    for number in range(1, 20):
        response = client.get(f"/feeds/daily.rss?x={number}&utm_source=junk{number}")
        assert response.status_code == 200 and f"junk{number}" not in response.content.decode()
    assert _cache_rows() == rows
    assert client.get("/feeds/search.rss?q=attention").status_code == 200
    assert _cache_rows() > rows  # the parameters a feed reads still make entries of their own
