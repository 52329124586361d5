"""Our BibTeX read back by two real BibTeX readers (bibtexparser with pylatexenc's decoder,
and pybtex) gives the stored titles and author names, over hand-written nasty cases and a
few hundred real arXiv titles and authors from the shared corpus (skipped without it).

Outside `$…$` the stored text must come back exactly (a `~`, LaTeX's unbreakable space,
comes back as U+00A0). Inside math both sides are decoded the same way, so `$μ$P` and our
`$\\mu$P` must mean the same symbol. pybtex's decoder (latexcodec) does not read `\\{`, `\\$`,
`\\textasciicircum` or math, so titles with those (and names with symbols such as a stray †) are compared through
pylatexenc only."""

from __future__ import annotations

import gzip
import json
import re

import bibtexparser
import pytest
from pybtex.database import parse_string as pybtex_parse
from pybtex.plugin import find_plugin
from pybtex.richtext import Text
from pylatexenc.latex2text import LatexNodes2Text

from dailypapers.catalog.bibtex import bibtex_entry

_DECODER = LatexNodes2Text(math_mode="text")
_MATH = re.compile(r"(\$[^$]+\$)")
_PYBTEX_UNREAD = re.compile(r"[$\\{}^<>|]")
_PYBTEX_NAME = re.compile(r"[\w .'-]+")  # letters in any script; not symbols such as †

NASTY = [
    ('"Whose Side Are You On?" Estimating Ideology', ["Jean and Marie", "Ada Lovelace"]),
    ("Dr.~RTL: Agentic RTL Optimization on Apple~Silicon", ["Bin Wan"]),
    ("$μ$KE and Param$Δ$: 80% of Q&A #1 costs $5_{x}$", ["Łukasz Kaiser", "Jörg Müller"]),
    ("Strings & {Branes}: 100% of $x_1$ -- a ``quoted'' view", ["Ludwig van Beethoven", "danah boyd"]),
    ("FA^{3}-CLIP: snake_case \\textit{not} a command", ["李明", "Moreno D'Incà"]),
    ("Di$\\mathtt{[M]$O: an unbalanced brace in math", ["Émilie du Châtelet"]),
    ("LoRA: Low-Rank Adaptation of Large Language Models", ["Edward J. Hu", "Yelong Shen"]),
]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _expected(stored: str) -> str:
    """The stored title as a reader should show it: text as is, math decoded."""
    parts = _MATH.split(_one_line(stored))
    return "".join(_DECODER.latex_to_text(part) if _MATH.fullmatch(part) else part for part in parts)


def _decoded(latex: str) -> str:
    text = _DECODER.latex_to_text(latex).replace("\xa0", "~")
    return text.replace("ˆ", "^")  # pylatexenc spells \textasciicircum as U+02C6


def _math_balanced(title: str) -> bool:
    return all(part.count("{") == part.count("}") for part in _MATH.findall(title))


def _bib(records) -> str:
    return "\n\n".join(
        bibtex_entry(
            arxiv_id=f"2601.{number:05d}", title=title, authors=authors, year=2026, primary_category="cs.CL"
        ).replace("@misc{", f"@misc{{k{number}", 1)  # unique keys whatever the titles
        for number, (title, authors) in enumerate(records)
    )


def _check(records):
    text = _bib(records)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    pybtex_entries = list(pybtex_parse(text, "bibtex").entries.values())
    assert len(library.entries) == len(pybtex_entries) == len(records)
    for (title, authors), entry, pybtex_entry in zip(records, library.entries, pybtex_entries, strict=False):
        if _math_balanced(title):
            assert _decoded(entry["title"]) == _expected(title), title
        else:  # kept as text, since an unbalanced brace would break the file
            assert _decoded(entry["title"]) == _one_line(title), title
        if not _PYBTEX_UNREAD.search(title):
            protected = pybtex_entry.fields["title"]
            assert protected.startswith("{") and protected.endswith("}"), protected
            assert _pybtex_text(protected[1:-1]) == _one_line(title)
        names = [_decoded(name).strip() for name in re.split(r"\s+and\s+", entry["author"])]
        assert names == [_one_line(name) for name in authors], title
        people = [_pybtex_full_name(person) for person in pybtex_entry.persons["author"]]
        assert len(people) == len(authors), title
        for person, name in zip(people, authors, strict=False):
            if _PYBTEX_NAME.fullmatch(name):
                assert person == _one_line(name), title


def _pybtex_text(latex: str) -> str:
    """pybtex's reading of a field. Its decoder costs ~5 ms a call, so plain text (nothing
    LaTeX would change: no backslash, brace or tilde) is taken as is."""
    if not re.search(r"[\\{}~]", latex):
        return latex
    return Text.from_latex(latex).render_as("text").replace("\xa0", "~")


def _pybtex_full_name(person) -> str:
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    return " ".join(_pybtex_text(part) for part in parts)


def test_nasty_titles_and_names_read_back_as_stored():
    _check(NASTY)


def test_pybtex_plain_style_keeps_the_title_case():
    text = _bib([NASTY[-1]])
    style = find_plugin("pybtex.style.formatting", "plain")()
    (formatted,) = style.format_bibliography(pybtex_parse(text, "bibtex"))
    assert "LoRA: Low-Rank Adaptation of Large Language Models" in formatted.text.render_as("text")


def _corpus_sample(shared_data, *, special: int = 300, plain: int = 200):
    """Titles with LaTeX-special or non-ASCII characters (with up to four of their authors),
    and a spread of ordinary ones, from the start of the 74,728-paper corpus."""
    path = shared_data / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"
    if not path.exists():
        pytest.skip(f"arXiv corpus not found at {path}")
    picked, ordinary = [], []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            record = json.loads(line)
            row = (record["title"], record["authors"][:4])
            flagged = re.search(r'[$"~&%#_{}\\^]|[^\x00-\x7f]', record["title"] + "".join(row[1]))
            if flagged and len(picked) < special:
                picked.append(row)
            elif not flagged and number % 20 == 0 and len(ordinary) < plain:
                ordinary.append(row)
            if len(picked) == special and len(ordinary) == plain:
                break
    return picked + ordinary


def test_corpus_titles_and_authors_read_back_as_stored(shared_data):
    records = _corpus_sample(shared_data)
    assert len(records) >= 400
    _check(records)
