"""Accounts through allauth: verified sign-up, argon2, lockout after failed logins, no enumeration."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail

from dailypapers import settings as real_settings


def test_argon2_is_the_password_hasher_of_the_site():
    # tests.settings swaps in MD5 for speed; the site itself hashes with argon2.
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_signup_needs_email_verification(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newbie",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    # Not logged in before confirming.
    assert client.get("/for-you").status_code == 302
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert get_user_model().objects.get(username="newbie").emailaddress_set.get().verified
    assert client.get("/for-you").status_code == 200


def test_unverified_members_cannot_log_in(client, make_user):
    make_user("waiting", verified=False)
    response = client.post("/accounts/login/", {"login": "waiting@example.org", "password": "correct horse battery"})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_lock_the_account(client, make_user):
    make_user("target")
    limit = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[1].split("/")[0])
    for _ in range(limit):
        bad = client.post("/accounts/login/", {"login": "target@example.org", "password": "wrong"})
        assert bad.status_code == 200
    locked = client.post("/accounts/login/", {"login": "target@example.org", "password": "correct horse battery"})
    assert "Too many failed login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_does_not_reveal_registered_emails(client, make_user):
    make_user("known")
    known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Only the registered address gets an email: the form cannot be used to mail strangers
    # (issue 13), and the page answers the same either way.
    assert sorted(m.to[0] for m in mail.outbox) == ["known@example.org"]


def test_login_form_gives_the_same_answer_for_unknown_emails(client, make_user):
    make_user("someone")
    wrong_password = client.post(
        "/accounts/login/", {"login": "someone@example.org", "password": "nope"}
    ).content.decode()
    unknown_email = client.post("/accounts/login/", {"login": "ghost@example.org", "password": "nope"}).content.decode()
    error = "The email address and/or password you specified are not correct."
    assert error in wrong_password and error in unknown_email


def test_sign_up_with_a_taken_email_looks_like_a_fresh_sign_up(client, make_user):
    make_user("taken")
    fresh = client.post(
        "/accounts/signup/",
        {
            "email": "fresh@example.org",
            "username": "fresh",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    client.logout()
    taken = client.post(
        "/accounts/signup/",
        {
            "email": "taken@example.org",
            "username": "other",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert fresh.status_code == taken.status_code == 302
    assert fresh["Location"] == taken["Location"]
    assert not get_user_model().objects.filter(username="other").exists()


def test_github_and_orcid_login_are_offered_only_when_configured():
    import os
    import subprocess
    import sys

    probe = (
        "import dailypapers.settings as s; "
        "print(sorted(a.rsplit('.', 1)[1] for a in s.INSTALLED_APPS if '.providers.' in a), "
        "sorted(s.SOCIALACCOUNT_PROVIDERS))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DAILYPAPERS_GITHUB", "DAILYPAPERS_ORCID"))}
    plain = subprocess.run([sys.executable, "-c", probe], env=base, capture_output=True, text=True, check=True).stdout
    assert plain.strip() == "[] []"
    keyed = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**base, "DAILYPAPERS_GITHUB_CLIENT_ID": "id", "DAILYPAPERS_GITHUB_SECRET": "s"},
    ).stdout
    assert keyed.strip() == "['github'] ['github']"
