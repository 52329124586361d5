"""Collections in Chromium at a phone's 390 px and a laptop's 1280 px: save papers from their
cards in one click (htmx, no reload), mark one read and see it dimmed, open "Saved for later"
and reorder it with the ↑/↓ buttons, which persist. Screenshots go to var/e2e-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils.text import slugify

from dailypapers.library.models import CollectionItem, ReadingState
from tests.e2e.test_pages import LAPTOP, PHONE, _sign_in
from tests.factories import make_paper

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e-artifacts"


def _card(page, paper):
    return page.locator(f"#paper-{slugify(paper.arxiv_id)}")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1280px"])
def test_save_from_cards_open_the_collection_and_reorder(page, live_server, viewport):
    papers = [
        make_paper(title=title, upvotes=votes, hotness=float(votes))
        for title, votes in (("Alpha: sparse experts", 9), ("Beta: graph weather", 6), ("Gamma: tiny transformers", 3))
    ]
    page.set_viewport_size(viewport)
    member = _sign_in(page, live_server)
    page.goto(live_server.url + "/")
    page.evaluate("() => { window.notReloaded = true; }")
    for paper in papers:
        _card(page, paper).locator(".library-actions button.save-button").click()
        _card(page, paper).locator(".library-actions button.save-button.saved").wait_for()
    assert page.evaluate("() => window.notReloaded") is True  # htmx swapped the buttons in place
    assert CollectionItem.objects.filter(collection__owner=member).count() == 3

    gamma = _card(page, papers[2])
    gamma.locator("button.read-button").click()
    gamma.locator(".library-actions[data-reading-state='read']").wait_for()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    assert float(gamma.evaluate("el => getComputedStyle(el).opacity")) < 1  # read: dimmed
    assert float(_card(page, papers[0]).evaluate("el => getComputedStyle(el).opacity")) == 1
    assert ReadingState.objects.get(user=member).paper_id == papers[2].pk
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"library-feed-{viewport['width']}.png"))

    if viewport is PHONE:  # the header's links sit behind the Menu button on a phone
        page.locator("label.menu-button").click()
    page.locator("header .site-links a", has_text="Collections").click()
    page.locator("a", has_text="Saved for later").click()
    page.wait_for_url(f"**/collections/{CollectionItem.objects.first().collection_id}")
    titles = page.locator("#collection-items .paper-title")
    assert titles.all_inner_texts() == [p.title for p in papers]
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator(f"#item-{papers[0].pk} button[value=down]").click()
    page.wait_for_function(
        "t => document.querySelector('#collection-items .paper-title').textContent.trim() === t", arg=papers[1].title
    )
    assert page.evaluate("() => window.notReloaded") is True
    assert titles.all_inner_texts() == [papers[1].title, papers[0].title, papers[2].title]
    page.reload()
    assert page.locator("#collection-items .paper-title").all_inner_texts() == [
        papers[1].title,
        papers[0].title,
        papers[2].title,
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(ARTIFACTS / f"library-collection-{viewport['width']}.png"), full_page=True)
