"""The author page /authors/<slug>: papers newest first, chart, co-authors, categories, follow,
feeds, BibTeX, pagination, variant redirects; and author names linking to it everywhere."""

from __future__ import annotations

from datetime import date

import bibtexparser
import feedparser
import pytest

from dailypapers.catalog.models import Author
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def garcia():
    make_paper(authors=["José García", "Ada Lovelace"], day=date(2026, 3, 3), title="Old work", upvotes=4)
    make_paper(authors=["Jose Garcia", "Ada Lovelace"], day=date(2026, 5, 5), title="Variant work", upvotes=1)
    make_paper(authors=["Grace Hopper", "José García"], day=date(2026, 6, 30), title="New work", categories=["cs.CV"])
    make_paper(authors=["José Garcia", "Alan Turing"], categories=["math.AG"], title="Someone else")  # no merge
    return Author.objects.get(name="José García")


def test_author_page_shows_papers_newest_first_with_upvotes_and_facts(client, garcia):
    response = client.get("/authors/jose-garcia")
    text = response.content.decode()
    assert response.status_code == 200
    assert "<h1>José García</h1>" in text
    assert text.index("New work") < text.index("Variant work") < text.index("Old work")
    assert "Someone else" not in text
    assert "3 papers here</p>" in text and "Also listed as" in text
    assert '<span class="vote-count">4</span>' in text
    assert 'href="/authors/ada-lovelace">Ada Lovelace</a> <small>(2)</small>' in text
    assert "Papers per month, Mar 2026 – Jun 2026; most in a month: 1" in text
    assert "cs.LG</a>&nbsp;<small>(2)</small>" in text and "cs.CV</a>&nbsp;<small>(1)</small>" in text
    assert 'aria-label="Follow author José García"' in text
    assert 'href="/feeds/authors/jose-garcia.rss"' in text and 'href="/authors/jose-garcia.bib"' in text


def test_a_variant_slug_redirects_permanently_to_the_canonical_page(client, garcia):
    variant = Author.objects.get(name="Jose Garcia", canonical=garcia)
    response = client.get(f"/authors/{variant.slug}?page=1")
    assert response.status_code == 301 and response["Location"] == "/authors/jose-garcia?page=1"


def test_unknown_author_and_bad_page_say_so(client, garcia):
    assert client.get("/authors/nobody-here").status_code == 404
    response = client.get("/authors/jose-garcia?page=9")
    assert response.status_code == 400 and "expected a page number from 1 to 1" in response.content.decode()


def test_author_page_is_paginated_with_show_more(client, monkeypatch):
    from dailypapers.catalog import author_pages

    monkeypatch.setattr(author_pages, "PAGE_SIZE", 2)
    for n in range(5):
        make_paper(authors=["Ada Lovelace"], day=date(2026, 6, 1 + n), title=f"Paper {n}")
    first = client.get("/authors/ada-lovelace").content.decode()
    assert "Paper 4" in first and "Paper 2" not in first and 'href="/authors/ada-lovelace?page=2"' in first
    more = client.get("/authors/ada-lovelace?page=2", headers={"HX-Request": "true"}).content.decode()
    assert "Paper 2" in more and "Paper 4" not in more and "<html" not in more


def test_author_page_query_count_does_not_grow_with_papers(client, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/authors/ada-lovelace").status_code == 200
        return len(captured.captured_queries)

    make_paper(authors=["Ada Lovelace", "Coauthor 0"])
    few = queries()
    for n in range(1, 40):
        make_paper(authors=["Ada Lovelace", f"Coauthor {n}", f"Other {n}"], categories=["cs.LG", f"q-bio.{n}"[:8]])
    with django_assert_max_num_queries(11):  # 10, and the claim box's verified holder
        many = queries()
    assert many == few


def test_author_feeds_carry_the_papers_and_author_pages(client, garcia):
    rss = feedparser.parse(client.get("/feeds/authors/jose-garcia.rss").content)
    assert rss.feed.title == "Papers by José García"
    assert [entry.title for entry in rss.entries] == ["New work", "Variant work", "Old work"]
    atom = feedparser.parse(client.get("/feeds/authors/jose-garcia.atom").content)
    first = atom.entries[0]
    assert [(a.name, a.get("href")) for a in first.authors] == [
        ("Grace Hopper", "http://testserver/authors/grace-hopper"),
        ("José García", "http://testserver/authors/jose-garcia"),
    ]
    assert client.get("/feeds/authors/nobody.rss").status_code == 404


def test_author_bibtex_has_every_paper(client, garcia):
    response = client.get("/authors/jose-garcia.bib")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode())
    assert sorted(entry["title"] for entry in library.entries) == ["{New work}", "{Old work}", "{Variant work}"]
    assert not library.failed_blocks


def test_names_link_to_author_pages_on_cards_and_the_paper_page(client, garcia):
    home = client.get("/papers?date=2026-06-30").content.decode()
    assert '<a href="/authors/grace-hopper">Grace Hopper</a>, <a href="/authors/jose-garcia">José García</a>' in home
    paper = make_paper(authors=["Jose Garcia", "Ada Lovelace"], day=date(2026, 5, 6))
    page = client.get(paper.get_absolute_url()).content.decode()
    # The variant name links straight to the canonical page, as it appears on the paper.
    assert '<li><a href="/authors/jose-garcia">Jose Garcia</a><form' in page


def test_a_feed_page_resolves_all_names_in_one_query(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(30):
        make_paper(authors=[f"Person {n}", f"Person {n + 100}"])
    with CaptureQueriesContext(connection) as captured:
        text = client.get("/").content.decode()
    assert text.count('href="/authors/person-') == 60
    author_queries = [q for q in captured.captured_queries if "catalog_author" in q["sql"]]
    assert len(author_queries) == 1
