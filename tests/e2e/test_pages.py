"""What a reader sees in Chromium at a phone's 390 px and a laptop's 1280 px: a compact
header with a working menu, no sideways scrolling, cards with an abstract preview and
counts, follow buttons that follow in place, the favicon, the API reference."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from dailypapers.community.follows import follows_of
from dailypapers.digest.models import Subscription
from tests.factories import make_paper

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


@pytest.fixture
def papers():
    return [
        make_paper(
            arxiv_id="2606.00001",
            title="Sparse mixtures of experts for long documents",
            upvotes=12,
            hotness=2.0,
            num_comments=3,
            abstract="We route tokens to experts. " * 30,
            code_url="https://github.com/a/moe",
            authors=("Ada Lovelace", "Alan Turing"),
            categories=("cs.CL", "cs.LG"),
        ),
        make_paper(arxiv_id="2606.00002", title="Graph networks for weather", upvotes=4, hotness=1.0),
    ]


def _sign_in(page, live_server, username="reader"):
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user(username, f"{username}@example.org", "a long passphrase 42")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form[action='/accounts/login/']")
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill("a long passphrase 42")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"nav.community-nav a[href='/members/{username}']", state="attached")
    return user


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/papers/trending",
        "/papers/2606.00001",
        "/search?q=experts",
        "/api/docs",
        "/about/ranking",
        "/subscribe",
        "/accounts/login/",
    ],
)
def test_phone_header_is_compact_and_nothing_scrolls_sideways(page, live_server, papers, path):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] < 120, f"{path}: header {header['height']:.0f} px tall"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page.set_viewport_size(LAPTOP)
    assert page.locator("header.site-header").bounding_box()["height"] < 160
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"], path


def test_phone_menu_opens_the_links(page, live_server, papers):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    trending = page.locator("header .site-links a", has_text="Trending")
    assert page.get_by_placeholder("Search papers").is_visible() and not trending.is_visible()
    page.locator("label.menu-button").click()
    assert trending.is_visible() and page.locator("header a", has_text="Sign in").is_visible()
    trending.click()
    page.wait_for_url("**/papers/trending")


def test_card_shows_abstract_preview_counts_and_badges(page, live_server, papers):
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + "/")
    card = page.locator("article.paper-card").filter(has_text="Sparse mixtures of experts")
    preview = card.locator(".paper-abstract")
    assert preview.inner_text().startswith("We route tokens to experts.")
    line = float(preview.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert preview.bounding_box()["height"] <= 2 * line + 1  # two lines, clamped
    assert "12 upvotes · 3 comments" in card.locator(".paper-stats").inner_text()
    assert card.get_by_role("link", name="Code").get_attribute("href") == "https://github.com/a/moe"
    page.goto(live_server.url + "/papers/trending")
    top = page.locator("article.paper-card").first
    assert "Sparse mixtures" in top.inner_text() and "trending #1" in top.locator(".paper-stats").inner_text()
    assert "hotness" not in page.locator("main").inner_text()


def test_follow_button_follows_in_place(page, live_server, papers):
    user = _sign_in(page, live_server)
    page.goto(live_server.url + "/papers/2606.00001")
    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_role("button", name="Follow author Ada Lovelace").click()
    page.get_by_role("button", name="Stop following author Ada Lovelace").wait_for()
    assert page.evaluate("() => window.notReloaded") is True  # swapped by htmx, no reload
    assert follows_of(user)["author"] == ["Ada Lovelace"]
    page.goto(f"{live_server.url}/members/{user.username}")
    page.get_by_role("button", name="Stop following author Ada Lovelace").click()
    page.get_by_role("button", name="Follow author Ada Lovelace").wait_for()
    assert follows_of(user)["author"] == []


def test_favicon_and_api_reference(page, live_server, papers):
    page.goto(live_server.url + "/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + icon).status == 200
    assert page.request.get(live_server.url + "/favicon.ico").status == 200  # after the redirect
    page.locator("footer").get_by_role("link", name="API", exact=True).click()
    page.wait_for_url("**/api/docs")
    assert page.get_by_role("heading", name="GET /api/daily_papers").is_visible()
    assert page.locator(".api-operation").count() >= 10


def test_search_match_select_shows_its_whole_choice(page, live_server, papers):
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + "/search?q=experts")
    fits = page.evaluate("""() => {
        const select = document.querySelector("select[name=mode]");
        const style = getComputedStyle(select);
        const probe = document.createElement("span");
        probe.style.font = style.font;
        probe.textContent = select.options[select.selectedIndex].text;
        document.body.appendChild(probe);
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return [probe.getBoundingClientRect().width, room];
    }""")
    assert fits[0] <= fits[1], f"'words and meaning' needs {fits[0]:.0f} px, the select has {fits[1]:.0f}"


@pytest.mark.parametrize("path", ["/", "/search?q=attention"])
def test_empty_site_pages_fit_a_phone(page, live_server, path):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path


def test_show_more_appends_and_updates_the_address(page, live_server, papers, monkeypatch):
    from dailypapers.catalog import feed

    monkeypatch.setattr(feed, "PAGE_SIZE", 1)
    page.goto(live_server.url + "/")
    assert page.locator("article.paper-card").count() == 1
    page.get_by_role("button", name="Show more papers").click()
    page.wait_for_url("**/papers?page=2")
    assert page.locator("article.paper-card").count() == 2  # appended, not replaced


def test_member_pages_fit_a_phone(page, live_server, papers):
    page.set_viewport_size(PHONE)
    user = _sign_in(page, live_server)
    for path in (
        f"/members/{user.username}",
        "/settings/digests",
        "/for-you",
        "/papers/submit",
        "/papers/2606.00001/comments",
        "/settings/tokens",
    ):
        page.goto(live_server.url + path)
        assert page.locator("header.site-header").bounding_box()["height"] < 120, path
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    Subscription.objects.create(
        email=user.email, user=user, kind=Subscription.TOPIC, value="diffusion models", status=Subscription.ACTIVE
    )
    page.goto(live_server.url + "/settings/digests")
    page.get_by_role("link", name="Change").click()
    page.get_by_role("heading", name="Your digests").wait_for()  # the digest app's manage page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
