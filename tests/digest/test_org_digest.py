"""The organisation digest: an address subscribed to an organisation gets the edition's papers
on its page (and nothing when it has none new), through the loopback SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.community.orgs import create_organisation, tag_paper
from dailypapers.digest.models import Subscription
from dailypapers.digest.sending import send_edition
from dailypapers.digest.subscriptions import SubscriptionError, clean_choice
from tests.digest.conftest import MONDAY
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def test_an_organisation_digest_sends_its_new_papers(smtp, papers):
    lab = create_organisation(name="Carberry Lab")
    create_organisation(name="Quiet Lab")
    ours = make_paper(day=MONDAY - dt.timedelta(days=2), title="Ordered sets from the lab")
    tag_paper(org=lab, paper=ours)
    for email, slug in (("lab@example.org", "carberry-lab"), ("quiet@example.org", "quiet-lab")):
        Subscription.objects.create(email=email, status=Subscription.ACTIVE, kind="org", value=slug)
    result = send_edition(kind="daily", date=MONDAY)
    assert result["queued"] == 1 and set(smtp.per_recipient) == {"lab@example.org"}
    body = smtp.to("lab@example.org")[0].get_body(preferencelist=("plain",)).get_content()
    assert "Ordered sets from the lab" in body and "Paper number 1" not in body  # only the lab's papers


def test_an_organisation_digest_needs_an_existing_organisation(db):
    create_organisation(name="Carberry Lab")
    assert clean_choice(frequency="weekly", kind="org", value="carberry-lab") == ("weekly", "org", "carberry-lab")
    with pytest.raises(SubscriptionError, match="no organisation /orgs/nobody"):
        clean_choice(frequency="weekly", kind="org", value="nobody")
