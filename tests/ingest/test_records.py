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
