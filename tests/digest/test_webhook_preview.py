"""The bounce/complaint webhook (shared secret, suppression rules) and the staff-only preview."""

from __future__ import annotations

import json

import pytest

from dailypapers.digest.models import BounceEvent, Subscription, Suppression
from dailypapers.digest.sending import send_edition
from tests.digest.conftest import MONDAY

pytestmark = pytest.mark.django_db
URL = "/digest/webhook/bounce"


@pytest.fixture
def secret(settings):
    settings.DIGEST_BOUNCE_WEBHOOK_SECRET = "s3cret-shared-with-the-provider"
    return settings.DIGEST_BOUNCE_WEBHOOK_SECRET


def _post(client, payload, secret=None):
    headers = {"HTTP_X_WEBHOOK_SECRET": secret} if secret is not None else {}
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(URL, data=body, content_type="application/json", **headers)


def test_webhook_refuses_missing_or_wrong_secret(client, secret):
    event = {"email": "x@example.org", "type": "hard"}
    assert _post(client, event).status_code == 403
    assert _post(client, event, "wrong").status_code == 403
    assert BounceEvent.objects.count() == 0 and Suppression.objects.count() == 0


def test_webhook_is_off_without_a_configured_secret(client, settings):
    settings.DIGEST_BOUNCE_WEBHOOK_SECRET = ""
    assert _post(client, {"email": "x@example.org", "type": "hard"}, "").status_code == 403


def test_hard_bounce_and_complaint_suppress_at_once_soft_after_three(client, secret):
    answer = _post(
        client,
        [{"email": "hard@example.org", "type": "hard"}, {"email": "Angry@Example.org", "type": "complaint"}],
        secret,
    )
    assert answer.status_code == 200 and answer.json()["suppressed"] == ["hard@example.org", "angry@example.org"]
    for expected in (False, False, True):
        assert _post(client, {"email": "soft@example.org", "type": "soft", "detail": "mailbox full"}, secret).json()[
            "suppressed"
        ] == (["soft@example.org"] if expected else [])
    reasons = dict(Suppression.objects.values_list("email", "reason"))
    assert reasons == {
        "hard@example.org": "hard_bounce",
        "angry@example.org": "complaint",
        "soft@example.org": "soft_bounces",
    }


def test_suppressed_addresses_get_no_digest(client, secret, smtp, papers):
    for email in ("hard@example.org", "ok@example.org"):
        Subscription.objects.create(email=email, status=Subscription.ACTIVE)
    _post(client, {"email": "hard@example.org", "type": "hard"}, secret)
    send_edition(kind="daily", date=MONDAY)
    assert dict(smtp.per_recipient) == {"ok@example.org": 1}


@pytest.mark.parametrize(
    "payload, where",
    [
        ("not json", "body"),
        ({"email": "x@example.org", "type": "bouncy"}, "event 0.type"),
        ([{"email": "x@example.org", "type": "hard"}, {"email": "nope", "type": "hard"}], "event 1.email"),
        ({"email": "x@example.org\r\nBcc: y@example.org", "type": "hard"}, "event 0.email"),
        ([1], "event 0"),
        ({"email": 5, "type": "hard"}, "event 0.email"),
        ({"email": "x@example.org", "type": "soft", "detail": ["x"]}, "event 0.detail"),
    ],
)
def test_webhook_bad_payloads_name_what_is_wrong(client, secret, payload, where):
    response = _post(client, payload, secret)
    assert response.status_code == 400 and response.json()["error"].startswith(where)
    assert BounceEvent.objects.count() == 0


def test_preview_is_for_staff_only(client, django_user_model, papers):
    url = f"/digest/preview?kind=daily&date={MONDAY.isoformat()}"
    assert client.get(url).status_code == 302  # to the admin login
    member = django_user_model.objects.create_user("member", "m@example.org", "pw")
    client.force_login(member)
    assert client.get(url).status_code == 302
    staff = django_user_model.objects.create_user("staff", "s@example.org", "pw", is_staff=True)
    client.force_login(staff)
    html = client.get(url)
    assert html.status_code == 200 and papers[0].title.encode() in html.content
    text = client.get(url + "&format=text&what=category&value=cs.CL")
    assert text["Content-Type"].startswith("text/plain") and papers[0].title.encode() in text.content
    assert client.get(url.replace(MONDAY.isoformat(), "yesterday")).status_code == 400
    bad = client.get("/digest/preview", {"kind": "daily", "what": "category", "value": "bad\nvalue"})
    assert bad.status_code == 400 and b"value" in bad.content
