"""A query that is an author's name: the author's card (linking their page, with a paper
count) and their papers first, variants of the name included; `author:` keeps working."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def milos():
    make_paper(authors=["Piotr Miłoś", "Ada Lovelace"], day=date(2026, 6, 2), title="Planning with world models")
    make_paper(authors=["Piotr Milos", "Ada Lovelace"], day=date(2026, 6, 9), title="Subgoal search")
    make_paper(authors=["Piotr Nowak"], title="Romanian satire dataset", abstract="Piotr and Miłoś in a story.")


def test_a_name_query_shows_the_author_card_and_their_papers_only(client, milos):
    response = client.get("/search", {"q": "Piotr Miłoś"})
    text = response.content.decode()
    assert response.status_code == 200
    assert '<h2><a href="/authors/piotr-milos">Piotr Miłoś</a></h2><p>Author · 2 papers here' in text
    assert text.index("Subgoal search") < text.index("Planning with world models")
    assert "Romanian satire" not in text and "2 results" in text


def test_the_name_typed_without_accents_finds_the_same_author(client, milos):
    data = client.get("/search", {"q": "piotr milos", "format": "json"}).json()
    assert [row["title"] for row in data["results"]] == ["Subgoal search", "Planning with world models"]
    assert data["authors"] == [{"name": "Piotr Miłoś", "url": "/authors/piotr-milos", "papers": 2}]


def test_author_prefix_still_filters(client, milos):
    data = client.get("/search", {"q": 'author:"Piotr Nowak"', "mode": "keyword", "format": "json"}).json()
    assert [row["title"] for row in data["results"]] == ["Romanian satire dataset"]
    assert not data.get("authors")


def test_a_name_in_another_script_finds_only_that_author(client):
    """A name without Latin letters has no match key: it is compared folded with the other such
    names, not taken to match all of them."""
    make_paper(authors=["Иван Петров"], title="Квантовые графы")
    make_paper(authors=["Мария Иванова"], title="Спектральная теория")
    data = client.get("/search", {"q": "иван петров", "format": "json"}).json()
    assert [row["title"] for row in data["results"]] == ["Квантовые графы"]
    assert [author["name"] for author in data["authors"]] == ["Иван Петров"]


def test_a_title_of_name_like_words_is_searched_as_a_title(client, milos):
    """Two to five plain words that are nobody's name get the keyword and meaning search."""
    data = client.get("/search", {"q": "Subgoal search", "mode": "keyword", "format": "json"}).json()
    assert data["results"][0]["title"] == "Subgoal search"
    assert not data.get("authors")
