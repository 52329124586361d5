"""Double opt-in through a real SMTP server on loopback, the form's silence about who is
subscribed, manage links, purging, and refusing header injection in every user field."""

from __future__ import annotations

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.utils import timezone

from dailypapers.digest import subscriptions
from dailypapers.digest.models import Subscription, Suppression
from dailypapers.digest.sending import send_edition
from tests.digest.conftest import MONDAY
from tests.digest.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^\s\"<>]+")


def _links(message) -> list[str]:
    return LINK.findall(message.get_body(preferencelist=("plain",)).get_content())


def _subscribe(client, email="reader@example.org", **fields):
    data = {"email": email, "frequency": "daily", "kind": "trending", "value": "", **fields}
    return client.post("/subscribe", data)


def test_double_opt_in_end_to_end(client, smtp, papers, settings):
    response = _subscribe(client)
    assert response.status_code == 200 and b"Check your inbox" in response.content
    assert smtp.per_recipient["reader@example.org"] == 1
    subscription = Subscription.objects.get(email="reader@example.org")
    assert subscription.status == Subscription.UNCONFIRMED

    # Nothing is sent before confirmation.
    assert send_edition(kind="daily", date=MONDAY)["queued"] == 0
    assert smtp.per_recipient["reader@example.org"] == 1

    confirm = next(link for link in _links(smtp.messages[0]) if "/subscribe/confirm/" in link)
    path = confirm.removeprefix(settings.BASE_URL)
    page = client.get(path)
    assert page.status_code == 200 and b"Confirm my subscription" in page.content
    subscription.refresh_from_db()
    assert subscription.status == Subscription.UNCONFIRMED  # a GET (link scanner) changes nothing
    assert client.post(path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.ACTIVE and subscription.confirmed_at

    result = send_edition(kind="daily", date=MONDAY)
    assert result["queued"] == 1 and result["sent"] == 1
    digest = smtp.to("reader@example.org")[-1]
    assert papers[0].title in digest.get_body(preferencelist=("plain",)).get_content()
    assert papers[0].title in digest.get_body(preferencelist=("html",)).get_content()


def test_the_form_never_reveals_whether_an_address_is_subscribed(client, smtp, db):
    first = _subscribe(client, "someone@example.org")
    subscriptions.confirm_subscription(signing.dumps(Subscription.objects.get().token, salt=subscriptions.CONFIRM_SALT))
    again = _subscribe(client, "someone@example.org")
    stranger = _subscribe(client, "nobody@example.org")
    Suppression.objects.create(email="bounced@example.org", reason=Suppression.HARD_BOUNCE)
    suppressed = _subscribe(client, "bounced@example.org")
    bodies = {re.sub(rb"[A-Za-z0-9]{64}", b"<csrf>", r.content) for r in (first, again, stranger, suppressed)}
    assert {r.status_code for r in (first, again, stranger, suppressed)} == {200}
    assert len(bodies) == 1
    # the active address got a "manage" note, not a second confirmation
    assert "already subscribed" in smtp.to("someone@example.org")[-1]["Subject"]
    assert smtp.per_recipient["bounced@example.org"] == 0


def test_expired_or_forged_confirmation_links_are_refused(client, smtp, db, settings):
    _subscribe(client)
    subscription = Subscription.objects.get()
    long_ago = time.time() - (settings.DIGEST_CONFIRM_MAX_AGE_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        expired = signing.dumps(subscription.token, salt=subscriptions.CONFIRM_SALT)
    forged = signing.dumps(subscription.token, salt="something else")
    for token in (expired, forged, "garbage"):
        assert client.post(f"/subscribe/confirm/{token}").status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == Subscription.UNCONFIRMED


def test_unconfirmed_subscriptions_are_purged_after_30_days(smtp, db):
    subscriptions.request_subscription(email="old@example.org", frequency="daily", kind="trending")
    subscriptions.request_subscription(email="new@example.org", frequency="daily", kind="trending")
    Subscription.objects.filter(email="old@example.org").update(created_at=timezone.now() - dt.timedelta(days=31))
    assert subscriptions.purge_unconfirmed() == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["new@example.org"]


def test_manage_page_changes_preferences(client, smtp, db):
    subscriptions.request_subscription(email="m@example.org", frequency="daily", kind="trending")
    subscription = Subscription.objects.get()
    subscriptions.confirm_subscription(signing.dumps(subscription.token, salt=subscriptions.CONFIRM_SALT))
    url = f"/subscriptions/{subscriptions.link_token(subscription)}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"frequency": "weekly", "kind": "category", "value": "cs.LG"})
    assert response.status_code == 200 and b"Preferences saved" in response.content
    subscription.refresh_from_db()
    assert (subscription.frequency, subscription.kind, subscription.value) == ("weekly", "category", "cs.LG")
    bad = client.post(url, {"frequency": "weekly", "kind": "category", "value": "not a category"})
    assert bad.status_code == 400 and b"arXiv category" in bad.content
    assert client.get("/subscriptions/forged-token").status_code == 404


INJECTIONS = [
    "a@example.org\r\nBcc: victim@example.org",
    "a@example.org\nSubject: hi",
    "x\r\nBcc: v@example.org",
    "x\rBcc: v@example.org",
    "x\u2028Bcc: v@example.org",
    "x\x00y",
]


@pytest.mark.parametrize("field", ["email", "value", "frequency", "kind"])
@pytest.mark.parametrize("payload", INJECTIONS)
def test_header_injection_in_any_field_is_refused(client, smtp, db, field, payload):
    data = {
        "email": "safe@example.org",
        "frequency": "daily",
        "kind": "author",
        "value": "Ada Lovelace",
        field: payload,
    }
    response = client.post("/subscribe", data)
    assert response.status_code == 400
    assert Subscription.objects.count() == 0 and smtp.attempts == 0


def test_a_stored_value_with_a_line_break_cannot_add_headers(smtp, papers):
    # Even a row written around the form (admin, import) cannot inject: the subject is
    # collapsed to one line and Django refuses multi-line headers.
    Subscription.objects.create(
        email="inj@example.org",
        kind="author",
        value="Ada Lovelace\r\nBcc: victim@example.org",
        status=Subscription.ACTIVE,
    )
    from dailypapers.catalog.models import Author

    Author.objects.filter(authorships__paper=papers[0], name="Ada Lovelace").update(
        name="Ada Lovelace\r\nBcc: victim@example.org"
    )
    send_edition(kind="daily", date=MONDAY)
    assert smtp.per_recipient["victim@example.org"] == 0
    message = smtp.to("inj@example.org")[0]
    assert message["Bcc"] is None and "\n" not in message["Subject"]


def test_for_you_needs_an_account(client, smtp, db):
    response = client.post("/subscribe", {"email": "a@example.org", "frequency": "daily", "kind": "foryou"})
    assert response.status_code == 400 and b"members" in response.content


def test_the_form_cannot_flood_a_mailbox(client, smtp, db, settings):
    settings.DIGEST_MAILS_PER_ADDRESS_PER_HOUR = 3
    for _ in range(5):
        assert _subscribe(client, "target@example.org").status_code == 200
    assert smtp.per_recipient["target@example.org"] == 3


@pytest.mark.parametrize("field", ["value", "frequency", "kind"])
def test_header_injection_through_the_manage_page_is_refused(client, smtp, db, field):
    subscription = Subscription.objects.create(email="m@example.org", status=Subscription.ACTIVE)
    data = {"frequency": "daily", "kind": "topic", "value": "graphs", field: "x\r\nBcc: victim@example.org"}
    assert client.post(f"/subscriptions/{subscriptions.link_token(subscription)}", data).status_code == 400
    subscription.refresh_from_db()
    assert (subscription.kind, subscription.value) == ("trending", "")


def test_a_stored_address_with_a_line_break_is_never_sent_to(smtp, papers):
    Subscription.objects.create(email="x@example.org\r\nRCPT TO:<victim@example.org>", status=Subscription.ACTIVE)
    Subscription.objects.create(email="fine@example.org", status=Subscription.ACTIVE)
    result = send_edition(kind="daily", date=MONDAY)
    assert result["failed"] == 1 and result["sent"] == 1
    assert dict(smtp.per_recipient) == {"fine@example.org": 1}


def test_a_mail_server_outage_costs_the_visitor_nothing(client, settings, db, monkeypatch):
    """Issue 12: with SMTP unreachable the form answered 503 and the API an HTML 500 (after
    creating the subscription). Now the request only queues the mail; it goes out once the
    server is back."""
    from dailypapers.digest.models import QueuedMail
    from dailypapers.digest.transactional import deliver_queued

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    from dailypapers.digest import smtp as digest_smtp

    monkeypatch.setattr(digest_smtp, "RETRY_BASE_SECONDS", 0)
    with SMTPServer() as server:
        port = server.port
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port  # nothing listens there now
    response = _subscribe(client, "patient@example.org")
    assert response.status_code == 200 and b"Check your inbox" in response.content
    queued = QueuedMail.objects.get(to="patient@example.org")
    assert queued.state == QueuedMail.PENDING and "could not hand the mail" in queued.last_error
    with SMTPServer(port=port) as server:
        assert deliver_queued() == {"pending": 0, "failed": 0}
        assert server.handler.per_recipient["patient@example.org"] == 1
    assert deliver_queued() == {"pending": 0, "failed": 0}  # sent once, not again


def test_the_api_subscription_does_not_wait_on_a_dead_mail_server(client, settings, db):
    from django.contrib.auth import get_user_model

    from dailypapers.api.tokens import create_token
    from dailypapers.digest.models import QueuedMail, Subscription

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with SMTPServer() as server:
        port = server.port
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    member = get_user_model().objects.create_user(username="api", email="api@example.org", password="x" * 12)
    _, raw = create_token(user=member, name="script")
    response = client.post(
        "/api/v1/me/subscriptions",
        {"kind": "trending", "frequency": "daily"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 202, response.content
    assert Subscription.objects.filter(email="api@example.org").count() == 1
    assert QueuedMail.objects.get(to="api@example.org").state == QueuedMail.PENDING


def test_in_production_the_request_only_queues_and_the_worker_sends(client, smtp, settings, db):
    from django.db import transaction

    from dailypapers.digest.jobs import send_queued_mail
    from dailypapers.digest.models import QueuedMail

    settings.DIGEST_MAIL_INLINE = False
    with transaction.atomic():
        response = _subscribe(client, "later@example.org")
    assert response.status_code == 200 and smtp.attempts == 0
    assert QueuedMail.objects.get(to="later@example.org").state == QueuedMail.PENDING
    assert send_queued_mail() == {"pending": 0, "failed": 0}
    assert smtp.per_recipient["later@example.org"] == 1
