"""New matches of a member's saved searches as a section of their personal digest, sent
through the outbox to a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.alerts.saved import save_search, set_in_digest
from dailypapers.digest import smtp as digest_smtp
from dailypapers.digest.models import Subscription
from dailypapers.digest.sending import send_edition
from tests.alerts.conftest import DAY
from tests.digest.smtp_server import SMTPServer
from tests.mailsink import body_text

pytestmark = pytest.mark.django_db
EDITION = DAY + dt.timedelta(days=1)  # Thursday's daily edition covers Wednesday, DAY


@pytest.fixture
def smtp(settings, monkeypatch):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        monkeypatch.setattr(digest_smtp, "RETRY_BASE_SECONDS", 0.05)
        yield server.handler


def _personal_digest(member):
    return Subscription.objects.create(
        email=member.email, user=member, kind=Subscription.FOR_YOU, frequency="daily", status=Subscription.ACTIVE
    )


def test_the_personal_digest_has_a_section_per_saved_search_saying_why(member, arrive, smtp):
    words = save_search(user=member, params={"q": "video diffusion", "mode": "keyword"}, name="Video models")
    meaning = save_search(user=member, params={"q": "self-play negotiation agents", "mode": "meaning"})
    set_in_digest(meaning, True)
    _personal_digest(member)
    arrive()
    result = send_edition(kind="daily", date=EDITION)
    assert result["sent"] == 1
    (message,) = smtp.messages
    text, html = body_text(message), body_text(message, "html")
    assert "== Saved search: Video models ==" in text and f"/saved-searches/{words.pk}" in text
    assert "Video diffusion without motion priors" in text
    assert "Why: has your words: “video”, “diffusion”" in text
    assert "Bargaining robots" in text and "Why: close in meaning to your search (score 0." in text
    assert "Saved search: <a href=" in html and "Why: has your words" in html
    # Sent once: the same edition again sends nothing.
    assert send_edition(kind="daily", date=EDITION)["sent"] == 0 and len(smtp.messages) == 1


def test_a_saved_search_left_out_of_the_digest_adds_nothing(member, arrive, smtp):
    saved = save_search(user=member, params={"q": "video diffusion", "mode": "keyword"})
    set_in_digest(saved, False)
    _personal_digest(member)
    arrive()
    send_edition(kind="daily", date=EDITION)
    assert all("Saved search:" not in body_text(m) for m in smtp.messages)


def test_other_digests_carry_no_saved_search_section(member, arrive, smtp):
    save_search(user=member, params={"q": "video diffusion", "mode": "keyword"})
    Subscription.objects.create(email=member.email, user=member, kind="trending", status=Subscription.ACTIVE)
    arrive()
    send_edition(kind="daily", date=EDITION)
    (message,) = smtp.messages
    assert "Saved search:" not in body_text(message)
