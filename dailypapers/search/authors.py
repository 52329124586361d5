"""Author-name queries: a query that is an author's name in the catalogue's Author table lists
that author's papers, newest first, and counts only those.

Keyword ranking scored "Piotr Miłoś" as two words anywhere, so a Romanian satire dataset
with a Piotr in its author list came first and 200 results were claimed. Names are compared
folded (case, accents and letters like ł and ø ignored), so "Bernhard Scholkopf" finds
Bernhard Schölkopf. Candidates come from the keyword index's authors column, so the Author
table is never scanned.
"""

from __future__ import annotations

import unicodedata

from django.db import connection

from dailypapers.catalog.models import Author, Paper, PaperAuthor
from dailypapers.search.query import ParsedQuery

# A name has 2 to 5 words ("Piotr Miłoś", "Tat-Seng Chua" is 3 after the hyphen splits);
# longer queries are topics.
NAME_WORDS = (2, 5)
CANDIDATE_PAPERS = 500
# Letters NFKD leaves alone: they have no combining-mark decomposition.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th"})


def fold_name(name: str) -> str:
    """Lower case, no accents, single spaces, hyphens as spaces: "Tat-Seng Chua" → "tat seng chua"."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("-", " ").replace(".", " ").split())


def _looks_like_a_name(parsed: ParsedQuery) -> bool:
    if parsed.phrases or parsed.excluded or parsed.authors:
        return False
    words = parsed.text.replace("-", " ").split()
    words = [w for w in words if not w.lower().startswith(("cat:", "category:"))]
    return NAME_WORDS[0] <= len(words) <= NAME_WORDS[1] and all(w.replace(".", "").isalpha() for w in words)


def _candidate_names(parsed: ParsedQuery, *, any_word: bool = False) -> set[str]:
    """Author names of papers whose authors hold the query's words next to each other, or
    with `any_word` any of them (a name typed without its ł or ø matches by the other words)."""
    words = " ".join(parsed.words).split()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = (
                " || ".join(["plainto_tsquery('english', %s)"] * len(words))
                if any_word
                else "phraseto_tsquery('english', %s)"
            )
            cursor.execute(
                "SELECT p.authors_text FROM search_paperdocument d JOIN catalog_paper p ON p.id = d.paper_id "
                f"WHERE d.document @@ ({tsquery}) LIMIT %s",
                [*(words if any_word else [" ".join(words)]), CANDIDATE_PAPERS],
            )
        else:
            quoted = ['"' + w.replace('"', '""') + '"' for w in words]
            match = " OR ".join(quoted) if any_word else '"' + " ".join(words).replace('"', '""') + '"'
            cursor.execute(
                "SELECT p.authors_text FROM search_paper_fts f JOIN catalog_paper p ON p.id = f.rowid "
                "WHERE search_paper_fts MATCH %s LIMIT %s",
                [f"authors_text : ({match})", CANDIDATE_PAPERS],
            )
        return {name for (text,) in cursor.fetchall() for name in (text or "").split(", ") if name}


def author_named(parsed: ParsedQuery) -> list[Author]:
    """The catalogue's authors whose name is the query (folded), or []."""
    if not _looks_like_a_name(parsed):
        return []
    wanted = fold_name(" ".join(w for w in parsed.text.split() if not w.lower().startswith(("cat:", "category:"))))
    names = [name for name in _candidate_names(parsed) if fold_name(name) == wanted]
    if not names:
        names = [name for name in _candidate_names(parsed, any_word=True) if fold_name(name) == wanted]
    return list(Author.objects.filter(name__in=names).order_by("name")) if names else []


def papers_by(authors: list[Author], allowed) -> list[int]:
    """Ids of these authors' visible papers the filters allow, newest listing first."""
    ids = PaperAuthor.objects.filter(author__in=authors).values("paper_id")
    base = allowed if allowed is not None else Paper.objects.visible()
    return list(base.filter(id__in=ids).order_by("-listing_date", "-published", "-id").values_list("id", flat=True))
