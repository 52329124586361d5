"""Run by test_claims.py in a child pytest whose environment configures ORCID login (the
provider is installed only then, at settings time); not collected on its own (no test_ prefix).

The whole path a member takes: connect ORCID through allauth's ORCID provider (its token and
record requests answered by replayed ORCID responses), then claim the author, verified by the
works list of the iD that login recorded."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from allauth.socialaccount.models import SocialAccount

from dailypapers.catalog.models import Author
from dailypapers.community.models import AuthorClaim
from dailypapers.community.orcid import works_url

RECORDINGS = Path(__file__).parent / "recordings"
ORCID = "0000-0002-1825-0097"


@pytest.mark.django_db
def test_connect_orcid_then_claim(client, make_user, make_paper):
    make_paper("2606.50301", authors=["Josiah Carberry"])
    Author.objects.filter(name="Josiah Carberry").update(slug="josiah-carberry")
    user = make_user("josiah")
    client.force_login(user)

    start = client.post("/accounts/orcid/login/?process=connect&next=/authors/josiah-carberry")
    assert start.status_code == 302 and start["Location"].startswith("https://orcid.org/oauth/authorize?")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    token = json.loads((RECORDINGS / "orcid_token.json").read_text())
    record = (RECORDINGS / f"orcid_record_{ORCID}.json").read_bytes()
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, "https://pub.orcid.org/oauth/token", json=token)
        mock.add(responses.GET, f"https://pub.orcid.org/v3.0/{ORCID}/record", body=record)
        back = client.get(f"/accounts/orcid/login/callback/?code=Q1w2E3&state={state}")
    assert back.status_code == 302, back.content[:500]
    assert SocialAccount.objects.get(user=user, provider="orcid").uid == ORCID

    with responses.RequestsMock() as mock:
        mock.add(responses.GET, works_url(ORCID), body=(RECORDINGS / f"orcid_works_{ORCID}.json").read_bytes())
        client.post("/authors/josiah-carberry/claim")
    claim = AuthorClaim.objects.get(user=user)
    assert (claim.status, claim.method, claim.orcid) == ("verified", "orcid", ORCID)
