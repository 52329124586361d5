"""BibTeX for a paper, in the shape arXiv's own "Export BibTeX citation" gives (`@misc` with
eprint, archivePrefix, primaryClass), plus DOI and journal reference when known.

Text is escaped for LaTeX by pylatexenc: the special characters `& % $ # _ { } ~ ^ \\` and
non-ASCII letters (`ü` → `{\\"u}`, `Ł` → `{\\L}`), braced so BibTeX sorts and abbreviates
names correctly. arXiv titles often carry inline math (`$O(n)$`), which is kept as written.
The key is `<first author's last name><year><first significant title word>`, ASCII only,
e.g. `vaswani2017attention`.
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
# Words a citation key skips, as Google Scholar and arXiv keys do.
_STOPWORDS = frozenset("a an the on of in for and to with from by at via is are towards toward".split())
_NAME_PARTICLES = frozenset("van von der den de del della di da du le la".split())


def latex_escape(text: str) -> str:
    """Escape `text` for a BibTeX field, leaving `$…$` math as written."""
    parts = _MATH.split(" ".join((text or "").split()))
    return "".join(part if _MATH.fullmatch(part) else _ENCODER.unicode_to_latex(part) for part in parts)


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
    author_part = _ascii_word(last_name(authors[0])) if authors else ""
    title_words = [_ascii_word(w) for w in re.split(r"[\s\-–—:/]+", re.sub(r"\$[^$]*\$", " ", title or ""))]
    title_part = next((w for w in title_words if w and w not in _STOPWORDS), "")
    return f"{author_part or 'anonymous'}{year or ''}{title_part}"


def bibtex_entry(*, arxiv_id: str, title: str, authors: list[str], year: int | None,
                 primary_category: str = "", doi: str = "", journal_ref: str = "") -> str:
    fields = [
        ("title", latex_escape(title)),
        ("author", " and ".join(latex_escape(name) for name in authors)),
        ("year", str(year) if year else ""),
        ("eprint", arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", primary_category),
        ("doi", doi),
        ("journal", latex_escape(journal_ref)),
        ("url", f"https://arxiv.org/abs/{arxiv_id}"),
    ]
    key = citation_key(authors=authors, year=year, title=title)
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def paper_bibtex(paper) -> str:
    """The BibTeX entry of a catalog Paper (year of its first version)."""
    year = paper.published.year if paper.published else (paper.listing_date.year if paper.listing_date else None)
    return bibtex_entry(arxiv_id=paper.arxiv_id, title=paper.title, authors=paper.author_names, year=year,
                        primary_category=paper.primary_category, doi=paper.doi, journal_ref=paper.journal_ref)
