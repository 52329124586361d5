"""Record helpers the sources share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dailypapers.ingest.records import clean_text, clean_texts

WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]


@given(st.lists(st.one_of(st.sampled_from(WHITESPACE), st.text(max_size=4)), max_size=12).map("".join))
def test_clean_text_collapses_every_kind_of_whitespace(text):
    assert clean_text(text) == " ".join(text.split())


def test_clean_texts_drops_empty_values():
    assert clean_texts(["  Ada\nLovelace ", "", " \t", "Alan  Turing"]) == ["Ada Lovelace", "Alan Turing"]


def test_a_url_broken_after_a_slash_is_whole_in_the_stored_abstract_and_links(db, tmp_path):
    import json

    from dailypapers.catalog.models import Paper
    from dailypapers.ingest.run import ingest_records
    from dailypapers.ingest.sources.files import read_file

    line = {
        "id": "2503.00042",
        "title": "Wrapped",
        "authors": ["Ada Lovelace"],
        "categories": ["cs.LG"],
        "listing_date": "2025-03-18",
        "summary": "We release code at https://github.com/example/\nwrapped-repo. It works.",
        "comment": "Project page: https://example.github.io/\nwrapped/",
    }
    path = tmp_path / "papers.jsonl"
    path.write_text(json.dumps(line) + "\n")
    ingest_records(read_file(path), progress=False)
    paper = Paper.objects.get(arxiv_id="2503.00042")
    assert paper.code_url == "https://github.com/example/wrapped-repo"
    assert "https://github.com/example/wrapped-repo. It works." in paper.abstract
    assert paper.project_url == "https://example.github.io/wrapped/"


PIECES = st.one_of(st.sampled_from(WHITESPACE + ["|", " ", ""]), st.text(max_size=4))


@given(st.lists(st.lists(PIECES, max_size=6).map("".join), max_size=6))
def test_clean_texts_is_clean_text_of_each_value_without_the_empty_ones(values):
    assert clean_texts(list(values)) == [" ".join(v.split()) for v in values if v.split()]
