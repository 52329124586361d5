"""`/api/v1/authors/{slug}` (documented in OpenAPI) and author links in the Markdown export;
the Hugging Face shapes keep their field names."""

from __future__ import annotations

import pytest

from tests.factories import make_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def milos():
    make_paper("2606.00011", authors=["Piotr Miłoś", "Ada Lovelace"], title="Planning", upvotes=3)
    make_paper("2606.00012", authors=["Piotr Milos", "Ada Lovelace"], title="Subgoals")
    make_paper("2606.00013", authors=["Piotr Miłoś", "Łukasz Kuciński"], title="Hidden", hidden=True)


def test_author_endpoint_answers_papers_coauthors_and_claim(client, milos):
    response = client.get("/api/v1/authors/piotr-milos", {"limit": 1})
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["name"] == "Piotr Miłoś" and data["variants"] == ["Piotr Milos"]
    assert data["url"] == "http://testserver/authors/piotr-milos"
    assert data["paper_count"] == 2 and len(data["papers"]) == 1 and data["papers"][0]["upvotes"] in (0, 3)
    assert data["coauthors"] == [{"name": "Ada Lovelace", "slug": "ada-lovelace", "papers": 2}]
    assert data["categories"] == [{"category": "cs.LG", "papers": 2}]
    assert data["claimed_by"] is None


def test_claimed_by_names_the_verified_member_for_the_author_and_its_variants(client, milos):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dailypapers.catalog.models import Author
    from dailypapers.community.models import AuthorClaim

    member = get_user_model().objects.create_user("piotr", "piotr@example.org", "a long passphrase 42")
    author = Author.objects.get(slug="piotr-milos")
    AuthorClaim.objects.create(user=member, author=author, status="pending", created_at=timezone.now())
    assert client.get("/api/v1/authors/piotr-milos").json()["claimed_by"] is None  # pending is not verified
    AuthorClaim.objects.filter(user=member).update(status="verified")
    assert client.get("/api/v1/authors/piotr-milos").json()["claimed_by"] == "piotr"
    assert client.get("/api/v1/authors/piotr-milos-2").json()["claimed_by"] == "piotr"  # the variant's slug


def test_a_variant_slug_gives_the_canonical_author_and_unknown_is_404(client, milos):
    assert client.get("/api/v1/authors/piotr-milos-2").json()["name"] == "Piotr Miłoś"
    missing = client.get("/api/v1/authors/nobody")
    assert missing.status_code == 404 and "slug: no author 'nobody'" in missing.json()["error"]
    assert client.get("/api/v1/authors/piotr-milos", {"limit": 0}).status_code in (400, 422)


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/authors/{slug}"]["get"]
    assert operation["summary"] == "One author" and "404" in operation["responses"]


def test_markdown_export_links_each_author_page(client, milos):
    text = client.get("/papers/2606.00012.md").content.decode()
    assert (
        "- **Authors:** [Piotr Milos](http://testserver/authors/piotr-milos), "
        "[Ada Lovelace](http://testserver/authors/ada-lovelace)"
    ) in text


def test_hf_paper_shape_is_unchanged(client, milos):
    data = client.get("/api/papers/2606.00011").json()
    assert [author["name"] for author in data["authors"]] == ["Piotr Miłoś", "Ada Lovelace"]
    assert all(
        set(author) <= {"_id", "name", "hidden", "user", "status", "statusLastChangedAt"} for author in data["authors"]
    )
