"""In a real browser, no page breaks the Content Security Policy (a violation would mean a
script or style the policy blocks, i.e. a broken feature for every visitor)."""

import pytest

from tests.factories import make_paper

PAGES = [
    "/",
    "/papers/{id}",
    "/search?q=graph",
    "/papers/trending",
    "/subscribe",
    "/accounts/login/",
    "/accounts/signup/",
    "/about/ranking",
    "/api/docs",
    "/api/swagger",
    "/settings/digests",
]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_pages_load_without_policy_violations(page, live_server):
    paper = make_paper(title="Graph networks for weather")
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    for path in PAGES:
        response = page.goto(live_server.url + path.format(id=paper.arxiv_id))
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert violations == []
