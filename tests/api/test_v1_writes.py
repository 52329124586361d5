"""Our /api/v1: writes need a token or a session with CSRF; tokens are stored hashed and can be
revoked; anonymous clients get 429 with Retry-After past the rate limit."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dailypapers.api.models import AccessToken
from dailypapers.api.tokens import create_token, hash_token


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user("reader", password="pw")


def test_token_is_stored_hashed_and_authenticates(client, papers, member):
    token, raw = create_token(user=member, name="script")
    assert raw.startswith("dp_") and len(raw) > 40
    stored = AccessToken.objects.get(pk=token.pk)
    assert stored.token_hash == hash_token(raw) and raw not in stored.token_hash and stored.prefix == raw[:10]
    response = client.post("/api/v1/upvotes/2503.00002", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200, response.content
    assert response.json() == {"arxiv_id": "2503.00002", "upvoted": True, "upvotes": 1}
    assert client.delete("/api/v1/upvotes/2503.00002", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["upvotes"] == 0
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json() == {
        "username": "reader",
        "authenticated_by": "token",
    }
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_writes_refuse_missing_wrong_and_revoked_tokens(client, papers, member):
    assert client.post("/api/v1/upvotes/2503.00002").status_code == 401
    assert client.post("/api/v1/upvotes/2503.00002", HTTP_AUTHORIZATION="Bearer dp_not-a-token").status_code == 401
    token, raw = create_token(user=member, name="old")
    client.force_login(member)
    assert client.post(f"/settings/tokens/{token.pk}/revoke").status_code == 302
    client.logout()
    response = client.post("/api/v1/upvotes/2503.00002", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401 and "error" in response.json()


def test_session_writes_need_the_csrf_token(papers, member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    assert browser.post("/api/v1/upvotes/2503.00001").status_code in (401, 403)
    browser.get("/settings/tokens")  # any page that renders a form sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    response = browser.post("/api/v1/upvotes/2503.00001", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200 and response.json()["upvotes"] == 1  # recounted from the votes table


def test_token_settings_page_creates_shows_once_and_lists(member):
    browser = Client()
    assert browser.get("/settings/tokens").status_code == 302  # login first
    browser.force_login(member)
    page = browser.post("/settings/tokens", {"name": "zotero"}).content.decode()
    raw = page.split("<pre><code>", 1)[1].split("</code>", 1)[0]
    assert AccessToken.objects.get(user=member).token_hash == hash_token(raw)
    listing = browser.get("/settings/tokens").content.decode()
    assert "zotero" in listing and raw not in listing and raw[:10] in listing
    assert "/feeds/for-you/" in listing


def test_comments_and_submission_through_the_api(client, papers, member):
    _, raw = create_token(user=member, name="agent")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    posted = client.post(
        "/api/v1/comments/2503.00001", {"body": "Nice **result**"}, content_type="application/json", **auth
    )
    assert posted.status_code == 200, posted.content
    assert posted.json()["author"] == "reader"
    listed = client.get("/api/v1/comments/2503.00001").json()
    assert [c["body"] for c in listed] == ["Nice **result**"]
    assert (
        client.post("/api/v1/comments/2503.00001", {"body": "  "}, content_type="application/json", **auth).status_code
        == 400
    )
    refused = client.post("/api/v1/submissions", {"arxiv_id": "not an id"}, content_type="application/json", **auth)
    assert refused.status_code == 400 and refused.json()["error"].startswith("arxiv_id: not in the expected form")
    # The fixture catalogue ends in March 2025, so the site's today is its newest listing day
    # (catalog/clock.py): a 1999 paper is too old, not the 2025 ones.
    again = client.post("/api/v1/submissions", {"arxiv_id": "hep-th/9901001"}, content_type="application/json", **auth)
    assert again.status_code == 409 and "too old" in again.json()["error"]


def test_anonymous_rate_limit_answers_429_with_retry_after(client, papers, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = "3/min"
    statuses = [client.get("/api/daily_papers").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/papers/2503.00001")
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    assert "error" in limited.json()
    other_ip = client.get("/api/daily_papers", REMOTE_ADDR="10.0.0.2")
    assert other_ip.status_code == 200


def test_members_get_their_own_higher_limit(client, papers, member, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = "1/min"
    settings.API_RATE_LIMIT_MEMBER = "5/min"
    _, raw = create_token(user=member, name="script")
    assert client.get("/api/daily_papers").status_code == 200
    assert client.get("/api/daily_papers").status_code == 429
    assert [client.get("/api/daily_papers", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code for _ in range(6)] == [
        200
    ] * 5 + [429]


def test_v1_reads(client, papers):
    assert [p["id"] for p in client.get("/api/v1/trending").json()] == ["2503.00003", "2503.00001", "2503.00002"]
    assert client.get("/api/v1/trending?window=year").status_code == 400
    assert client.get("/api/v1/papers/hep-th/9901001").json()["categories"] == ["cs.CL"]
    similar = client.get("/api/v1/similar/2503.00001").json()
    assert "2503.00001" not in [p["id"] for p in similar]
    assert client.get("/api/v1/similar/2503.99999").status_code == 404
    found = client.get("/api/v1/search?q=diffusion&category=cs.LG").json()
    assert [p["id"] for p in found] == ["2503.00002"]


def test_bad_parameters_name_the_parameter(client, papers):
    for url, name in (
        ("/api/daily_papers?date=2025-13-01", "date"),
        ("/api/daily_papers?week=2025-W60", "week"),
        ("/api/daily_papers?month=2025-13", "month"),
        ("/api/daily_papers?limit=0", "limit"),
        ("/api/papers?cursor=xyz", "cursor"),
        ("/api/papers/search?q=a%00", "q"),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"].startswith(name), (url, response.json())
    # The pages' rules (catalog/windows.py): years 1990 to 2999, W53 only in a 53-week year.
    assert client.get("/api/daily_papers?month=9999-12").status_code == 400
    assert client.get("/api/daily_papers?week=2026-W53").status_code == 200  # 2026 has 53 ISO weeks
    no_week = client.get("/api/daily_papers?week=2025-W53")
    assert no_week.status_code == 400 and "2025 has ISO weeks 01 to 52" in no_week.json()["error"]


def test_link_header_pages_daily_and_full_listing(client, papers):
    first = client.get("/api/daily_papers?limit=2")
    assert [p["paper"]["id"] for p in first.json()] == ["2503.00003", "2503.00002"]
    next_url = first["Link"].split(">", 1)[0].lstrip("<")
    assert 'rel="next"' in first["Link"] and "p=1" in next_url
    assert next_url.startswith("http://testserver/api/daily_papers?")  # the address the client used
    second = client.get(next_url.removeprefix("http://testserver"))
    assert [p["paper"]["id"] for p in second.json()] == ["2503.00001"] and not second.has_header("Link")
    seen, url = [], "/api/papers?limit=2"
    while url:
        response = client.get(url)
        seen += [p["id"] for p in response.json()]
        link = response["Link"].split(">", 1)[0].lstrip("<") if response.has_header("Link") else None
        url = link.removeprefix("http://testserver") if link else None
    # newest listing day first; 00001 and 00002 share a day, so the cursor must break the tie
    assert seen == ["2503.00003", "2503.00001", "2503.00002", "hep-th/9901001"]


def test_openapi_schema_and_docs_page(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/daily_papers" in schema["paths"] and "/api/v1/upvotes/{arxiv_id}" in schema["paths"]
    assert {"TokenAuth", "MemberSessionAuth"} <= set(schema["components"]["securitySchemes"])
    assert client.get("/api/docs").status_code == 200


def test_docs_page_loads_swagger_from_our_static_files(client, db):
    html = client.get("/api/docs").content.decode()
    assert "cdn.jsdelivr" not in html and "/static/ninja/swagger-ui-bundle.js" in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
