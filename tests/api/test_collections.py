"""A collection through programs: its RSS/Atom feed (read with feedparser), its BibTeX export
(read with bibtexparser, then imported back), and /api/v1/collections, each with the same
permissions as the page: public for anyone, unlisted with its key, private for its owner."""

from __future__ import annotations

import bibtexparser
import feedparser
import pytest
from django.contrib.auth import get_user_model

from dailypapers.api.tokens import create_token
from dailypapers.library.bibtex_import import import_bibtex
from dailypapers.library.collections import add_paper, collection_papers, create_collection, set_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return get_user_model().objects.create_user("curator", "curator@example.org", "a long passphrase 42")


@pytest.fixture
def shelf(owner, papers):
    """A public collection of three papers in an order of the owner's, one with a note."""
    collection = create_collection(user=owner, name="Reading group", visibility="public", description="Week 10")
    for key in ("retrieval", "attention", "diffusion"):
        add_paper(user=owner, paper=papers[key], collection=collection)
    set_note(collection=collection, paper_id=papers["attention"].pk, note="Discuss on Friday")
    return collection


def _ids(parsed) -> list[str]:
    return [entry.link.rsplit("/papers/", 1)[1] for entry in parsed.entries]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_public_collection_feed_lists_its_papers_in_order(client, shelf, kind):
    response = client.get(f"/feeds/collection/{shelf.pk}.{kind}")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if kind == "rss" else "atom10")
    assert parsed.feed.title == "Reading group — a collection by curator"
    assert parsed.feed.link.endswith(f"/collections/{shelf.pk}")
    assert _ids(parsed) == ["2503.00003", "2503.00001", "2503.00002"]
    assert parsed.entries[1].summary.startswith("[Discuss on Friday] ")


def test_unlisted_feed_needs_its_key_private_feed_is_not_served(client, shelf):
    shelf.visibility = "unlisted"
    shelf.save()
    assert client.get(f"/feeds/collection/{shelf.pk}.rss").status_code == 404
    response = client.get(f"/feeds/collection/{shelf.pk}.atom?key={shelf.share_token}")
    parsed = feedparser.parse(response.content)
    assert response.status_code == 200 and len(parsed.entries) == 3
    assert parsed.feed.link.endswith(f"/collections/{shelf.pk}?key={shelf.share_token}")
    shelf.visibility = "private"
    shelf.save()
    assert client.get(f"/feeds/collection/{shelf.pk}.rss?key={shelf.share_token}").status_code == 404
    assert client.get("/feeds/collection/999999.rss").status_code == 404


def test_bibtex_export_round_trips_through_import(client, shelf, owner):
    response = client.get(f"/collections/{shelf.pk}.bib")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    assert [entry["eprint"] for entry in library.entries] == ["2503.00003", "2503.00001", "2503.00002"]
    again = import_bibtex(user=owner, name="Round trip", data=response.content)
    assert [p.arxiv_id for p in collection_papers(again["collection"])] == ["2503.00003", "2503.00001", "2503.00002"]
    assert again["unknown"] == [] and again["without_id"] == []


def test_bibtex_export_of_private_collection_is_for_its_owner(client, shelf, owner):
    shelf.visibility = "private"
    shelf.save()
    assert client.get(f"/collections/{shelf.pk}.bib").status_code == 404
    token = create_token(user=owner, name="script")[1]
    by_token = client.get(f"/collections/{shelf.pk}.bib", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert by_token.status_code == 200 and len(bibtexparser.parse_string(by_token.content.decode()).entries) == 3
    client.force_login(owner)
    assert client.get(f"/collections/{shelf.pk}.bib").status_code == 200


def test_api_collection_is_its_papers_in_order_with_notes(client, shelf):
    response = client.get(f"/api/v1/collections/{shelf.pk}")
    assert response.status_code == 200
    data = response.json()
    assert (data["name"], data["owner"], data["visibility"], data["papers"]) == (
        "Reading group",
        "curator",
        "public",
        3,
    )
    assert [item["paper"]["id"] for item in data["items"]] == ["2503.00003", "2503.00001", "2503.00002"]
    assert [item["position"] for item in data["items"]] == [1, 2, 3]
    assert data["items"][1]["note"] == "Discuss on Friday"
    assert data["rss"].endswith(f"/feeds/collection/{shelf.pk}.rss")
    assert data["bibtex"].endswith(f"/collections/{shelf.pk}.bib")


def test_api_permissions_match_the_page(client, shelf, owner):
    shelf.visibility = "unlisted"
    shelf.save()
    assert client.get(f"/api/v1/collections/{shelf.pk}").status_code == 404
    assert client.get(f"/api/v1/collections/{shelf.pk}?key={shelf.share_token}").status_code == 200
    shelf.visibility = "private"
    shelf.save()
    hidden = client.get(f"/api/v1/collections/{shelf.pk}")
    assert hidden.status_code == 404 and "private" in hidden.json()["error"]
    token = create_token(user=owner, name="script")[1]
    mine = client.get(f"/api/v1/collections/{shelf.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert mine.status_code == 200 and mine.json()["papers"] == 3


def test_api_lists_your_own_collections_with_a_token(client, shelf, owner, papers):
    add_paper(user=owner, paper=papers["attention"])  # "Saved for later", made on first save
    assert client.get("/api/v1/me/collections").status_code == 401
    token = create_token(user=owner, name="script")[1]
    data = client.get("/api/v1/me/collections", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [(row["name"], row["is_default"], row["papers"]) for row in data] == [
        ("Saved for later", True, 1),
        ("Reading group", False, 3),
    ]


def test_collections_are_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/collections/{collection_id}" in paths and "/api/v1/me/collections" in paths
