"""Header injection (CR/LF in email fields, request ids, feed and export queries) and
oversize bodies (> 1 MB, too many fields): refused with 4xx, never a 500, never a header or
an email recipient the attacker wrote. The oversize bodies are also sent over a real socket
to a live server, where the body arrives in pieces as from a browser."""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote, urlsplit

import pytest

CRLF = ["\r\nX-Evil: 1", "\nX-Evil: 1", "\rX-Evil: 1", "%0d%0aX-Evil:%201", "\u2028X-Evil: 1", "\x85X-Evil: 1"]
BIG = 1_100_000


def _no_injected_header(response) -> None:
    for name, value in response.items():
        assert name.lower() != "x-evil", (name, value)
        assert "\r" not in value and "\n" not in value, (name, value)


def test_request_id_is_never_echoed_with_line_breaks(client, db):
    for evil in ["abc\r\nX-Evil: 1", "abc\nX-Evil: 1", "x" * 500, "<script>", "id with spaces"]:
        response = client.get("/healthz", HTTP_X_REQUEST_ID=evil)
        _no_injected_header(response)
        assert response["X-Request-ID"] != evil


@pytest.mark.parametrize("suffix", CRLF)
def test_email_fields_with_line_breaks_are_refused(client, victim, mailoutbox, suffix):
    response = client.post(
        "/subscribe",
        {"email": f"reader@example.org{suffix}\r\nBcc: evil@evil.example", "frequency": "daily", "kind": "trending"},
    )
    assert response.status_code == 400
    signup = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": f"newbie@example.org{suffix}",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert signup.status_code < 500
    for message in mailoutbox:
        assert "evil.example" not in " ".join(message.recipients())
        assert all("\n" not in v and "\r" not in v for v in message.extra_headers.values())


@pytest.mark.parametrize("suffix", CRLF)
def test_feed_and_export_queries_do_not_reach_headers(client, papers, suffix):
    for url in (
        f"/feeds/search.rss?q=attention{quote(suffix, safe='%')}",
        f"/feeds/search.atom?q=attention{quote(suffix, safe='%')}",
        f"/export/search.bib?q=attention{quote(suffix, safe='%')}",
        f"/papers/{papers[0].arxiv_id}.bib",
        f"/search?mode=keyword&q=attention{quote(suffix, safe='%')}",
    ):
        response = client.get(url)
        assert response.status_code < 500, url
        _no_injected_header(response)


def test_a_raw_header_value_with_line_breaks_never_comes_back(live_server, db):
    """Over a real socket: the server must not copy a request header into the response."""
    host = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    connection.putrequest("GET", "/healthz")
    connection.putheader("X-Request-ID", "abc%0d%0aX-Evil:%201")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("X-Evil") is None
    connection.close()


FORM_POSTS = [
    "/subscribe",
    "/papers/{arxiv}/comments",
    "/papers/submit",
    "/follow",
    "/settings/tokens",
    "/accounts/login/",
    "/subscriptions/{link}",
]


def _urls(paper, subscription):
    from dailypapers.digest import subscriptions

    return [u.format(arxiv=paper.arxiv_id, link=subscriptions.link_token(subscription)) for u in FORM_POSTS]


def test_oversize_form_bodies_are_refused(client, victim, paper, victim_subscription):
    client.force_login(victim)
    for url in _urls(paper, victim_subscription):
        big = client.post(url, {"body": "x" * BIG, "email": "x" * BIG, "value": "x" * BIG})
        assert big.status_code in (400, 413), (url, big.status_code)
        many = client.post(url, {f"field{i}": "x" for i in range(500)})
        assert many.status_code in (400, 413), (url, many.status_code)


def test_oversize_json_bodies_are_refused(client, victim, paper, victim_token, settings):
    settings.DIGEST_BOUNCE_WEBHOOK_SECRET = "s3cret-webhook"
    _, raw = victim_token
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = json.dumps({"body": "x" * BIG, "arxiv_id": "x" * BIG})
    for url in (f"/api/v1/comments/{paper.arxiv_id}", "/api/v1/submissions"):
        response = client.post(url, body, content_type="application/json", **bearer)
        assert response.status_code in (400, 413, 422), (url, response.status_code)
    # The upvote takes no body and never reads one, so a big one is simply ignored.
    assert (
        client.post(f"/api/v1/upvotes/{paper.arxiv_id}", body, content_type="application/json", **bearer).status_code
        == 200
    )
    hook = client.post(
        "/digest/webhook/bounce",
        json.dumps([{"email": "a@example.org", "type": "x" * BIG}]),
        content_type="application/json",
        HTTP_X_WEBHOOK_SECRET="s3cret-webhook",
    )
    assert hook.status_code in (400, 413)


def test_oversize_body_over_a_real_socket(live_server, db):
    """A 2 MB form body sent in chunks, as a browser or a script would: a 4xx, not a 500 or a hang."""
    host = urlsplit(live_server.url)
    for path, content_type in (
        ("/subscribe", "application/x-www-form-urlencoded"),
        ("/api/v1/comments/2606.00001", "application/json"),
    ):
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        body = (
            b"email=" + b"x" * 2_000_000
            if content_type.startswith("application/x")
            else json.dumps({"body": "x" * 2_000_000}).encode()
        )
        connection.request(
            "POST", path, body=body, headers={"Content-Type": content_type, "Authorization": "Bearer dp_nope"}
        )
        response = connection.getresponse()
        response.read()
        assert 400 <= response.status < 500, (path, response.status)
        connection.close()
