"""Claims and organisations in Chromium at 390 px and 1280 px: a verified author's badge and
link form on the paper page, hiding a paper from the profile, an organisation's page (cards,
follow in place, ask to join, an admin approving) with nothing scrolling sideways.
Screenshots go to $CLAIMS_SCREENSHOTS when set (looked at by hand; not asserted)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.contrib.auth import get_user_model

from dailypapers.catalog.models import Author, Paper
from dailypapers.community.claims import claim_author, decide_claim
from dailypapers.community.models import Follow, OrganisationMembership
from dailypapers.community.orgs import create_organisation, tag_paper
from tests.factories import make_paper

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTHS = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]
PASSWORD = "a long passphrase 42"


def _account(username, **extra):
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form[action='/accounts/login/']")
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"nav.community-nav a[href='/members/{user.username}']", state="attached")


def _shot(page, name):
    folder = os.environ.get("CLAIMS_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}-{page.viewport_size['width']}.png"), timeout=60_000)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", WIDTHS, ids=["390", "1280"])
def test_a_verified_author_sets_links_and_hides_a_paper(page, live_server, viewport):
    page.set_viewport_size(viewport)
    paper = make_paper(
        "2606.50301", title="Ordered sets of research papers", authors=["Josiah Carberry", "Ada Lovelace"]
    )
    author = Author.objects.get(name="Josiah Carberry")
    author.slug = "josiah-carberry"
    author.save()
    josiah = _account("josiah")
    decide_claim(claim=claim_author(user=josiah, author=author), by=josiah, approve=True)

    _sign_in(page, live_server, josiah)
    page.goto(f"{live_server.url}/papers/{paper.arxiv_id}")
    badge = page.locator(".paper-authors a.badge.verified-author")
    assert badge.count() == 1 and badge.get_attribute("href") == "/members/josiah"
    page.locator("#author-links summary").click()
    page.fill("#author-links input[name=code_url]", "https://github.com/jcarberry/ordered")
    page.locator("#author-links button[type=submit]").click()
    page.wait_for_selector("nav.paper-links a:has-text('Code')")
    assert page.locator("nav.paper-links a", has_text="Code").get_attribute("href") == (
        "https://github.com/jcarberry/ordered"
    )
    assert Paper.objects.get(pk=paper.pk).code_url == "https://github.com/jcarberry/ordered"
    _no_sideways_scroll(page)
    _shot(page, "paper-verified-author")

    page.goto(f"{live_server.url}/members/josiah")
    assert page.locator("#authored ~ div.authored-paper", has_text="Ordered sets").count() == 1
    _shot(page, "profile-verified-author")
    page.locator("div.authored-paper button", has_text="Hide from my profile").click()
    page.wait_for_selector("details.hidden-papers")
    assert page.locator("div.authored-paper").count() == 0
    _no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", WIDTHS, ids=["390", "1280"])
def test_an_organisation_page_follow_join_and_approve(page, live_server, viewport):
    page.set_viewport_size(viewport)
    boss = _account("boss", is_staff=True)
    lab = create_organisation(
        name="Carberry Lab", description="Ordered sets and their uses.", url="https://lab.example.org", creator=boss
    )
    for day in (3, 9, 20):
        tag_paper(org=lab, paper=make_paper(title=f"Lab paper of June {day}", day=dt.date(2026, 6, day)))
    reader = _account("reader")

    _sign_in(page, live_server, reader)
    page.goto(f"{live_server.url}/orgs")
    page.locator("ul.org-list a", has_text="Carberry Lab").click()
    page.wait_for_url("**/orgs/carberry-lab")
    cards = page.locator("article.paper-card")
    assert cards.count() == 3 and "Lab paper of June 20" in cards.first.inner_text()
    _no_sideways_scroll(page)
    _shot(page, "org-page")
    page.locator(".org-actions form.follow button.follow-button").click()
    page.wait_for_function("() => document.querySelector('.org-actions').innerText.includes('Following')")
    assert Follow.objects.filter(user=reader, kind="org", value="carberry-lab").exists()
    page.locator(".org-actions button", has_text="Ask to join").click()
    page.wait_for_selector(".membership-state")
    assert OrganisationMembership.objects.get(user=reader).status == "pending"

    _sign_in(page, live_server, boss)
    page.goto(f"{live_server.url}/orgs/carberry-lab")
    request = page.locator("ul.membership-requests li", has_text="reader")
    request.locator("button", has_text="Approve").click()
    page.wait_for_selector(".org-members a[href='/members/reader']")
    assert OrganisationMembership.objects.get(user=reader).status == "approved"
    _no_sideways_scroll(page)
    _shot(page, "org-page-admin")
