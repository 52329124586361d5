"""Author-name queries: a query that is an author's name in the catalogue's Author table lists
that author's papers, newest first, and counts only those.

Keyword ranking scored "Piotr Miłoś" as two words anywhere, so a Romanian satire dataset
with a Piotr in its author list came first and 200 results were claimed. Names are compared
folded (case, accents and letters like ł and ø ignored), so "Bernhard Scholkopf" finds
Bernhard Schölkopf. The author is found by the name's match key (an index on Author, see
catalog/authors.py), with the variants of their name; the results start with a card linking
the author's page (`author_cards`).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q

from dailypapers.catalog.author_links import author_path
from dailypapers.catalog.authors import fold_name, match_key, name_tokens
from dailypapers.catalog.models import Author, Paper, PaperAuthor
from dailypapers.search.query import ParsedQuery

# A name has 2 to 5 words ("Piotr Miłoś", "Tat-Seng Chua" is 3 after the hyphen splits);
# longer queries are topics.
NAME_WORDS = (2, 5)
CANDIDATE_PAPERS = 500


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


def _name_text(parsed: ParsedQuery) -> str:
    return " ".join(w for w in parsed.text.split() if not w.lower().startswith(("cat:", "category:")))


def author_named(parsed: ParsedQuery) -> list[Author]:
    """The catalogue's authors whose name is the query (folded), as canonical rows, or []:
    one indexed query on the name's match key (catalog/authors.py), else, for names not yet
    keyed (a database `dailypapers authors rebuild` has not seen), the keyword index."""
    if not _looks_like_a_name(parsed):
        return []
    text = _name_text(parsed)
    wanted = name_tokens(text)
    rows = Author.objects.select_related("canonical").filter(match_key=match_key(text))
    found = {(a.canonical or a) for a in rows if name_tokens(a.name) == wanted}
    if found:
        return sorted(found, key=lambda a: a.name)
    folded = fold_name(text)
    names = [name for name in _candidate_names(parsed) if fold_name(name) == folded]
    if not names:
        names = [name for name in _candidate_names(parsed, any_word=True) if fold_name(name) == folded]
    return list(Author.objects.filter(name__in=names).order_by("name")) if names else []


def _signed_by(authors: list[Author]):
    """PaperAuthor rows of these authors and their name variants."""
    return PaperAuthor.objects.filter(Q(author__in=authors) | Q(author__canonical__in=authors))


def papers_by(authors: list[Author], allowed) -> list[int]:
    """Ids of these authors' visible papers (variants of their names included) the filters
    allow, newest listing first."""
    ids = _signed_by(authors).values("paper_id")
    base = allowed if allowed is not None else Paper.objects.visible()
    return list(base.filter(id__in=ids).order_by("-listing_date", "-published", "-id").values_list("id", flat=True))


def author_cards(authors: list[Author]) -> list[dict]:
    """What the results show above an author's papers: name, page and paper count (one query)."""
    counts = dict(
        Author.objects.filter(pk__in=[a.pk for a in authors])
        .annotate(
            n=Count(
                "authorships__paper",
                filter=Q(authorships__paper__hidden=False),
                distinct=True,
            )
        )
        .values_list("pk", "n")
    )
    variant_counts = (
        PaperAuthor.objects.filter(author__canonical__in=authors, paper__hidden=False)
        .values("author__canonical")
        .annotate(n=Count("paper", distinct=True))
    )
    for row in variant_counts:
        counts[row["author__canonical"]] = counts.get(row["author__canonical"], 0) + row["n"]
    return [
        {"name": a.name, "url": author_path(a.slug) if a.slug else "", "papers": counts.get(a.pk, 0)} for a in authors
    ]
