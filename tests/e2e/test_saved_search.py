"""Browser: a member types a search, saves it with one click (the button follows the search
as results update), and finds it on their saved searches, where new papers appear with why."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

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


def _sign_in(page, live_server):
    """A signed-in member: the session Django's test client makes, handed to the browser."""
    from django.test import Client

    member = get_user_model().objects.create_user("ada", "ada@example.org", "correct horse battery staple")
    client = Client()
    client.force_login(member)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_saving_a_typed_search_with_one_click_then_new_matches_show_why(page, live_server, indexed):
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/search")
    page.fill("#search-q", "video diffusion")
    page.locator(".search-count").filter(has_text="video diffusion").wait_for()
    page.select_option("select[name=mode]", "keyword")
    page.locator("form.save-search input[name=mode][value=keyword]").wait_for(state="attached")
    page.click("form.save-search button")
    page.wait_for_url(lambda url: "/saved-searches/" in url)
    assert page.locator("h1").inner_text() == "video diffusion"
    assert "Nothing new yet" in page.locator("#new-matches").inner_text()

    from dailypapers.alerts.matching import match_new_papers
    from dailypapers.alerts.models import SavedSearch
    from dailypapers.search.indexing import embed_pending
    from tests.factories import make_paper

    saved = SavedSearch.objects.get()
    assert (saved.query, saved.mode) == ("video diffusion", "keyword")
    newest = max(p.listing_date for p in indexed)
    make_paper(day=newest, title="Video diffusion for everyone", abstract="A diffusion model for video.")
    embed_pending()
    match_new_papers()
    page.reload()
    card = page.locator("#new-matches .paper-card, #new-matches article").first
    assert "Video diffusion for everyone" in card.inner_text()
    assert "has your words: “video”, “diffusion”" in page.locator("#new-matches").inner_text()
    page.click("a.saved-searches-link")
    assert "video diffusion" in page.locator("main").inner_text()
