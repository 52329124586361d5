"""What API clients rely on beyond the shapes: 401 for bad credentials (not a CSRF 403), JSON
errors everywhere under /api/, CORS on public reads only, and the same paper on every route."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dailypapers.api.tokens import create_token, revoke_token


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user("reader", email="reader@example.org", password="pw")


@pytest.fixture
def browser():
    """A client that checks CSRF like a real browser session would be checked."""
    return Client(enforce_csrf_checks=True)


def test_missing_wrong_and_revoked_tokens_answer_401_not_a_csrf_403(browser, papers, member):
    token, raw = create_token(user=member, name="old")
    revoke_token(user=member, token_id=token.pk)
    for header in ({}, {"HTTP_AUTHORIZATION": "Bearer dp_typo"}, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}):
        response = browser.post("/api/v1/upvotes/2503.00001", **header)
        assert response.status_code == 401, (header, response.content)
        assert response.json()["error"].startswith("authentication required")
    # A logged-in session without the CSRF token is still refused, as CSRF.
    browser.force_login(member)
    assert browser.post("/api/v1/upvotes/2503.00001").status_code == 403
    # A logged-in browser that also sends a bad token is judged by the token.
    assert browser.post("/api/v1/upvotes/2503.00001", HTTP_AUTHORIZATION="Bearer dp_typo").status_code == 401


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("get", "/api/no/such/thing", 404),
        ("get", "/api/v1/nothing-here", 404),
        ("put", "/api/daily_papers", 405),
        ("post", "/api/papers/2503.00001", 405),
    ],
)
def test_errors_outside_the_routes_are_json(client, papers, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]
    if status == 405:
        assert response["Allow"] == "GET" and "allowed: GET" in response.json()["error"]


def test_an_oversized_body_is_a_json_400(client, papers, member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _, raw = create_token(user=member, name="script")
    response = client.post(
        "/api/v1/comments/2503.00001",
        {"body": "x" * 5000},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "request body: larger than the 1000 bytes this server accepts"


def test_a_fault_in_our_code_is_a_json_500(papers, monkeypatch):
    from dailypapers.api import v1_routes

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(v1_routes, "trending_papers", broken)
    response = Client(raise_request_exception=False).get("/api/v1/trending")
    assert response.status_code == 500
    assert response.json()["error"].startswith("internal error") and "a bug" not in response.json()["error"]


def test_cors_on_public_reads_only(client, papers, member):
    for path in (
        "/api/daily_papers",
        "/api/papers/2503.00001",
        "/api/papers/search?q=attention",
        "/api/papers",
        "/api/v1/papers/2503.00001",
        "/api/v1/trending",
        "/api/v1/search?q=attention",
        "/api/v1/similar/2503.00001",
        "/api/v1/comments/2503.00001",
        "/api/papers/2503.99999",
    ):
        assert client.get(path)["Access-Control-Allow-Origin"] == "*", path
    _, raw = create_token(user=member, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert not client.get("/api/v1/me", **auth).has_header("Access-Control-Allow-Origin")
    assert not client.get("/api/v1/me/follows", **auth).has_header("Access-Control-Allow-Origin")
    assert not client.post("/api/v1/upvotes/2503.00001", **auth).has_header("Access-Control-Allow-Origin")


def test_v1_paper_names_its_submitter_like_the_hf_route(client, papers, member):
    from django.utils import timezone

    from dailypapers.community.submissions import submit_paper
    from tests.factories import make_paper

    make_paper(
        "2511.00042",
        title="Fresh",
        authors=["A. Author"],
        featured_on=None,
        published=timezone.now() - dt.timedelta(days=1),
    )
    submit_paper(user=member, text="2511.00042")
    ours = client.get("/api/v1/papers/2511.00042").json()
    hf = client.get("/api/papers/2511.00042").json()
    assert ours["submittedOnDailyBy"]["user"] == "reader" == hf["submittedOnDailyBy"]["user"]
    assert {key: value for key, value in hf.items() if key in ours} == ours
    assert ours["ai_keywords"] == [] and ours["url"] == "http://testserver/papers/2511.00042"


def test_published_at_is_the_first_version_everywhere(client, papers, tmp_path):
    """A paper known only from the arXiv snapshot has a listing day and no submission time:
    every shape gives that day as its first version's date (CLI and MCP said null)."""
    from dailypapers.api import tools
    from tests.factories import make_paper

    make_paper(
        "2503.00077", title="Snapshot only", authors=["A. Person"], featured_on=dt.date(2025, 3, 6), published=None
    )
    assert client.get("/api/papers/2503.00077").json()["publishedAt"] == "2025-03-06T00:00:00.000Z"
    assert tools.get_paper(arxiv_id="2503.00077").published == "2025-03-06"
    timed = client.get("/api/papers/2503.00001").json()
    assert timed["publishedAt"] == "2025-03-02T17:30:00.000Z"  # the submission time, when known
    assert timed["submittedOnDailyAt"] == "2025-03-03T00:00:00.000Z"  # the featured day
    assert tools.get_paper(arxiv_id="2503.00001").published == "2025-03-02"
