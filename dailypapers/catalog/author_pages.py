"""An author's page as plain data (`author_detail`; for programs `author_record`), and the one
query for an author's papers (`author_papers`) that the page, its RSS/Atom feed, its BibTeX
file, the API and MCP share.

An author is a canonical `Author` row and its variants (catalog/authors.py); their papers
are the visible papers signed by any of those names, newest listing first. The page costs a
fixed number of queries whatever the author has written: the author and variants, the listing
days of all their papers (the count and the monthly chart), the page of papers, the co-authors'
ids and the names of the most frequent, and one GROUP BY for categories.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet

from .author_links import author_path
from .feed import SUMMARY_FIELDS, paper_summary, parse_page
from .models import Author, Paper, PaperAuthor, PaperCategory
from .site import absolute_url
from .windows import FeedParameterError
from .wire import AuthorRecord, CategoryCount, CoauthorRecord, PaperRecord

SLUG_TEXT = re.compile(r"[A-Za-z0-9_-]{1,200}")

PAGE_SIZE = 50
# Co-authors and categories shown: the frequent ones; a 500-paper author has thousands.
TOP_COAUTHORS = 12
TOP_CATEGORIES = 10
# Newest listing first; papers from a metadata file have no `published`, and NULLs sort
# first descending on PostgreSQL but last on SQLite, so they are pinned last on both.
NEWEST_FIRST = (F("listing_date").desc(nulls_last=True), F("published").desc(nulls_last=True), "-pk")


class AuthorNotFound(LookupError):
    """No author has this slug."""


@dataclass(frozen=True)
class AuthorRef:
    """An author as the page knows it: the canonical row, its variants' ids and names, and
    `moved_to`: the canonical slug when the slug asked for was a variant's (a 301)."""

    author: Author
    ids: tuple[int, ...]
    variants: tuple[str, ...]
    moved_to: str | None = None


def find_author(slug: str) -> AuthorRef:
    """The author whose page is `slug` (two queries). Raises AuthorNotFound, also for text that
    cannot be a slug (slugs are ASCII letters, digits and hyphens; NUL never reaches the database)."""
    if not SLUG_TEXT.fullmatch(slug or ""):
        raise AuthorNotFound(slug)
    author = Author.objects.select_related("canonical").filter(slug=slug).first()
    if author is None:
        raise AuthorNotFound(slug)
    moved_to = None
    if author.canonical is not None:
        author, moved_to = author.canonical, author.canonical.slug
    variants = list(Author.objects.filter(canonical=author).order_by("name").values_list("id", "name"))
    return AuthorRef(
        author=author,
        ids=(author.pk, *(pk for pk, _ in variants)),
        variants=tuple(name for _, name in variants),
        moved_to=moved_to,
    )


def author_papers(ref: AuthorRef) -> QuerySet[Paper]:
    """The author's visible papers, newest first (one query when evaluated)."""
    signed = PaperAuthor.objects.filter(author_id__in=ref.ids).values("paper_id")
    return Paper.objects.visible().filter(id__in=signed).order_by(*NEWEST_FIRST)


def listing_days(ref: AuthorRef) -> list:
    """The listing day of each of the author's papers (None where unknown): the page's count
    and its chart from one short query."""
    return list(author_papers(ref).order_by().values_list("listing_date", flat=True))


def papers_per_month(days: list) -> list[dict]:
    """{"month": date (first day), "count": n} from the first month to the last, gaps as 0.
    Counted here from the listing days: SQLite's date truncation per row cost 6 ms for 500
    papers, the whole page's budget being 50."""
    counts = Counter(day.replace(day=1) for day in days if day)
    if not counts:
        return []
    months, month, last = [], min(counts), max(counts)
    while month <= last:
        months.append({"month": month, "count": counts.get(month, 0)})
        month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return months


def frequent_coauthors(ref: AuthorRef, limit: int = TOP_COAUTHORS) -> list[dict]:
    """The names most often on the author's papers, variants counted with their canonical name:
    [{"name", "slug", "url", "papers"}], most papers first. Two queries: the co-author ids of
    every paper (counted here; a GROUP BY joined to the names took 8 ms for 500 papers), then
    the names of the most frequent."""
    signed = PaperAuthor.objects.filter(paper_id__in=author_papers(ref).order_by().values("id"))
    by_id = Counter(signed.exclude(author_id__in=ref.ids).values_list("author_id", flat=True))
    if not by_id:
        return []
    # Enough ids that merging variants into their canonical names cannot change the top `limit`.
    wanted = [pk for pk, _ in by_id.most_common(limit * 4)]
    rows = Author.objects.filter(pk__in=wanted).values_list("pk", "name", "slug", "canonical__name", "canonical__slug")
    counts: Counter = Counter()
    slugs: dict[str, str | None] = {}
    for pk, name, slug, canonical_name, canonical_slug in rows:
        shown = canonical_name or name
        counts[shown] += by_id[pk]
        slugs[shown] = canonical_slug or slug
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [
        {"name": name, "slug": slugs[name], "url": author_path(slugs[name]) if slugs[name] else None, "papers": n}
        for name, n in top
    ]


def author_categories(ref: AuthorRef, limit: int = TOP_CATEGORIES) -> list[dict]:
    """[{"category", "papers"}]: the categories of the author's papers, commonest first."""
    rows = (
        PaperCategory.objects.filter(paper_id__in=author_papers(ref).order_by().values("id"))
        .values("category")
        .annotate(n=Count("paper_id"))
        .order_by("-n", "category")[:limit]
    )
    return [{"category": row["category"], "papers": row["n"]} for row in rows]


def author_detail(*, ref: AuthorRef, page: int | str | None = 1) -> dict:
    """Everything the author page shows (`ref` from find_author). Raises FeedParameterError (page)."""
    days = listing_days(ref)
    total, number = len(days), parse_page(page)
    num_pages = max(1, -(-total // PAGE_SIZE))
    if total and number > num_pages:
        raise FeedParameterError("page", page, f"expected a page number from 1 to {num_pages}")
    start = (number - 1) * PAGE_SIZE
    papers = list(author_papers(ref).only(*SUMMARY_FIELDS)[start : start + PAGE_SIZE]) if total else []
    return {
        "ref": ref,
        "name": ref.author.name,
        "slug": ref.author.slug,
        "url": author_path(ref.author.slug),
        "variants": list(ref.variants),
        "total": total,
        "page": number,
        "num_pages": num_pages,
        "papers": [paper_summary(p) for p in papers],
        "months": papers_per_month(days),
        "coauthors": frequent_coauthors(ref),
        "categories": author_categories(ref),
    }


def author_record(ref: AuthorRef, *, limit: int = 20, request=None) -> AuthorRecord:
    """The author as the API and the MCP tool `get_author` return them (`limit` newest papers)."""
    papers = author_papers(ref)
    return AuthorRecord(
        name=ref.author.name,
        slug=ref.author.slug,
        url=absolute_url(author_path(ref.author.slug), request),
        variants=list(ref.variants),
        paper_count=papers.count(),
        papers=[PaperRecord.of(p, request=request) for p in papers[:limit]],
        coauthors=[CoauthorRecord(name=c["name"], slug=c["slug"], papers=c["papers"]) for c in frequent_coauthors(ref)],
        categories=[CategoryCount(**row) for row in author_categories(ref)],
    )
