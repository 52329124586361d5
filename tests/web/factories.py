"""Test papers made straight with the ORM (no ingest), with authors and category rows
kept in step as the ingest keeps them."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timezone

from dailypapers.catalog.models import Author, Paper, PaperAuthor, PaperCategory

_numbers = itertools.count(1)


def make_paper(*, arxiv_id: str | None = None, day: date = date(2026, 6, 30), featured: bool = True,
               categories: tuple[str, ...] = ("cs.LG",), authors: tuple[str, ...] = ("Ada Lovelace", "Alan Turing"),
               **fields) -> Paper:
    number = next(_numbers)
    arxiv_id = arxiv_id or f"{day:%y%m}.{number:05d}"
    defaults = {
        "version": 1,
        "title": f"Paper number {number}",
        "abstract": f"Abstract of paper {number}.",
        "authors_text": ", ".join(authors),
        "categories": list(categories),
        "primary_category": categories[0] if categories else "",
        "published": datetime(day.year, day.month, day.day, 17, tzinfo=timezone.utc),
        "updated": datetime(day.year, day.month, day.day, 17, tzinfo=timezone.utc),
        "listing_date": day,
        "featured_on": day if featured else None,
        "source": "file",
    }
    defaults.update(fields)
    paper = Paper.objects.create(arxiv_id=arxiv_id, **defaults)
    PaperCategory.objects.bulk_create(
        PaperCategory(paper=paper, category=category, position=i) for i, category in enumerate(categories))
    for position, name in enumerate(authors):
        author, _ = Author.objects.get_or_create(name=name)
        PaperAuthor.objects.create(paper=paper, author=author, position=position)
    return paper
