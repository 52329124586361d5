"""RFC 8058 one-click unsubscribe: the headers on every digest, POST without login or CSRF
answering 200 (no redirect), GET only showing a page, and staying unsubscribed."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dailypapers.digest import subscriptions
from dailypapers.digest.models import Subscription, Suppression
from dailypapers.digest.sending import send_edition
from tests.digest.conftest import MONDAY

pytestmark = pytest.mark.django_db


def _active(email="u@example.org", **fields) -> Subscription:
    return Subscription.objects.create(email=email, status=Subscription.ACTIVE, **fields)


def test_every_digest_carries_one_click_unsubscribe_headers(smtp, papers, settings):
    subscription = _active()
    send_edition(kind="daily", date=MONDAY)
    message = smtp.to("u@example.org")[0]
    https, mailto = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert https.startswith(settings.BASE_URL + "/unsubscribe/") and mailto.startswith("mailto:")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<digest-\d+-\d+@[\w.-]+>", message["Message-ID"])
    assert message.get_body(preferencelist=("plain",)) and message.get_body(preferencelist=("html",))
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'lang="en"' in html and "prefers-color-scheme: dark" in html and 'style="' in html
    assert subscriptions.subscription_for_token(https.rsplit("/", 1)[1]) == subscription


def test_post_unsubscribes_without_login_or_csrf_and_answers_200(smtp, papers, settings):
    subscription = _active()
    send_edition(kind="daily", date=MONDAY)
    url = re.findall(r"<([^>]+)>", smtp.to("u@example.org")[0]["List-Unsubscribe"])[0].removeprefix(settings.BASE_URL)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200  # not a redirect
    subscription.refresh_from_db()
    assert subscription.status == Subscription.UNSUBSCRIBED and subscription.unsubscribed_at
    assert strict.post(url).status_code == 200  # idempotent


def test_get_only_shows_a_page_with_a_button(client, db):
    subscription = _active()
    response = client.get(f"/unsubscribe/{subscriptions.link_token(subscription)}")
    assert response.status_code == 200 and b"<button" in response.content
    subscription.refresh_from_db()
    assert subscription.status == Subscription.ACTIVE


def test_forged_tokens_are_refused(client, db):
    subscription = _active()
    assert client.post(f"/unsubscribe/{subscription.token}").status_code == 404  # the raw token is not signed
    assert client.post("/unsubscribe/nonsense").status_code == 404
    subscription.refresh_from_db()
    assert subscription.status == Subscription.ACTIVE


def test_unsubscribed_gets_no_more_digests_and_everything_suppresses_the_address(client, smtp, papers):
    trending = _active()
    author = _active(kind="author", value="Ada Lovelace")
    client.post(f"/unsubscribe/{subscriptions.link_token(trending)}")
    assert send_edition(kind="daily", date=MONDAY)["sent"] == 1  # only the author digest
    client.post(f"/unsubscribe/{subscriptions.link_token(author)}", {"everything": "1"})
    assert Suppression.objects.filter(email="u@example.org", reason=Suppression.UNSUBSCRIBED).exists()
    # Asking again through the form sends a confirmation, but nothing else until it is used.
    subscriptions.request_subscription(email="u@example.org", frequency="daily", kind="trending")
    trending.refresh_from_db()
    assert trending.status == Subscription.UNCONFIRMED


def test_reimporting_never_resubscribes_anyone_who_left(tmp_path, db):
    from django.core.management import call_command

    left = _active("left@example.org")
    subscriptions.unsubscribe(left)
    Suppression.objects.create(email="bounced@example.org", reason=Suppression.HARD_BOUNCE)
    listing = tmp_path / "list.txt"
    listing.write_text("new@example.org\nleft@example.org\nbounced@example.org\nnot an address\nnew@example.org\n")
    with pytest.raises(SystemExit) as exit_:
        call_command("digest", "import", str(listing))
    assert exit_.value.code == 3  # done, a record skipped (the bad line)
    left.refresh_from_db()
    assert left.status == Subscription.UNSUBSCRIBED
    assert set(Subscription.objects.filter(status=Subscription.ACTIVE).values_list("email", flat=True)) == {
        "new@example.org"
    }
    assert not Subscription.objects.filter(email="bounced@example.org").exists()


def test_unsubscribing_after_the_edition_was_built_still_stops_the_message(smtp, papers):
    from dailypapers.digest.sending import Report, build_edition, deliver_due

    leaving = _active("leaving@example.org")
    _active("staying@example.org")
    build_edition(kind="daily", date=MONDAY)
    subscriptions.unsubscribe(leaving)
    report = deliver_due(report=Report())
    assert (report.sent, report.skipped, report.failed) == (1, 1, 0)
    assert dict(smtp.per_recipient) == {"staying@example.org": 1}
