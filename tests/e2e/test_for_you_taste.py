"""Browser: a member sees why each "for you" paper is there, opens "what we think you like",
removes two papers from it, and the feed changes; putting one back is one click too."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.community.test_recommend import TODAY, save, store_vector


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_editing_what_we_think_you_like(page, live_server, django_user_model):
    import numpy as np

    from tests.factories import make_paper

    member = django_user_model.objects.create_user("reader", "reader@example.org", "a long passphrase 42")
    papers = {}
    for topic, axis in (("Quantum", 0), ("Protein", 1)):
        for n in range(5):
            paper = make_paper(title=f"{topic} paper {n}", authors=[f"{topic} Author {n}"], featured_on=TODAY)
            vector = np.zeros(3)
            vector[axis], vector[2] = 1.0, 0.05 * n
            store_vector(paper, vector)
            papers[f"{topic}{n}"] = paper
    save(member, papers["Quantum0"], papers["Quantum1"], papers["Protein0"], papers["Protein1"])
    client = Client()
    client.force_login(member)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(f"{live_server.url}/for-you")
    titles = page.locator("article h2.paper-title").all_inner_texts()
    assert {t.split()[0] for t in titles[:4]} == {"Quantum", "Protein"}
    assert "that you saved" in page.locator("article .featured-reason").first.inner_text()

    page.get_by_role("link", name="what we think you like").click()
    page.wait_for_url("**/for-you/taste")
    shaping = page.locator("#taste-items li")
    assert shaping.count() == 4
    for title in ("Protein paper 0", "Protein paper 1"):
        page.get_by_role("button", name=f"Stop using “{title}” for your feed").click()
        page.wait_for_url("**/for-you/taste")
    assert page.locator("#taste-items li").count() == 2
    assert page.locator("#taste-muted li").count() == 2
    assert "no longer shapes your feed" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/for-you")
    titles = page.locator("article h2.paper-title").all_inner_texts()
    assert [t.split()[0] for t in titles[:3]] == ["Quantum"] * 3  # only what still shapes the feed leads

    page.goto(f"{live_server.url}/for-you/taste")
    page.get_by_role("button", name="Use “Protein paper 0” for your feed again").click()
    page.wait_for_url("**/for-you/taste")
    assert page.locator("#taste-items li").count() == 3
