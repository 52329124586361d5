"""Digest mails link each author's page in their HTML part (one query per list of papers),
and keep plain names in the text part."""

from __future__ import annotations

import pytest

from dailypapers.digest.rendering import PaperBlocks
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def test_digest_html_links_authors_and_text_keeps_names(settings, django_assert_max_num_queries):
    settings.BASE_URL = "https://papers.example.org"
    papers = [make_paper(authors=["Piotr Miłoś", f"Co Author {n}"]) for n in range(5)]
    blocks = PaperBlocks()
    with django_assert_max_num_queries(2):  # the papers, then every name's author page
        html, text, count = blocks.blocks([p.pk for p in papers])
    assert count == 5
    assert '<a href="https://papers.example.org/authors/piotr-milos" style="color:#57606a;">Piotr Miłoś</a>' in html
    assert "Piotr Miłoś, Co Author 0" in text and "/authors/" not in text
