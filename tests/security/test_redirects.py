"""Open redirects: every view that redirects to a caller-supplied target (`next=` on votes,
follows, comments, login and logout; arXiv-id spellings) must stay on this site, whatever
spelling of an outside URL it is given."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests.security.conftest import csrf_client

OUTSIDE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https:/evil.example",
    " //evil.example",
    "\t//evil.example",
    "/%09/evil.example",
    "%2F%2Fevil.example",
    "http://testserver@evil.example/",
    "http://evil.example\\@testserver/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/%2F..",
    "\x00//evil.example",
    "https://testserver.evil.example/",
]


def _stays_here(response) -> bool:
    location = response.get("Location")
    if location is None:
        return True
    # Browsers read a backslash as a slash and drop tabs and newlines before parsing.
    browser = location.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "").strip()
    parts = urlsplit(browser)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return False
    return parts.netloc in ("", "testserver")


def test_the_check_catches_outside_targets():
    class Fake(dict):
        def get(self, key, default=None):
            return super().get(key, default)

    assert not _stays_here(Fake(Location="//evil.example"))
    assert not _stays_here(Fake(Location="/\\evil.example"))
    assert not _stays_here(Fake(Location="javascript:alert(1)"))
    assert _stays_here(Fake(Location="/papers/2606.00001"))


@pytest.mark.parametrize("target", OUTSIDE)
def test_next_parameter_never_leaves_the_site(client, victim, paper, target):
    client.force_login(victim)
    attempts = [
        client.post(f"/papers/{paper.arxiv_id}/upvote", {"next": target}),
        client.post(f"/papers/{paper.arxiv_id}/unvote?next={quote(target, safe='')}"),
        client.post("/follow", {"kind": "category", "value": "cs.LG", "next": target}),
        client.post("/unfollow", {"kind": "category", "value": "cs.LG", "next": target}),
        client.post(f"/papers/{paper.arxiv_id}/comments", {"body": "a fine paper", "next": target}),
    ]
    for response in attempts:
        assert response.status_code < 500
        assert _stays_here(response), (target, response.request["PATH_INFO"], response["Location"])


@pytest.mark.parametrize("target", OUTSIDE)
def test_login_and_logout_redirects_stay_here(victim, target):
    client = csrf_client()
    anonymous_vote = client.post(f"/papers/2606.00001/upvote?next={quote(target, safe='')}")
    assert _stays_here(anonymous_vote)
    login = client.post(
        f"/accounts/login/?next={quote(target, safe='')}",
        {
            "login": "victim@example.org",
            "password": "correct horse battery",
            "next": target,
            "csrfmiddlewaretoken": _token(client, "/accounts/login/"),
        },
    )
    assert login.status_code == 302 and _stays_here(login), (target, login.status_code, login.get("Location"))
    logout = client.post("/accounts/logout/", {"next": target, "csrfmiddlewaretoken": _token(client, "/papers/submit")})
    assert logout.status_code in (200, 302) and _stays_here(logout), (target, logout.get("Location"))


def _token(client, page):
    client.get(page)
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize(
    "path",
    [
        "/papers//evil.example",
        "/papers/arXiv://evil.example",
        "/papers/date///evil.example",
        "/papers/%2F%2Fevil.example",
        "/papers/2606.00001v2/",
        "/papers/arXiv:2606.00001",
        "//evil.example/",
    ],
)
def test_id_spelling_redirects_stay_here(client, papers, path):
    response = client.get(path)
    assert response.status_code < 500
    assert _stays_here(response), (path, response.get("Location"))
