"""Author pages' addresses from names, for every place that shows a name: `author_path`,
`author_urls` (one query for a list of names) and `AuthorLinks` (a page's or a mail's names,
resolved a list at a time). A variant spelling resolves to its canonical page
(catalog/authors.py merges them)."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Author

# Names per IN (…) list: under SQLite's 32,766 bound parameters.
CHUNK = 5000


def author_path(slug: str) -> str:
    """The path of an author page: `/authors/<slug>`."""
    return f"/authors/{slug}"


def author_slugs(names: Iterable[str]) -> dict[str, str]:
    """{name: slug of its canonical page} for the names that have a page: one query per 5,000
    names. Every list that links names (cards, feeds, mails, exports) resolves them here."""
    names = list(set(names))
    found: dict[str, str] = {}
    for start in range(0, len(names), CHUNK):
        rows = Author.objects.filter(name__in=names[start : start + CHUNK]).values_list(
            "name", "slug", "canonical__slug"
        )
        found.update({name: canonical or slug for name, slug, canonical in rows if canonical or slug})
    return found


def author_urls(names: Iterable[str]) -> dict[str, str]:
    """{name: path of its author page} (`author_slugs` and `author_path`)."""
    return {name: author_path(slug) for name, slug in author_slugs(names).items()}


class AuthorLinks:
    """The author pages of the names one page (or one mail) shows, resolved in batches: `add`
    every name of a list first (one query), then `path(name)` costs nothing. A name without a
    page (not in the catalogue) has no path and shows as plain text."""

    def __init__(self) -> None:
        self.paths: dict[str, str | None] = {}

    def add(self, names: Iterable[str]) -> None:
        missing = {name for name in names if name not in self.paths}
        if missing:
            found = author_urls(missing)
            self.paths.update({name: found.get(name) for name in missing})

    def add_papers(self, papers: Iterable, attr: str = "") -> None:
        """`add` the names of papers (Papers or paper dicts, or rows holding one under `attr`)."""
        names = []
        for item in papers or ():
            paper = (item.get(attr) if isinstance(item, dict) else getattr(item, attr, None)) if attr else item
            if paper is not None:
                names.extend((paper.get("author_names") if isinstance(paper, dict) else paper.author_names) or ())
        self.add(names)

    def path(self, name: str) -> str | None:
        if name not in self.paths:
            self.add([name])
        return self.paths[name]
