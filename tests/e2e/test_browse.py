"""A reader in a real browser: the home page shows the latest day, the previous-day link
goes back one listing day, a paper opens with its abstract and links."""

from datetime import date

import pytest

from tests.factories import make_paper

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_browse_days_and_open_a_paper(page, live_server):
    make_paper(
        arxiv_id="2606.00101",
        day=date(2026, 6, 26),
        title="Friday: Sparse Mixtures of Experts",
        abstract="We study sparse\nmixtures of experts.",
        code_url="https://github.com/example/moe",
    )
    make_paper(arxiv_id="2606.00202", day=date(2026, 6, 29), title="Monday: Diffusion for Tables", upvotes=3)

    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Monday 29 June 2026"
    assert page.get_by_role("link", name="Monday: Diffusion for Tables").is_visible()

    page.locator("a[rel=prev]").click()
    page.wait_for_url("**/papers?date=2026-06-26")
    assert page.get_by_role("heading", level=1).inner_text() == "Friday 26 June 2026"

    page.get_by_role("link", name="Friday: Sparse Mixtures of Experts").click()
    page.wait_for_url("**/papers/2606.00101")
    assert page.locator(".abstract p").first.inner_text() == "We study sparse mixtures of experts."
    links = page.get_by_role("navigation", name="Paper links")
    assert links.locator("a", has_text="arXiv page").get_attribute("href") == "https://arxiv.org/abs/2606.00101v1"
    assert links.locator("a", has_text="PDF").get_attribute("href") == "https://arxiv.org/pdf/2606.00101v1"
    assert links.locator("a", has_text="Code").get_attribute("href") == "https://github.com/example/moe"
    assert "@misc{lovelace2026fridaysparsemixturesexperts," in page.locator(".bibtex code").inner_text()
