"""Webhooks against a local receiver: signed JSON saying why, Slack and Discord shapes,
retries with backoff, a hook disabled after repeated failures (mail + page), once per paper."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from dailypapers.alerts import webhooks
from dailypapers.alerts.hooks import add_webhook
from dailypapers.alerts.models import SavedSearchMatch, WebhookDelivery
from dailypapers.alerts.saved import save_search
from dailypapers.alerts.webhooks import SIGNATURE_HEADER, deliver_due, verify_signature
from tests.alerts.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # the receiver is on loopback
    with Receiver() as running:
        yield running


def _due_now():
    WebhookDelivery.objects.filter(state="pending").update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_match_is_posted_once_signed_and_saying_why(member, arrive, receiver):
    saved = save_search(user=member, params={"q": "video diffusion", "mode": "keyword"})
    hook = add_webhook(saved, url=receiver.url)
    arrive()
    report = deliver_due()
    assert report.sent == 2 and deliver_due().sent == 0
    assert sorted(receiver.per_delivery().values()) == [1, 1]
    for request in receiver.accepted():
        assert verify_signature(hook.secret, request["headers"][SIGNATURE_HEADER], request["body"])
        assert not verify_signature("another secret", request["headers"][SIGNATURE_HEADER], request["body"])
        assert not verify_signature(hook.secret, request["headers"][SIGNATURE_HEADER], request["body"] + b" ")
    bodies = {body["paper"]["title"]: body for body in receiver.bodies()}
    assert set(bodies) == {"Diffusion models for video generation", "Video diffusion without motion priors"}
    body = bodies["Video diffusion without motion priors"]
    assert body["event"] == "saved_search.match" and body["saved_search"]["name"] == saved.name
    assert body["why"] == {"kind": "words", "reason": "has your words: “video”, “diffusion”", "score": None}
    assert body["paper"]["url"].endswith(f"/papers/{body['paper']['id']}")


def test_slack_and_discord_get_their_incoming_webhook_shapes(member, arrive, receiver):
    saved = save_search(user=member, params={"q": "self-play negotiation agents", "mode": "meaning"})
    add_webhook(saved, url=receiver.url + "/slack", format="slack")
    add_webhook(saved, url=receiver.url + "/discord", format="discord")
    arrive()
    deliver_due()
    by_path = {}
    for request in receiver.accepted():
        by_path.setdefault(request["path"], []).append(request)
    slack = [r for r in receiver.bodies() if "text" in r]
    discord = [r for r in receiver.bodies() if "embeds" in r]
    assert slack and discord and len(slack) == len(discord)
    robots = next(s for s in slack if "Bargaining robots" in s["text"])
    assert "|Bargaining robots>" in robots["text"] and "close in meaning to your search (score 0." in robots["text"]
    embed = next(d["embeds"][0] for d in discord if d["embeds"][0]["title"] == "Bargaining robots")
    assert embed["url"].startswith("http") and embed["description"].startswith("close in meaning")


def test_failures_are_retried_with_backoff_until_accepted(member, arrive, receiver):
    saved = save_search(user=member, params={"q": "quantum surface codes", "mode": "keyword"})
    add_webhook(saved, url=receiver.url)
    arrive()
    receiver.fail_first = 2
    before = timezone.now()
    first = deliver_due()
    assert first.retry_later == 1 and first.sent == 0
    row = WebhookDelivery.objects.get()
    assert row.attempts == 1 and "HTTP 500" in row.last_error
    assert dt.timedelta(seconds=59) <= row.next_attempt_at - before <= dt.timedelta(seconds=70)  # 1 minute
    assert deliver_due().sent == 0  # not due yet: nothing sent
    _due_now()
    deliver_due()
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at - timezone.now() > dt.timedelta(seconds=110)  # 2 minutes
    _due_now()
    assert deliver_due().sent == 1
    row.refresh_from_db()
    assert row.state == "sent" and len(receiver.requests) == 3 and len(receiver.accepted()) == 1


def test_a_hook_failing_again_and_again_is_disabled_and_its_member_told(member, arrive, receiver, settings, client):
    settings.WEBHOOK_DISABLE_AFTER = 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    saved = save_search(user=member, params={"q": "video diffusion", "mode": "keyword"})
    hook = add_webhook(saved, url=receiver.url)
    receiver.always_fail = True
    arrive()
    deliver_due()  # two deliveries fail: 2 in a row
    _due_now()
    report = deliver_due()  # the third failure disables the hook
    hook.refresh_from_db()
    assert report.disabled_hooks == 1 and not hook.active and "HTTP 500" in hook.disabled_reason
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"failed"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    assert "failed 3 times in a row" in mail.outbox[0].body
    client.force_login(member)
    page = client.get(f"/saved-searches/{saved.pk}").content.decode()
    assert f'id="hook-disabled-{hook.pk}"' in page and "after repeated failures" in page
    client.post(f"/saved-searches/{saved.pk}/hooks/{hook.pk}/enable")
    hook.refresh_from_db()
    assert hook.active and hook.consecutive_failures == 0


def test_private_addresses_are_refused_unless_the_operator_allows_them(member, arrive, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    saved = save_search(user=member, params={"q": "quantum surface codes", "mode": "keyword"})
    add_webhook(saved, url="http://127.0.0.1:9/hook")
    arrive()
    assert deliver_due().failed == 1
    row = WebhookDelivery.objects.get()
    assert row.state == "failed" and "private address" in row.last_error


def test_a_delivery_is_queued_once_per_hook_and_paper(member, arrive, receiver):
    saved = save_search(user=member, params={"q": "video diffusion", "mode": "keyword"})
    add_webhook(saved, url=receiver.url)
    arrive()
    from dailypapers.alerts.matching import queue_webhooks

    queue_webhooks(list(SavedSearchMatch.objects.values_list("paper_id", flat=True)))
    assert WebhookDelivery.objects.count() == 2


def test_backoff_doubles_and_is_capped():
    assert [webhooks.retry_backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert webhooks.retry_backoff(50).total_seconds() == webhooks.RETRY_MAX_SECONDS
