"""The author page in Chromium at 390 and 1280 px: reached from a card's author link, it
shows the chart, co-authors and cards without sideways scrolling; Follow works in place;
"Show more papers" appends the next page. Screenshots go to $DAILYPAPERS_SCREENSHOTS if set."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from dailypapers.community.follows import follows_of
from tests.factories import make_paper

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


@pytest.fixture
def author_papers():
    for n in range(1, 8):
        make_paper(
            title=f"Subgoal search for planning, part {n}",
            authors=["Piotr Miłoś", "Łukasz Kuciński", f"Co-Author Number-{n} With A Very Long Surname"],
            categories=["cs.LG", "cs.AI"],
            day=date(2026, n, 10),
            upvotes=n,
        )
    make_paper(title="A variant spelling", authors=["Piotr Milos", "Łukasz Kuciński"], day=date(2026, 6, 30))


def _shot(page, name):
    folder = os.environ.get("DAILYPAPERS_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1280px"])
def test_author_page_from_a_card_fits_the_screen(page, live_server, author_papers, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/papers?date=2026-06-30")
    page.locator("article.paper-card .paper-authors a", has_text="Piotr Milos").click()
    page.wait_for_url(f"{live_server.url}/authors/piotr-milos")
    assert page.locator("h1").inner_text() == "Piotr Miłoś"
    assert "Also listed as Piotr Milos" in page.locator(".author-variants").inner_text()
    assert page.locator(".month-chart rect").count() >= 6
    assert page.locator(".coauthors a", has_text="Łukasz Kuciński").is_visible()
    assert page.locator("article.paper-card").count() == 8
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    _shot(page, f"author-{viewport['width']}")


def test_follow_and_show_more_on_the_author_page(page, live_server, author_papers, monkeypatch):
    from allauth.account.models import EmailAddress

    from dailypapers.catalog import author_pages

    monkeypatch.setattr(author_pages, "PAGE_SIZE", 5)
    user = get_user_model().objects.create_user("reader", "reader@example.org", "a long passphrase 42")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form[action='/accounts/login/']")
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill("a long passphrase 42")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("nav.community-nav a[href='/members/reader']", state="attached")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/authors/piotr-milos")
    page.get_by_role("button", name="Follow author Piotr Miłoś").click()
    page.get_by_role("button", name="Stop following author Piotr Miłoś").wait_for()
    assert follows_of(user)["author"] == ["Piotr Miłoś"]
    assert page.locator("article.paper-card").count() == 5
    page.get_by_role("button", name="Show more papers").click()
    page.wait_for_url(f"{live_server.url}/authors/piotr-milos?page=2")
    assert page.locator("article.paper-card").count() == 8
