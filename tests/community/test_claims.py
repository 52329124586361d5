"""Claiming authorship: ORCID works replayed through the real client (responses), the admin
queue, badges on paper pages and comments, the profile's papers and hiding, link editing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import responses
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from dailypapers.catalog.models import Author, Paper
from dailypapers.community.claims import ClaimRefused, claim_author, claimed_by, decide_claim, set_paper_links
from dailypapers.community.comments import post_comment
from dailypapers.community.models import AuthorClaim, PaperLinkChange
from dailypapers.community.orcid import arxiv_ids_in, works_url

pytestmark = pytest.mark.django_db
ORCID = "0000-0002-1825-0097"
RECORDING = Path(__file__).parent / "recordings" / f"orcid_works_{ORCID}.json"


@pytest.fixture
def carberry(make_paper):
    """The author Josiah Carberry with a slug, and one of his papers that his ORCID works list."""
    paper = make_paper(
        "2606.50301", title="Ordered sets of research papers", authors=["Josiah Carberry", "Ada Lovelace"]
    )
    make_paper("2606.50302", title="Unlisted in ORCID", authors=["Josiah Carberry"])
    author = Author.objects.get(name="Josiah Carberry")
    author.slug = "josiah-carberry"
    author.save()
    return author, paper


def _with_orcid(user, orcid=ORCID):
    SocialAccount.objects.create(user=user, provider="orcid", uid=orcid, extra_data={})
    return user


def _replay_works(mock, body: bytes | None = None, status: int = 200):
    mock.add(
        responses.GET,
        works_url(ORCID),
        body=body if body is not None else RECORDING.read_bytes(),
        status=status,
        content_type="application/orcid+json",
    )


def test_the_recorded_works_list_names_arxiv_ids_three_ways():
    ids = arxiv_ids_in(json.loads(RECORDING.read_text()))
    # type arxiv with "arXiv:", type arxiv with a version, arXiv's DOI; the journal DOI is not one
    assert ids == {"2606.50301", "2605.40002", "2604.30003"}


def test_orcid_works_listing_a_paper_verify_the_claim(carberry, make_user, client):
    author, paper = carberry
    user = _with_orcid(make_user("josiah"))
    client.force_login(user)
    with responses.RequestsMock() as mock:
        _replay_works(mock)
        response = client.post("/authors/josiah-carberry/claim", {"next": "/authors/josiah-carberry"})
        assert mock.calls[0].request.headers["Accept"] == "application/orcid+json"
    assert response.status_code == 302 and response["Location"] == "/authors/josiah-carberry"
    claim = AuthorClaim.objects.get(user=user, author=author)
    assert (claim.status, claim.method, claim.orcid) == ("verified", "orcid", ORCID)
    assert "2606.50301" in claim.note
    assert claimed_by(author) == user


def test_orcid_works_without_the_authors_papers_leave_the_claim_to_an_admin(make_paper, make_user):
    make_paper("2606.50399", authors=["Other Person"])
    author = Author.objects.get(name="Other Person")
    user = _with_orcid(make_user())
    with responses.RequestsMock() as mock:
        _replay_works(mock)
        claim = claim_author(user=user, author=author)
    assert claim.status == "pending" and claim.method == ""
    assert "list none of Other Person's papers" in claim.note
    assert claimed_by(author) is None


def test_without_orcid_or_when_orcid_fails_the_claim_waits(carberry, make_user):
    author, _ = carberry
    plain = make_user()
    claim = claim_author(user=plain, author=author)  # no ORCID login: no request at all
    assert claim.status == "pending" and "Sign in with ORCID" in claim.note
    other = _with_orcid(make_user())
    with responses.RequestsMock() as mock:
        _replay_works(mock, body=b"upstream trouble", status=503)
        claim = claim_author(user=other, author=author)
    assert claim.status == "pending" and "could not be read" in claim.note


def test_an_admin_verifies_and_rejects_claims_in_the_admin_queue(carberry, make_user, client):
    author, _ = carberry
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-long-enough-1")
    claimant, pretender = make_user(), make_user()
    first = claim_author(user=claimant, author=author)
    claim_author(user=pretender, author=author)
    client.force_login(admin)
    listed = client.get("/admin/community/authorclaim/?status__exact=pending")
    assert listed.status_code == 200 and b"Josiah Carberry" in listed.content
    response = client.post(
        "/admin/community/authorclaim/", {"action": "verify", "_selected_action": [first.pk]}, follow=True
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert (first.status, first.method, first.decided_by) == ("verified", "admin", admin)
    # a second verified claim on the same author is refused by the one-verified constraint
    second = AuthorClaim.objects.get(user=pretender)
    with pytest.raises(ClaimRefused):
        decide_claim(claim=second, by=admin, approve=True)
    client.post("/admin/community/authorclaim/", {"action": "reject", "_selected_action": [second.pk]})
    second.refresh_from_db()
    assert second.status == "rejected"
    with pytest.raises(ClaimRefused) as refused:
        claim_author(user=pretender, author=author)
    assert refused.value.code == "duplicate"


def test_a_verified_author_cannot_be_claimed_by_another_member(carberry, make_user, client):
    author, _ = carberry
    decide_claim(claim=claim_author(user=make_user("first"), author=author), by=make_user(), approve=True)
    client.force_login(make_user())
    response = client.post("/authors/josiah-carberry/claim")
    assert response.status_code == 409 and b"already claimed by first" in response.content


def test_claimed_by_answers_for_a_variant_of_the_name(carberry, make_user):
    author, _ = carberry
    variant = Author.objects.create(name="J. Carberry", canonical=author)
    user = make_user()
    decide_claim(claim=claim_author(user=user, author=variant), by=user, approve=True)
    assert AuthorClaim.objects.get().author == author  # the claim is on the canonical row
    assert claimed_by(variant) == user and claimed_by(author) == user


def test_claiming_from_a_merged_spellings_page_claims_the_author_and_a_bad_slug_is_404(carberry, make_user, client):
    author, _ = carberry
    Author.objects.create(name="J. Carberry", slug="j-carberry", canonical=author)
    client.force_login(make_user())
    response = client.post("/authors/j-carberry/claim")
    assert response.status_code == 302 and response["Location"] == "/authors/josiah-carberry"
    assert AuthorClaim.objects.get().author == author
    assert client.post("/authors/nobody-here/claim").status_code == 404
    assert client.post("/authors/a%00b/claim").status_code == 404


def test_signed_out_claims_go_to_sign_in(carberry, client):
    response = client.post("/authors/josiah-carberry/claim")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not AuthorClaim.objects.exists()


def _verified(author, user):
    return decide_claim(claim=claim_author(user=user, author=author), by=user, approve=True)


def test_badges_on_the_paper_page_and_on_comments(carberry, make_user, client):
    author, paper = carberry
    user = make_user("josiah")
    page = client.get(f"/papers/{paper.arxiv_id}").content.decode()
    assert "verified-author" not in page
    _verified(author, user)
    post_comment(user=user, paper=paper, body="Author here.")
    post_comment(user=make_user("reader"), paper=paper, body="Nice.")
    page = client.get(f"/papers/{paper.arxiv_id}").content.decode()  # the anonymous page cache was bumped
    assert page.count('class="badge verified-author"') == 2  # beside the name, and on his comment
    assert 'href="/members/josiah" title="Verified author: josiah"' in page
    discussion = client.get(f"/papers/{paper.arxiv_id}/comments").content.decode()
    assert discussion.count("verified author</span>") == 1


def test_profile_shows_the_authors_papers_and_hides_one(carberry, make_user, client):
    author, paper = carberry
    user = make_user("josiah")
    _verified(author, user)
    profile = client.get("/members/josiah").content.decode()
    assert "Ordered sets of research papers" in profile and "Unlisted in ORCID" in profile
    client.force_login(user)
    response = client.post(f"/papers/{paper.arxiv_id}/hide-from-profile")
    assert response.status_code == 302
    client.logout()
    profile = client.get("/members/josiah").content.decode()
    assert "Ordered sets of research papers" not in profile and "Unlisted in ORCID" in profile
    client.force_login(user)
    own = client.get("/members/josiah").content.decode()
    assert "Hidden from your profile (1)" in own
    client.post(f"/papers/{paper.arxiv_id}/show-on-profile")
    client.logout()
    assert "Ordered sets of research papers" in client.get("/members/josiah").content.decode()


def test_only_a_verified_author_hides_a_paper(carberry, make_user, client):
    _, paper = carberry
    client.force_login(make_user())
    assert client.post(f"/papers/{paper.arxiv_id}/hide-from-profile").status_code == 403


def test_a_verified_author_sets_code_and_project_links(carberry, make_user, client):
    author, paper = carberry
    user = make_user("josiah")
    _verified(author, user)
    client.force_login(user)
    assert b'id="author-links"' in client.get(f"/papers/{paper.arxiv_id}").content
    response = client.post(
        f"/papers/{paper.arxiv_id}/links",
        {"code_url": "https://github.com/jcarberry/ordered", "project_url": "https://carberry.example.org/"},
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert (paper.code_url, paper.project_url) == (
        "https://github.com/jcarberry/ordered",
        "https://carberry.example.org/",
    )
    changes = PaperLinkChange.objects.order_by("field")
    assert [(c.field, c.old_url, c.new_url, c.user) for c in changes] == [
        ("code_url", "", "https://github.com/jcarberry/ordered", user),
        ("project_url", "", "https://carberry.example.org/", user),
    ]
    page = client.get(f"/papers/{paper.arxiv_id}").content.decode()
    assert 'href="https://github.com/jcarberry/ordered">Code</a>' in page


def test_link_editing_refuses_others_and_bad_urls(carberry, make_user, client):
    author, paper = carberry
    client.force_login(make_user("stranger"))
    stranger = client.post(f"/papers/{paper.arxiv_id}/links", {"code_url": "https://evil.example.org"})
    assert stranger.status_code == 403 and b"only a verified author" in stranger.content
    assert b'id="author-links"' not in client.get(f"/papers/{paper.arxiv_id}").content
    user = make_user("josiah")
    _verified(author, user)
    client.force_login(user)
    bad = client.post(f"/papers/{paper.arxiv_id}/links", {"code_url": "javascript:alert(1)"})
    assert bad.status_code == 400 and b"code link" in bad.content
    paper.refresh_from_db()
    assert paper.code_url == "" and not PaperLinkChange.objects.exists()
    client.logout()
    anonymous = client.post(f"/papers/{paper.arxiv_id}/links", {"code_url": "https://x.example.org"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Paper.objects.get(pk=paper.pk).code_url == ""


def test_the_author_page_claim_box(carberry, make_user, rf):
    from django.template.loader import render_to_string

    author, _ = carberry
    request = rf.get("/authors/josiah-carberry")
    request.user = make_user("reader")
    box = render_to_string("web/_author_claim.html", {"author": author, "user": request.user}, request=request)
    assert "This is me" in box
    holder = make_user("josiah")
    _verified(author, holder)
    box = render_to_string("web/_author_claim.html", {"author": author, "user": request.user}, request=request)
    assert "This is me" not in box and 'href="/members/josiah"' in box


def test_orcid_login_through_allauth_then_a_claim_in_a_child_process():
    """ORCID's provider is installed only when its keys are set (settings time), so the login
    path runs in a child pytest with them set, on SQLite (the flow is the same on both
    databases; the claims above run on both)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DAILYPAPERS_HOME")}
    env.update(
        DAILYPAPERS_ORCID_CLIENT_ID="APP-TESTCLIENT0001", DAILYPAPERS_ORCID_SECRET="s3cret", PYTHONPATH=str(root)
    )
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/community/orcid_login_flow.py", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert child.returncode == 0, child.stdout[-3000:] + child.stderr[-2000:]
    assert "1 passed" in child.stdout


def test_author_links_outlive_a_new_version_from_the_ingest(carberry, make_user):
    """The ingest's upsert rewrites a paper's links from each new version's abstract and comment;
    the links its verified author set come back right after (a papers_ingested receiver)."""
    from dailypapers.ingest.records import PaperRecord
    from dailypapers.ingest.upsert import upsert_records

    author, paper = carberry
    user = make_user("josiah")
    _verified(author, user)
    set_paper_links(user=user, paper=paper, code_url="https://github.com/jcarberry/ordered", project_url="")
    newer = PaperRecord(
        arxiv_id=paper.arxiv_id,
        version=2,
        title=paper.title,
        abstract="Version two. Code: https://github.com/someone/else",
        authors=["Josiah Carberry", "Ada Lovelace"],
        categories=["cs.LG"],
        listing_date=paper.listing_date,
        published=paper.published,
        updated=paper.published + dt.timedelta(days=3),
    )
    assert upsert_records([newer]).updated == 1
    paper.refresh_from_db()
    assert (paper.version, paper.code_url) == (2, "https://github.com/jcarberry/ordered")
