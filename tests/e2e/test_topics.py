"""Keyword chips and a topic page in Chromium at a phone's 390 px and a laptop's 1280 px: the
chips wrap inside the card, a click opens the topic page, which fits the screen and follows the
keyword in place. Screenshots go to $E2E_SCREENSHOTS when set (to look at, not compared)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dailypapers.catalog.keywords import save_keywords
from dailypapers.community.follows import follows_of
from tests.e2e.test_pages import LAPTOP, PHONE, _sign_in
from tests.factories import make_paper

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
KEYWORDS = [
    "sparse mixture-of-experts",
    "loss-free load balancing",
    "auxiliary loss",
    "router scores",
    "expert load",
    "perplexity",
]


@pytest.fixture
def papers():
    moe = make_paper(
        arxiv_id="2606.00001",
        title="Loss-free load balancing for sparse mixtures of experts",
        abstract="We balance the load of experts without an auxiliary loss. " * 10,
        upvotes=3,
        hotness=2.0,
    )
    other = make_paper(arxiv_id="2606.00002", title="Another MoE paper", hotness=1.0)
    save_keywords({moe.pk: [(k, 0.5) for k in KEYWORDS], other.pk: [("sparse mixture-of-experts", 0.6)]})
    return [moe, other]


def _shot(page, name: str) -> None:
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390", "1280"])
def test_chips_open_the_topic_page_and_fit_the_screen(page, live_server, papers, size):
    page.set_viewport_size(size)
    page.goto(live_server.url + "/")
    card = page.locator(".paper-card", has_text="Loss-free load balancing")
    chips = card.locator(".paper-keywords a.keyword")
    assert chips.all_inner_texts() == KEYWORDS
    card_box = card.bounding_box()
    for chip in chips.all():
        box = chip.bounding_box()
        assert box["x"] >= card_box["x"] and box["x"] + box["width"] <= card_box["x"] + card_box["width"] + 0.5
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    _shot(page, f"feed-{size['width']}")
    chips.first.click()
    page.wait_for_url("**/topics/sparse%20mixture-of-experts")
    assert page.locator("h1").inner_text() == "sparse mixture-of-experts"
    titles = page.locator(".paper-card .paper-title").all_inner_texts()
    assert titles == ["Loss-free load balancing for sparse mixtures of experts", "Another MoE paper"]
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    _shot(page, f"topic-{size['width']}")
    page.goto(live_server.url + "/papers/2606.00001")
    assert page.locator(".paper-page .paper-keywords a.keyword").all_inner_texts() == KEYWORDS
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    _shot(page, f"paper-{size['width']}")


def test_follow_a_keyword_in_place(page, live_server, papers):
    page.set_viewport_size(PHONE)
    user = _sign_in(page, live_server)
    page.goto(live_server.url + "/topics/auxiliary%20loss")
    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_role("button", name="Follow keyword auxiliary loss").click()
    page.get_by_role("button", name="Stop following keyword auxiliary loss").wait_for()
    assert page.evaluate("() => window.notReloaded") is True
    assert follows_of(user)["keyword"] == ["auxiliary loss"]
