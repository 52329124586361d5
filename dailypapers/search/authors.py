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

from django.db.models import Count, Q

from dailypapers.catalog.author_links import author_path
from dailypapers.catalog.authors import fold_name, match_key, name_tokens
from dailypapers.catalog.models import Author, Paper, PaperAuthor
from dailypapers.search.query import ParsedQuery

# A name has 2 to 5 words ("Piotr Miłoś", "Tat-Seng Chua" is 3 after the hyphen splits);
# longer queries are topics.
NAME_WORDS = (2, 5)


def _looks_like_a_name(parsed: ParsedQuery) -> bool:
    if parsed.phrases or parsed.excluded or parsed.authors:
        return False
    words = parsed.text.replace("-", " ").split()
    words = [w for w in words if not w.lower().startswith(("cat:", "category:"))]
    return NAME_WORDS[0] <= len(words) <= NAME_WORDS[1] and all(w.replace(".", "").isalpha() for w in words)


def _name_text(parsed: ParsedQuery) -> str:
    return " ".join(w for w in parsed.text.split() if not w.lower().startswith(("cat:", "category:")))


def author_named(parsed: ParsedQuery) -> list[Author]:
    """The catalogue's authors whose name is the query (folded), as canonical rows, or []: one
    indexed query on the name's match key (catalog/authors.py; the ingest, the migration that
    added it and `dailypapers authors rebuild` key every row). A name without Latin letters has
    no key: it is compared, folded, with the other names that have none (few: arXiv lists names
    in Latin letters)."""
    if not _looks_like_a_name(parsed):
        return []
    text = _name_text(parsed)
    wanted = name_tokens(text)
    rows = Author.objects.select_related("canonical").filter(match_key=match_key(text))
    if wanted:
        found = {(a.canonical or a) for a in rows if name_tokens(a.name) == wanted}
    else:
        folded = fold_name(text)
        found = {(a.canonical or a) for a in rows if fold_name(a.name) == folded}
    return sorted(found, key=lambda a: a.name)


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
