"""The admin is for staff only and logs in through allauth, so a second factor, once a staff
member turns it on, guards /admin/ too."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import get_user_model


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user(
        "boss", "boss@example.org", "correct horse battery", is_staff=True, is_superuser=True
    )
    EmailAddress.objects.create(user=user, email="boss@example.org", verified=True, primary=True)
    return user


def test_admin_sends_anonymous_visitors_to_the_site_login(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_admin_refuses_members_who_are_not_staff(client, db):
    member = get_user_model().objects.create_user("m", "m@example.org", "pw-123456789")
    client.force_login(member)
    assert client.get("/admin/login/").status_code == 403


def test_staff_with_totp_needs_the_code(client, staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    response = client.post("/accounts/login/", {"login": "boss@example.org", "password": "correct horse battery"})
    assert response.status_code == 302 and "/2fa/authenticate" in response.url
    assert client.get("/admin/").status_code == 302  # not logged in yet: the password alone is not enough

    wrong = client.post(response.url, {"code": "000000"})
    assert wrong.status_code == 200 and client.get("/admin/").status_code == 302

    code = format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
    client.post(response.url, {"code": code})
    assert client.get("/admin/").status_code == 200
