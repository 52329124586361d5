"""Author slugs and variant merging (catalog/authors.py): the rules, positive and negative,
through the same paths the ingest and `dailypapers authors rebuild` use."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dailypapers.catalog.author_links import AuthorLinks, author_slugs
from dailypapers.catalog.authors import (
    match_key,
    name_tokens,
    rebuild_authors,
    slug_base,
)
from dailypapers.catalog.models import Author
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def canonical_of(name: str) -> str:
    author = Author.objects.select_related("canonical").get(name=name)
    return (author.canonical or author).name


def test_names_fold_to_ascii_tokens_slugs_and_match_keys():
    assert name_tokens("Moreno D'Incà") == ("moreno", "dinca")
    assert name_tokens("Piotr Miłoś") == ("piotr", "milos")
    assert slug_base("Tat-Seng Chua") == "tat-seng-chua"
    assert match_key("T.-S. Chua") == match_key("Tat-Seng Chua") == "t chua"
    assert slug_base("张伟") == ""


def test_every_author_gets_a_stable_unique_slug_with_collision_suffixes():
    make_paper(authors=["José García", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["Jose Garcia", "Grace Hopper"], categories=["math.AG"])  # another person
    make_paper(authors=["张伟", "Ada Lovelace"])
    slugs = dict(Author.objects.values_list("name", "slug"))
    assert slugs["José García"] == "jose-garcia"
    assert slugs["Jose Garcia"] == "jose-garcia-2"
    assert slugs["张伟"] == f"author-{Author.objects.get(name='张伟').pk}"
    assert len(set(slugs.values())) == len(slugs)
    rebuild_authors()
    assert dict(Author.objects.values_list("name", "slug")) == slugs  # slugs never change


def test_spelling_variants_sharing_a_coauthor_merge():
    make_paper(authors=["José García", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["Jose Garcia", "Ada Lovelace"], categories=["math.AG"])
    make_paper(authors=["José García", "Alan Turing"], categories=["cs.CV"])
    assert canonical_of("Jose Garcia") == "José García"  # the spelling with more papers
    assert author_slugs(["Jose Garcia"]) == {"Jose Garcia": "jose-garcia"}


def test_spelling_variants_sharing_a_primary_category_merge():
    make_paper(authors=["Jörg Müller", "Ada Lovelace"], categories=["hep-th"])
    make_paper(authors=["Jorg Muller", "Grace Hopper"], categories=["hep-th", "cs.LG"])
    assert canonical_of("Jorg Muller") == canonical_of("Jörg Müller")


def test_same_name_with_coauthors_and_fields_that_never_touch_stays_apart():
    make_paper(authors=["José García", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["Jose Garcia", "Grace Hopper"], categories=["math.AG", "cs.CV"])
    assert canonical_of("Jose Garcia") == "Jose Garcia"
    assert canonical_of("José García") == "José García"


def test_two_spellings_on_one_paper_are_two_people():
    make_paper(authors=["José García", "Jose Garcia", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["José García", "Ada Lovelace"], categories=["cs.CV"])
    assert canonical_of("Jose Garcia") == "Jose Garcia"


def test_initials_merge_with_the_one_full_name_they_abbreviate_given_a_coauthor():
    make_paper(authors=["Jose Garcia", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["J. Garcia", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["T.-S. Chua", "Grace Hopper"], categories=["cs.IR"])
    make_paper(authors=["Tat-Seng Chua", "Grace Hopper"], categories=["cs.IR"])
    assert canonical_of("J. Garcia") == "Jose Garcia"
    assert canonical_of("T.-S. Chua") == "Tat-Seng Chua"


def test_a_full_name_arriving_after_its_initials_merges_too():
    make_paper(authors=["J. Garcia", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["Jose Garcia", "Ada Lovelace"], categories=["cs.CV"])
    assert canonical_of("J. Garcia") == "Jose Garcia"


def test_initials_without_a_shared_coauthor_do_not_merge_on_category_alone():
    make_paper(authors=["Jose Garcia", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["J. Garcia", "Grace Hopper"], categories=["cs.CV"])
    assert canonical_of("J. Garcia") == "J. Garcia"


def test_ambiguous_initials_stay_apart():
    make_paper(authors=["Jose Garcia", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["Juan Garcia", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["J. Garcia", "Ada Lovelace"], categories=["cs.CV"])
    assert canonical_of("J. Garcia") == "J. Garcia"
    assert canonical_of("Juan Garcia") == "Juan Garcia" and canonical_of("Jose Garcia") == "Jose Garcia"


def test_coauthor_variants_still_count_as_one_coauthor():
    make_paper(authors=["Jose Garcia", "Jörg Müller"], categories=["cs.CV"])
    make_paper(authors=["J. Garcia", "Jorg Muller"], categories=["math.AG"])
    assert canonical_of("J. Garcia") == "Jose Garcia"


def test_rebuild_command_merges_what_the_ingest_did_not_see_and_is_rerunnable(capsys):
    make_paper(authors=["Jose Garcia", "Ada Lovelace"], categories=["cs.CV"])
    make_paper(authors=["J. Garcia", "Grace Hopper"], categories=["cs.CV"])
    assert canonical_of("J. Garcia") == "J. Garcia"
    # A later paper links them; an old database's rows lack keys and slugs until the rebuild.
    make_paper(authors=["J. Garcia", "Ada Lovelace"], categories=["cs.CV"])
    Author.objects.update(canonical=None, match_key="")
    call_command("authors", "rebuild", "--no-progress")
    out = capsys.readouterr().out
    assert "1 names merged" in out and "J. Garcia → Jose Garcia" in out
    assert canonical_of("J. Garcia") == "Jose Garcia"
    call_command("authors", "rebuild", "--no-progress")
    assert "0 rows changed" in capsys.readouterr().out


def test_author_links_resolve_a_page_of_names_in_one_query(django_assert_num_queries):
    papers = [make_paper(authors=[f"Author {n}", "Ada Lovelace"]) for n in range(20)]
    links = AuthorLinks()
    with django_assert_num_queries(1):
        links.add_papers(papers)
        paths = [links.path(name) for paper in papers for name in paper.author_names]
    assert paths[0] == "/authors/author-0" and paths[1] == "/authors/ada-lovelace"
    assert links.path("Nobody Here") is None
