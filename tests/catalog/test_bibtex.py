"""BibTeX export: LaTeX escaping, unicode names, math kept, keys, and that a BibTeX parser
reads back what we wrote."""

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from dailypapers.catalog.bibtex import bibtex_entry, citation_key, last_name, latex_escape


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("R&D", r"R{\&}D"),
        ("100% sure", r"100{\%} sure"),
        ("snake_case", r"snake{\_}case"),
        ("{braces}", r"{\{}braces{\}}"),
        ("#1 at $5 cost", r"{\#}1 at {\$}5 cost"),
        ("Müller", r"M{\"u}ller"),
        ("Łukasz Kaiser", r"{\L}ukasz Kaiser"),
        ("Moreno D'Incà", r"Moreno D'Inc{\`a}"),
        ("line\nbreak", "line break"),
    ],
)
def test_latex_escape(text, escaped):
    assert latex_escape(text) == escaped


def test_inline_math_is_kept_and_text_around_it_escaped():
    assert latex_escape(r"An $O(n \log n)$ sort & more") == r"An $O(n \log n)$ sort {\&} more"


def test_escaped_text_reads_back_as_the_original():
    original = "Gödel, Escher & Bach: 50% of {all} snake_case #tags"
    assert LatexNodes2Text().latex_to_text(latex_escape(original)) == original


@pytest.mark.parametrize(
    "name, last",
    [
        ("Ashish Vaswani", "Vaswani"),
        ("Ludwig van Beethoven", "van Beethoven"),
        ("Smith, John", "Smith"),
        ("Plato", "Plato"),
    ],
)
def test_last_name(name, last):
    assert last_name(name) == last


def test_citation_key_is_ascii_and_skips_stopwords():
    # arXiv's keys: up to four title words that are not function words.
    assert (
        citation_key(authors=["Ashish Vaswani"], year=2017, title="Attention Is All You Need")
        == "vaswani2017attentionneed"
    )
    assert (
        citation_key(authors=["Jörg Müller"], year=2025, title="On the $\\alpha$-Stability of Things")
        == "muller2025stabilitythings"
    )
    assert (
        citation_key(authors=["Edward J. Hu"], year=2021, title="LoRA: Low-Rank Adaptation of Large Language Models")
        == "hu2021loralowrankadaptationlarge"
    )
    assert citation_key(authors=[], year=None, title="A Study") == "anonymousstudy"


def test_entry_parses_with_bibtexparser():
    entry = bibtex_entry(
        arxiv_id="2503.11731",
        title="Fast & Furious: 100% of {X}",
        authors=["Jörg Müller", "李明"],
        year=2025,
        primary_category="cs.LG",
        doi="10.1000/x_y",
        journal_ref="J. Foo & Bar 1 (2025)",
    )
    library = bibtexparser.parse_string(entry)
    assert not library.failed_blocks
    (parsed,) = library.entries
    assert parsed.key == "muller2025fastfurious100x"
    assert parsed["eprint"] == "2503.11731" and parsed["archivePrefix"] == "arXiv"
    assert parsed["author"] == r"J{\"o}rg M{\"u}ller and 李明"
    assert parsed["title"] == r"{Fast {\&} Furious: 100{\%} of {\{}X{\}}}"
    assert parsed["doi"] == "10.1000/x_y"
