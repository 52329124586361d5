"""Browser: a new member signs up, confirms the email from the test mailbox, upvotes and comments."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from dailypapers.catalog.models import Paper
from dailypapers.community.models import Comment, Vote
from tests.factories import make_paper


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_sign_up_verify_upvote_comment(page, live_server):
    make_paper(
        "2601.30001",
        title="A paper worth reading",
        abstract="We show things.",
        authors=["Ada Lovelace"],
        categories=["cs.LG"],
        day=dt.date.today(),
        published=dt.datetime.now(dt.UTC),
    )
    mail.outbox.clear()
    page.goto(f"{live_server.url}/accounts/signup/")
    form = page.locator("main form[action='/accounts/signup/']")  # the header has a digest email box too
    form.locator("input[name=email]").fill("reader@example.org")
    form.locator("input[name=username]").fill("reader")
    form.locator("input[name=password1]").fill("a long passphrase 42")
    form.locator("input[name=password2]").fill("a long passphrase 42")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("nav.community-nav a[href='/members/reader']")  # logged in by the confirmation

    page.goto(f"{live_server.url}/papers/2601.30001")
    button = page.locator("#vote-" + str(Paper.objects.get(arxiv_id="2601.30001").pk) + " button")
    page.evaluate("() => { window.notReloaded = true; }")
    button.click()
    page.wait_for_selector("button.vote-button.voted")  # swapped in by htmx
    assert page.evaluate("() => window.notReloaded") is True
    assert page.locator("button.vote-button.voted .vote-count").inner_text() == "1"
    assert Vote.objects.filter(user__username="reader", paper__arxiv_id="2601.30001").count() == 1

    page.fill("form.comment-form textarea[name=body]", "Section 3 is **the** idea.")
    page.locator("form.comment-form button[type=submit]").click()
    page.wait_for_selector(".comment-body strong")
    assert page.locator(".comment-body").first.inner_text().strip() == "Section 3 is the idea."
    assert Comment.objects.filter(user__username="reader").count() == 1
