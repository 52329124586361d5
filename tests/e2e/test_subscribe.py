"""Browser: subscribe from the form, confirm with the link from the captured email (a real
SMTP server on loopback), change preferences, then unsubscribe with the page's button."""

from __future__ import annotations

import re

import pytest

from dailypapers.digest.models import Subscription
from tests.digest.smtp_server import SMTPServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_subscribe_confirm_manage_unsubscribe(page, live_server, settings):
    with SMTPServer() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp.port, False
        settings.BASE_URL = live_server.url

        page.goto(f"{live_server.url}/subscribe")
        page.get_by_label("Email address").fill("browser@example.org")
        page.get_by_role("radio", name="Daily (weekdays)").check()
        page.get_by_role("radio", name="Trending papers").check()
        page.get_by_role("button", name="Subscribe").last.click()
        page.get_by_role("heading", name="Check your inbox").wait_for()

        assert smtp.handler.per_recipient["browser@example.org"] == 1
        text = smtp.handler.messages[0].get_body(preferencelist=("plain",)).get_content()
        confirm_link = re.search(r"http://\S+/subscribe/confirm/\S+", text).group(0)

        page.goto(confirm_link)
        assert Subscription.objects.get().status == Subscription.UNCONFIRMED  # opening the link is not enough
        page.get_by_role("button", name="Confirm my subscription").click()
        page.get_by_role("heading", name="You are subscribed").wait_for()
        assert Subscription.objects.get().status == Subscription.ACTIVE

        page.get_by_role("link", name="Manage preferences").click()
        page.get_by_role("radio", name="Weekly (Mondays)").check()
        page.get_by_role("button", name="Save preferences").click()
        page.get_by_text("Preferences saved.").wait_for()
        assert Subscription.objects.get().frequency == Subscription.WEEKLY

        page.get_by_role("link", name="unsubscribe").click()
        page.get_by_role("button", name="Unsubscribe", exact=True).click()
        page.get_by_role("heading", name="You are unsubscribed").wait_for()
        assert Subscription.objects.get().status == Subscription.UNSUBSCRIBED


def test_subscribe_button_in_the_page_header(page, live_server, settings):
    with SMTPServer() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp.port, False
        page.goto(f"{live_server.url}/papers")
        header = page.get_by_role("form", name="Get trending papers by email")
        header.get_by_role("textbox").fill("header@example.org")
        header.get_by_role("button", name="Subscribe").click()
        page.get_by_role("heading", name="Check your inbox").wait_for()
        assert smtp.handler.per_recipient["header@example.org"] == 1
        assert Subscription.objects.get().kind == Subscription.TRENDING
