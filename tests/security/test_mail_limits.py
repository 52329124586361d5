"""Nobody can make the site mail the world: per client address and site-wide budgets on the
mails a visitor can trigger (issue 13: one anonymous client had 60 confirmations sent to 60
addresses in 6 s; password reset mailed unknown addresses)."""

from __future__ import annotations

import re

from django.test import Client

from dailypapers.digest.models import Subscription
from tests.security.test_client_identity import via_proxy


def _subscribe(client, number: int, address: str):
    return client.post(
        "/subscribe",
        {"email": f"stranger{number}@example.net", "frequency": "daily", "kind": "trending"},
        **via_proxy(address),
    )


def test_one_client_cannot_send_confirmations_to_many_addresses(db, mailoutbox, settings):
    settings.MAILS_PER_CLIENT = "10/hour"
    client = Client()
    statuses = [_subscribe(client, number, "198.51.100.7").status_code for number in range(60)]
    assert statuses.count(200) == 10 and statuses.count(429) == 50, statuses
    assert len(mailoutbox) == 10
    assert Subscription.objects.count() == 10  # a refused request stores nothing
    refused = _subscribe(client, 99, "198.51.100.7")
    assert "too many subscription requests came from your address" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert _subscribe(client, 100, "203.0.113.5").status_code == 200  # another visitor still can


def test_the_site_wide_budget_stops_a_crowd_and_shows_in_metrics(db, mailoutbox, settings):
    settings.MAILS_PER_CLIENT, settings.MAIL_BUDGET = "10/hour", "5/hour"
    client = Client()
    statuses = [_subscribe(client, number, f"198.51.100.{number}").status_code for number in range(8)]
    assert statuses == [200] * 5 + [503] * 3
    assert len(mailoutbox) == 5
    metrics = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert re.search(r"^dailypapers_mail_budget_remaining 0\.0$", metrics, re.M), metrics[-800:]
    assert re.search(r"^dailypapers_mail_budget 5\.0$", metrics, re.M)


def test_account_mails_draw_on_the_same_budget(victim, mailoutbox, settings):
    settings.MAILS_PER_CLIENT = "2/hour"
    client = Client()
    for _ in range(2):
        _subscribe(client, 0, "198.51.100.7")
    assert len(mailoutbox) == 2
    reset = client.post("/accounts/password/reset/", {"email": victim.email}, **via_proxy("198.51.100.7"))
    assert reset.status_code == 302  # answers as usual, sends nothing
    assert len(mailoutbox) == 2


def test_the_api_subscription_is_limited_too(victim, victim_token, settings):
    settings.MAILS_PER_CLIENT = "1/hour"
    _, raw = victim_token
    client = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}", **via_proxy("198.51.100.7")}
    first = client.post(
        "/api/v1/me/subscriptions",
        {"kind": "trending", "frequency": "daily"},
        content_type="application/json",
        **bearer,
    )
    second = client.post(
        "/api/v1/me/subscriptions",
        {"kind": "category", "value": "cs.LG", "frequency": "daily"},
        content_type="application/json",
        **bearer,
    )
    assert first.status_code == 202, first.content
    assert second.status_code == 429 and "too many" in second.json()["error"]
