"""Organisations: created by site admins, membership requests approved by their admins,
papers tagged on submission or joining through verified authors; the page (one card, query
count), the list, follows, the RSS/Atom feed (feedparser) and the API."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.contrib.auth import get_user_model

from dailypapers.catalog import clock
from dailypapers.catalog.models import Author
from dailypapers.catalog.signals import papers_ingested
from dailypapers.community.claims import claim_author, decide_claim
from dailypapers.community.follows import FollowRefused, follow
from dailypapers.community.foryou import for_you
from dailypapers.community.models import Organisation, OrganisationMembership, OrganisationPaper
from dailypapers.community.orgs import (
    OrganisationRefused,
    create_organisation,
    decide_membership,
    request_membership,
    tag_paper,
)
from dailypapers.community.submissions import SubmissionRefused, submit_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("siteadmin", "siteadmin@example.org", "pw-long-enough-1")


@pytest.fixture
def lab(staff):
    return create_organisation(
        name="Carberry Lab", description="Ordered sets.", url="https://lab.example.org", creator=staff
    )


def _member(org, user, role="member"):
    return OrganisationMembership.objects.create(
        organisation=org, user=user, role=role, status="approved", created_at=dt.datetime.now(dt.UTC)
    )


def test_site_admins_create_organisations_on_a_page(staff, make_user, client):
    client.force_login(make_user())
    refused = client.post("/orgs/new", {"name": "Sneaky"})
    assert refused.status_code == 302 and "/admin/login/" in refused["Location"]
    client.force_login(staff)
    assert client.get("/orgs/new").status_code == 200
    response = client.post("/orgs/new", {"name": "Reading Group Ω", "description": "Fridays.", "url": "not a url"})
    assert response.status_code == 400 and b"url: &#x27;not a url&#x27; is not an http or https URL" in response.content
    response = client.post("/orgs/new", {"name": "Reading Group", "url": "https://rg.example.org"})
    assert response.status_code == 302 and response["Location"] == "/orgs/reading-group"
    org = Organisation.objects.get(slug="reading-group")
    assert org.memberships.get().role == "admin"  # its creator administers it
    with pytest.raises(OrganisationRefused):
        create_organisation(name="New")  # /orgs/new is the form's address


def test_membership_requests_are_approved_by_the_organisations_admins(lab, make_user, client):
    joiner, outsider = make_user("joiner"), make_user("outsider")
    client.force_login(joiner)
    assert client.post("/orgs/carberry-lab/join").status_code == 302
    request = OrganisationMembership.objects.get(user=joiner)
    assert request.status == "pending"
    client.force_login(outsider)
    assert client.post(f"/orgs/requests/{request.pk}/approve").status_code == 403
    org_admin = make_user("orgadmin")
    _member(lab, org_admin, role="admin")
    client.force_login(org_admin)
    page = client.get("/orgs/carberry-lab").content.decode()
    assert "Requests to join" in page and "joiner" in page
    assert client.post(f"/orgs/requests/{request.pk}/approve", {"role": "member"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == org_admin
    refused = OrganisationMembership.objects.create(organisation=lab, user=outsider, created_at=request.created_at)
    client.post(f"/orgs/requests/{refused.pk}/refuse")
    assert not OrganisationMembership.objects.filter(pk=refused.pk).exists()


def test_members_tag_the_papers_they_submit(lab, make_user, make_paper, client, settings):
    settings.SUBMISSION_MAX_AGE_DAYS = 100000
    member, stranger = make_user("member"), make_user("stranger")
    _member(lab, member)
    first, second = make_paper(featured=False), make_paper(featured=False)
    client.force_login(member)
    assert b'<option value="carberry-lab"' in client.get("/papers/submit").content
    response = client.post("/papers/submit", {"arxiv_id": first.arxiv_id, "organisation": "carberry-lab"})
    assert response.status_code == 302
    assert OrganisationPaper.objects.get().paper == first
    with pytest.raises(SubmissionRefused) as refused:
        submit_paper(user=stranger, text=second.arxiv_id, organisation="carberry-lab")
    assert refused.value.code == "forbidden"
    assert not second.__class__.objects.get(pk=second.pk).featured_on  # refused before anything changed


def test_a_verified_authors_papers_join_their_organisation(lab, make_user, make_paper):
    make_paper(authors=["Josiah Carberry"])
    make_paper(authors=["Josiah Carberry", "Ada Lovelace"])
    make_paper(authors=["Someone Else"])
    author = Author.objects.get(name="Josiah Carberry")
    user = make_user("josiah")
    decide_claim(claim=claim_author(user=user, author=author), by=user, approve=True)
    assert not OrganisationPaper.objects.exists()  # not a member yet
    membership = request_membership(user=user, org=lab)
    decide_membership(by=lab.memberships.get(role="admin").user, membership_id=membership.pk, approve=True)
    assert OrganisationPaper.objects.filter(organisation=lab, via="author").count() == 2
    newer = make_paper(authors=["Josiah Carberry"])
    papers_ingested.send(sender=None, created_ids=[newer.pk], updated_ids=[])  # as the ingest sends it
    assert OrganisationPaper.objects.filter(organisation=lab, paper=newer).exists()


def test_the_organisation_page_lists_members_and_papers_without_n_plus_1(
    lab, make_user, make_paper, client, django_assert_max_num_queries
):
    _member(lab, make_user("alice"))
    old = make_paper(title="Older lab paper", day=dt.date(2026, 6, 1), upvotes=9, hotness=5.0)
    new = make_paper(title="Newer lab paper", day=dt.date(2026, 6, 20), upvotes=0, hotness=1.0)
    make_paper(title="Not the lab's")
    for paper in (old, new):
        tag_paper(org=lab, paper=paper)
    page = client.get("/orgs/carberry-lab").content.decode()
    assert page.count('class="paper-card"') == 2 and "Not the lab&#x27;s" not in page
    assert page.index("Newer lab paper") < page.index("Older lab paper")
    assert 'href="/members/alice"' in page and 'href="/feeds/org/carberry-lab.atom"' in page
    trending = client.get("/orgs/carberry-lab?sort=trending").content.decode()
    assert trending.index("Older lab paper") < trending.index("Newer lab paper")
    assert client.get("/orgs/carberry-lab?sort=bogus").status_code == 400
    assert client.get("/orgs/nobody").status_code == 404

    for n in range(40):
        tag_paper(org=lab, paper=make_paper(title=f"Lab paper {n}"))
        _member(lab, make_user())
    client.force_login(make_user())
    with django_assert_max_num_queries(
        16
    ):  # the same 16 (3 for the library buttons, 1 author links) for 2 or 42 of each
        page = client.get("/orgs/carberry-lab").content.decode()
    assert page.count('class="paper-card"') == 30 and "Page 1 of 2" in page
    with django_assert_max_num_queries(4):
        listing = client.get("/orgs").content.decode()
    assert "Carberry Lab" in listing and "42 members · 42 papers" in listing


def test_following_an_organisation_fills_for_you(lab, make_user, make_paper, client):
    clock.forget()
    paper = make_paper(title="Lab news")
    make_paper(title="Other news")
    tag_paper(org=lab, paper=paper)
    user = make_user()
    client.force_login(user)
    assert client.post("/follow", {"kind": "org", "value": "carberry-lab"}).status_code == 302
    items = for_you(user=user, fill=False)["items"]  # without the trending filler
    assert [(item["paper"].title, item["reason"]) for item in items] == [
        ("Lab news", "From Carberry Lab, which you follow")
    ]
    with pytest.raises(FollowRefused) as refused:
        follow(user=user, kind="org", value="no-such-lab")
    assert refused.value.code == "not_found"
    profile = client.get(f"/members/{user.username}").content.decode()
    assert 'href="/orgs/carberry-lab"' in profile


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_organisations_feed(lab, make_paper, client, kind):
    papers = [make_paper(day=dt.date(2026, 6, day)) for day in (3, 9)]
    hidden = make_paper(hidden=True)
    for paper in [*papers, hidden]:
        tag_paper(org=lab, paper=paper)
    response = client.get(f"/feeds/org/carberry-lab.{kind}")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == "Papers of Carberry Lab"
    assert [entry.link.rsplit("/", 1)[1] for entry in parsed.entries] == [papers[1].arxiv_id, papers[0].arxiv_id]
    assert client.get(f"/feeds/org/nobody.{kind}").status_code == 404


def test_the_organisation_in_the_api(lab, make_user, make_paper, client):
    _member(lab, make_user("alice"))
    paper = make_paper(title="In the API")
    tag_paper(org=lab, paper=paper)
    body = client.get("/api/v1/orgs/carberry-lab").json()
    assert (body["slug"], body["name"], body["url"], body["num_papers"]) == (
        "carberry-lab",
        "Carberry Lab",
        "https://lab.example.org",
        1,
    )
    assert {m["username"]: m["role"] for m in body["members"]} == {"siteadmin": "admin", "alice": "member"}
    assert [p["id"] for p in body["papers"]] == [paper.arxiv_id]
    assert body["papers"][0]["title"] == "In the API"
    missing = client.get("/api/v1/orgs/nobody")
    assert missing.status_code == 404 and "nobody" in missing.json()["error"]
    assert client.get("/api/v1/orgs/carberry-lab?sort=bogus").status_code == 400


def test_the_ingest_pays_one_query_per_batch_and_receiver_when_nobody_claimed_anything(
    make_paper, django_assert_num_queries
):
    from dailypapers.community.claims import reapply_author_links
    from dailypapers.community.orgs import tag_new_papers_of_verified_authors

    ids = [make_paper().pk for _ in range(20)]
    with django_assert_num_queries(1):
        assert tag_new_papers_of_verified_authors(ids) == 0
    with django_assert_num_queries(1):
        assert reapply_author_links(ids) == 0
