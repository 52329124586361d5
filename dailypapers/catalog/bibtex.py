"""BibTeX for a paper, in the shape arXiv's own "Export BibTeX citation" gives (`@misc` with
title, author, year, eprint, archivePrefix, primaryClass, url), plus DOI and journal
reference when known.

Stored titles and names are text, and a BibTeX reader must decode them back to that text
(tests/catalog/test_bibtex_roundtrip.py checks it with bibtexparser and pybtex on corpus
papers). Text is escaped for LaTeX by pylatexenc: `& % $ # _ { } \\ ^` and non-ASCII letters
(`ü` → `{\\"u}`, `Ł` → `{\\L}`), braced so BibTeX sorts and abbreviates names correctly. Four
exceptions to pylatexenc's defaults:
- a literal brace is `{\\ensuremath{\\lbrace}}` in a title whose braces do not pair up: BibTeX counts
  `\\{` as a brace, so `{\\{}` there (`Di$\\mathtt{[M]$O`) would break the whole file;
- a straight `"` stays one (`{"}`), not LaTeX's closing quotes `''`; typed ligatures (`--`,
  `''`, two backquotes) are split with `{}` so they do not turn into dashes or curly quotes;
- `~` stays `~`: in arXiv titles it is LaTeX's unbreakable space (`Dr.~RTL`, `Apple~Silicon`:
  7 of the 8 titles with one in the 2025-26 corpus);
- inline math `$…$` is kept as written, except that non-ASCII symbols in it (`$μ$P`, 61
  corpus titles) are spelled as LaTeX (`\\mu`), and `% & #` escaped, which LaTeX refuses raw.
The title is wrapped in braces so styles keep its case (pybtex's `plain` lowercases titles).
The key is arXiv's: first author's last name, year, then up to four significant title
words, lowercase ASCII, e.g. `vaswani2017attentionneed`.
"""

from __future__ import annotations

import re
import unicodedata

from pylatexenc.latexencode import UnicodeToLatexEncoder

_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=False,
    replacement_latex_protection="braces-all",
    # Scripts with no LaTeX spelling (CJK names) stay as they are: biber and XeLaTeX read UTF-8.
    unknown_char_policy="keep",
    unknown_char_warning=False,
)
_MATH = re.compile(r"(\$[^$]+\$)")
_TEXT_KEPT = {'"': '{"}', "~": "~", "{": r"{\{}", "}": r"{\}}"}
# BibTeX counts every brace, escaped or not: when a title's braces do not pair up, literal
# ones are spelled without a brace character, or the whole file would not parse.
_UNPAIRED_BRACES = {**_TEXT_KEPT, "{": r"{\ensuremath{\lbrace}}", "}": r"{\ensuremath{\rbrace}}"}
_KEPT_SPLIT = re.compile(r'(["~{}])')
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=')(?=')|(?<=`)(?=`)|(?<=[!?])(?=`)")
_MATH_SPECIAL = re.compile(r"(?<!\\)([%&#])")
# Words arXiv's keys skip (function words); any other word counts.
_STOPWORDS = frozenset(
    """
a about above across after again against all almost also although always am among an and another any are
around as at be because been before being below between beyond both but by can cannot could do does done down
due during each either else enough etc even ever every few for from further get had has have he her here his
how however if in into is it its itself just least less many may me might more most much must my neither
never no nor not now of off often on once one only onto or other our out over own per perhaps rather same
should since so some still such than that the their them then there these they this those though through
thus to together too toward towards under until up upon us very via was we well were what whatever when where
whether which while who whole whom whose why will with within without would yet you your
""".split()
)
_NAME_PARTICLES = frozenset("van von der den de del della di da du le la".split())


def _text_latex(text: str, kept: dict[str, str] = _TEXT_KEPT) -> str:
    parts = [kept.get(part) or _ENCODER.unicode_to_latex(part) for part in _KEPT_SPLIT.split(text) if part]
    return _LIGATURE.sub("{}", "".join(parts))


def _braces_pair_up(latex: str) -> bool:
    """As BibTeX reads a field: every brace counts, a backslash before it or not."""
    depth = 0
    for char in latex:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _math_latex(math: str, kept: dict[str, str]) -> str:
    """A `$…$` segment with its non-ASCII symbols spelled in LaTeX; text (not math) if its
    braces do not balance, since an unbalanced brace would break the whole .bib file."""
    if not _braces_pair_up(math):
        return _text_latex(math, kept)
    spelled = []
    for char in _MATH_SPECIAL.sub(r"\\\1", math):
        if char.isascii():
            spelled.append(char)
            continue
        latex = _ENCODER.unicode_to_latex(char)
        # `{\ensuremath{\mu}}` works in math; a text accent (`{\'e}`) needs a text box there.
        spelled.append(latex if latex == char or "ensuremath" in latex else f"\\mbox{{{latex}}}")
    return "".join(spelled)


def latex_escape(text: str) -> str:
    """Escape `text` for a BibTeX field; `$…$` math stays math."""
    parts = _MATH.split(" ".join((text or "").split()))
    for kept in (_TEXT_KEPT, _UNPAIRED_BRACES):
        latex = "".join(_math_latex(part, kept) if _MATH.fullmatch(part) else _text_latex(part, kept) for part in parts)
        if _braces_pair_up(latex):
            break
    return latex


def bibtex_name(name: str) -> str:
    """An author for BibTeX's `and`-separated list: escaped, and a lone word `and` braced so
    BibTeX does not split the author in two there."""
    return " ".join("{and}" if word.lower() == "and" else word for word in latex_escape(name).split(" "))


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def last_name(full_name: str) -> str:
    """`Ashish Vaswani` → `Vaswani`; `Ludwig van Beethoven` → `van Beethoven`;
    `Smith, John` → `Smith`."""
    name = full_name.strip()
    if "," in name:
        return name.split(",", 1)[0].strip()
    words = name.split()
    if not words:
        return ""
    start = len(words) - 1
    while start > 0 and words[start - 1].lower() in _NAME_PARTICLES:
        start -= 1
    return " ".join(words[start:])


def citation_key(*, authors: list[str], year: int | None, title: str) -> str:
    """arXiv's key: last name, year, up to four title words that are not function words."""
    author_part = _ascii_word(last_name(authors[0])) if authors else ""
    words = [word for word in _MATH.sub(" ", title or "").split() if word.lower().strip(".,:;!?") not in _STOPWORDS]
    significant = []
    for word in words:
        ascii_word = _ascii_word(word)
        if ascii_word:
            significant.append(ascii_word)
        if len(significant) == 4:
            break
    title_part = "".join(significant)
    return f"{author_part or 'anonymous'}{year or ''}{title_part}"


def bibtex_entry(
    *,
    arxiv_id: str,
    title: str,
    authors: list[str],
    year: int | None,
    primary_category: str = "",
    doi: str = "",
    journal_ref: str = "",
) -> str:
    fields = [
        ("title", "{" + latex_escape(title) + "}" if title else ""),
        ("author", " and ".join(bibtex_name(name) for name in authors)),
        ("year", str(year) if year else ""),
        ("eprint", arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", primary_category),
        ("doi", re.sub(r"[{}\s]", "", doi or "")),  # biblatex reads a DOI verbatim: no escapes
        ("journal", latex_escape(journal_ref)),
        ("url", f"https://arxiv.org/abs/{arxiv_id}"),
    ]
    key = citation_key(authors=authors, year=year, title=title)
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def paper_bibtex(paper) -> str:
    """The BibTeX entry of a catalog Paper (year of its first version)."""
    year = paper.published.year if paper.published else (paper.listing_date.year if paper.listing_date else None)
    return bibtex_entry(
        arxiv_id=paper.arxiv_id,
        title=paper.title,
        authors=paper.author_names,
        year=year,
        primary_category=paper.primary_category,
        doi=paper.doi,
        journal_ref=paper.journal_ref,
    )
