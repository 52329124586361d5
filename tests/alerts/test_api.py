"""Saved searches through /api/v1/me/saved-searches (token auth), and their OpenAPI entries."""

from __future__ import annotations

import pytest

from dailypapers.api.tokens import create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(member):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=member, name='t')[1]}"}


def _post(client, path, body, auth):
    return client.post(path, body, content_type="application/json", **auth)


def test_save_list_rename_read_matches_and_delete(client, auth, arrive, other_member):
    made = _post(client, "/api/v1/me/saved-searches", {"q": "video diffusion", "mode": "keyword", "code": "1"}, auth)
    assert made.status_code == 201, made.content
    saved = made.json()
    assert (saved["query"], saved["mode"], saved["has_code"], saved["name"]) == (
        "video diffusion",
        "keyword",
        True,
        "video diffusion with code",
    )
    assert saved["feed_rss"].startswith("http") and "/feeds/saved/" in saved["feed_rss"]
    arrive()
    path = f"/api/v1/me/saved-searches/{saved['id']}"
    renamed = client.patch(path, {"name": "Video", "in_digest": False}, content_type="application/json", **auth)
    assert renamed.json()["name"] == "Video" and renamed.json()["in_digest"] is False
    assert [s["name"] for s in client.get("/api/v1/me/saved-searches", **auth).json()] == ["Video"]
    found = client.get(f"{path}/matches", **auth).json()
    assert [m["paper"]["title"] for m in found] == ["Diffusion models for video generation"]
    assert found[0]["why"] == {"kind": "words", "reason": "has your words: “video”, “diffusion”", "score": None}
    other = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=other_member, name='t')[1]}"}
    assert client.get(path, **other).status_code == 404
    assert client.delete(path, **auth).status_code == 204
    assert client.get(path, **auth).status_code == 404
    assert client.get("/api/v1/me/saved-searches").status_code == 401


def test_bad_values_answer_400_naming_the_field(client, auth):
    bad_day = _post(client, "/api/v1/me/saved-searches", {"q": "x", "from": "2026-13-01"}, auth)
    assert bad_day.status_code == 400 and "from" in bad_day.json()["error"]
    nothing = _post(client, "/api/v1/me/saved-searches", {"q": ""}, auth)
    assert nothing.status_code == 400 and nothing.json()["error"].startswith("q:")
    mode = _post(client, "/api/v1/me/saved-searches", {"q": "x", "mode": "psychic"}, auth)
    assert mode.status_code == 400


def test_webhooks_add_list_remove(client, auth):
    saved = _post(client, "/api/v1/me/saved-searches", {"q": "video diffusion"}, auth).json()
    hooks = f"/api/v1/me/saved-searches/{saved['id']}/webhooks"
    added = _post(client, hooks, {"url": "https://hooks.slack.com/services/T/B/x", "format": "slack"}, auth)
    assert added.status_code == 201 and added.json()["format"] == "slack" and len(added.json()["secret"]) == 64
    assert _post(client, hooks, {"url": "ftp://example.org/x"}, auth).status_code == 400
    assert [h["id"] for h in client.get(hooks, **auth).json()] == [added.json()["id"]]
    assert client.delete(f"{hooks}/{added.json()['id']}", **auth).status_code == 204
    assert client.get(hooks, **auth).json() == []


def test_openapi_documents_the_saved_search_routes(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/me/saved-searches"])
    one = next(p for p in paths if p.startswith("/api/v1/me/saved-searches/{") and p.endswith("/matches"))
    assert paths[one]["get"]["summary"] == "Newest matches, each saying why"
    assert "why" in schema["components"]["schemas"]["MatchRecord"]["properties"]
