"""Client identity behind the proxy (DAILYPAPERS_TRUSTED_PROXIES): the limits of allauth,
the API and our own count the client nginx names, and nobody can pose as another client
with a header of their own. Requests here come "through nginx" (REMOTE_ADDR 127.0.0.1 with
the X-Forwarded-For nginx sets) or "straight to gunicorn" (any other REMOTE_ADDR)."""

from __future__ import annotations

import logging
import random

import pytest
from django.test import Client

from dailypapers.catalog.clients import client_address, parse_trusted_proxies

LOOPBACK = parse_trusted_proxies("127.0.0.1,::1")


def via_proxy(client_address_text: str) -> dict:
    """What nginx (deploy/nginx.conf) passes on for a visitor at `client_address_text`."""
    return {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": client_address_text,
        "HTTP_X_REAL_IP": client_address_text,
    }


@pytest.mark.parametrize(
    ("remote", "header", "trusted", "expected"),
    [
        ("127.0.0.1", "198.51.100.7", "127.0.0.1,::1", "198.51.100.7"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.7", "127.0.0.1", "198.51.100.7"),  # a client's own header, appended
        ("203.0.113.9", "198.51.100.7", "127.0.0.1", "203.0.113.9"),  # not through the proxy: the header is a lie
        ("127.0.0.1", "198.51.100.7, 10.0.0.5", "127.0.0.1,10.0.0.0/8", "198.51.100.7"),  # two proxies
        ("10.0.0.5", "6.6.6.6, 198.51.100.7", "2", "6.6.6.6"),  # a count: the 2nd from the right
        ("127.0.0.1", "not-an-address", "127.0.0.1", "127.0.0.1"),
        ("127.0.0.1", "198.51.100.7", "", "127.0.0.1"),  # no proxy configured
        ("127.0.0.1", "[2001:db8::1]:443", "127.0.0.1", "2001:db8::1"),
    ],
)
def test_client_address_believes_the_header_only_from_trusted_proxies(remote, header, trusted, expected):
    assert client_address(remote_addr=remote, forwarded_for=header, trusted=parse_trusted_proxies(trusted)) == expected


def test_a_bad_trusted_proxies_value_is_refused_by_name():
    from dailypapers.env import SettingError, read_environment

    with pytest.raises(SettingError, match="DAILYPAPERS_TRUSTED_PROXIES.*'proxy.example.org'"):
        read_environment({"DAILYPAPERS_TRUSTED_PROXIES": "127.0.0.1,proxy.example.org"})


def test_failed_logins_of_one_client_do_not_lock_out_other_members(victim, attacker):
    """Issue 13: 11 failed logins for unknown accounts from one visitor made two members' correct
    passwords fail with "Too many failed login attempts" (all visitors were nginx's 127.0.0.1)."""
    flood = Client()
    for number in range(11):
        flood.post(
            "/accounts/login/",
            {"login": f"nobody{number}@example.org", "password": "guess"},
            **via_proxy("198.51.100.7"),
        )
    blocked = flood.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "guess"}, **via_proxy("198.51.100.7")
    )
    assert "Too many failed login attempts" in blocked.content.decode()
    for member, address in ((victim, "203.0.113.5"), (attacker, "203.0.113.6")):
        response = Client().post(
            "/accounts/login/", {"login": member.email, "password": "correct horse battery"}, **via_proxy(address)
        )
        assert "Too many failed login attempts" not in response.content.decode()
        assert response.status_code == 302, response.content.decode()[:300]


def test_password_resets_of_one_client_do_not_block_a_members_own_reset(victim, mailoutbox):
    flood = Client()
    for number in range(21):
        flood.post("/accounts/password/reset/", {"email": f"stranger{number}@example.net"}, **via_proxy("198.51.100.7"))
    assert mailoutbox == []  # unknown addresses get no mail at all
    own = Client().post("/accounts/password/reset/", {"email": victim.email}, **via_proxy("203.0.113.5"))
    assert own.status_code == 302
    assert [message.to for message in mailoutbox] == [[victim.email]]


def test_signups_of_one_client_do_not_block_another(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/m/ip"}
    flood = Client()
    for number in range(4):
        flood.post(
            "/accounts/signup/",
            {
                "username": f"bot{number}",
                "email": f"bot{number}@example.org",
                "password1": "a-long-password-1",
                "password2": "a-long-password-1",
            },
            **via_proxy("198.51.100.7"),
        )
    fresh = Client().post(
        "/accounts/signup/",
        {
            "username": "reader",
            "email": "reader@example.org",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
        **via_proxy("203.0.113.5"),
    )
    assert fresh.status_code == 302, fresh.content.decode()[:300]


def test_a_spoofed_forwarded_for_does_not_escape_the_api_limit(db, settings):
    """Issue 13: with a random X-Forwarded-For per request, 807 of 807 requests straight to
    gunicorn answered 200 (ninja used the whole header as the client id)."""
    settings.API_RATE_LIMIT_ANONYMOUS = "5/min"
    client = Client()
    direct = [
        client.get(
            "/api/daily_papers",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"10.{random.randrange(256)}.{random.randrange(256)}.1",
        ).status_code
        for _ in range(10)
    ]
    assert direct.count(200) == 5 and direct.count(429) == 5, direct
    # Through the proxy with a header of the client's own: nginx replaces it, and even a proxy
    # that appends leaves the real client rightmost.
    proxied = [
        client.get("/api/daily_papers", **via_proxy(f"{random.randrange(256)}.1.1.1, 198.51.100.7")).status_code
        for _ in range(10)
    ]
    assert proxied.count(200) == 5 and proxied.count(429) == 5, proxied


def test_metrics_allow_the_scraper_not_everyone_behind_the_proxy(db):
    client = Client()
    assert client.get("/metrics", **via_proxy("127.0.0.1")).status_code == 200
    assert client.get("/metrics", **via_proxy("203.0.113.9")).status_code == 404


def test_the_access_log_names_the_client(db, caplog):
    caplog.set_level(logging.INFO, logger="dailypapers.access")
    Client().get("/healthz", **via_proxy("198.51.100.7"))
    records = [record for record in caplog.records if record.name == "dailypapers.access"]
    assert records and records[-1].client == "198.51.100.7"
