"""Browser: search as you type finds a paper by meaning, with a shareable URL; the header box
and the paper page's similar papers work."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def indexed(transactional_db, settings, tmp_path):
    from dailypapers.search import service
    from dailypapers.search.indexing import embed_pending
    from dailypapers.search.vectors import reset_vector_indexes
    from tests.search.conftest import make_corpus

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    reset_vector_indexes()
    service._cache.clear()
    papers = make_corpus()
    embed_pending()
    yield papers
    reset_vector_indexes()


def test_search_as_you_type_finds_a_paper_sharing_no_word_with_its_title(page, live_server, indexed):
    page.goto(f"{live_server.url}/search")
    # None of these words is in "Self-play negotiation agents" (nor in its abstract).
    page.fill("#search-q", "AI bots haggling in a marketplace")
    first = page.locator(".search-result").first
    first.locator(".paper-title").filter(has_text="Self-play negotiation agents").wait_for()
    assert first.get_attribute("data-matched-by") == "meaning"
    # hx-push-url updates the address bar without a navigation; expect() polls page.url (the
    # site's CSP forbids the string evaluation wait_for_function would use).
    expect(page).to_have_url(
        re.compile(r"/search\?q=AI(\+|%20)bots(\+|%20)haggling(\+|%20)in(\+|%20)a(\+|%20)marketplace&")
    )
    # The pushed URL is shareable: opening it shows the same first result.
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    assert "Self-play negotiation agents" in page.locator(".search-result").first.inner_text()


def test_filters_update_results_and_header_box_searches(page, live_server, indexed):
    page.goto(f"{live_server.url}/search?q=learning&mode=keyword")
    assert page.locator(".search-result").count() >= 3
    page.select_option("select[name=code]", "1")
    expect(page).to_have_url(re.compile(r"[?&]code=1(&|$)"))
    page.locator(".search-result").first.wait_for()
    titles = page.locator(".search-result .paper-title").all_inner_texts()
    assert titles and all("Self-play" in t or "Graph neural" in t for t in titles)
    page.fill(".site-search input[name=q]", "quantum")
    page.press(".site-search input[name=q]", "Enter")
    page.locator(".search-result .paper-title").filter(has_text="Quantum error correction").wait_for()


def test_more_like_this_from_a_result(page, live_server, indexed):
    page.goto(f"{live_server.url}/search?q=2503.00007")
    assert page.locator(".pinned").count() == 1
    page.click("text=more like this")
    page.locator("text=Papers like").wait_for()
    assert page.locator(".search-result").count() == len(indexed) - 1
