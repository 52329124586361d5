"""The one way tests make papers: straight in the real database with the ORM, with the rows
the ingest writes beside a Paper kept in step (ordered Author/PaperAuthor and PaperCategory
rows, `authors_text`, `primary_category`, the feed reason) and `hotness` from the real
trending formula, so a test paper ranks the way an ingested one would.

Every Paper field can be given; what is not given gets a default that looks like an
ingested new-style arXiv paper listed on `day`. Suites that want a fixture get one from
their conftest.py (tests/community/conftest.py), which only wires this module.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable

from dailypapers.catalog.authors import merge_new_authors, plan_new_authors
from dailypapers.catalog.models import Author, Paper, PaperAuthor, PaperCategory
from dailypapers.community.ranking import paper_hotness

DEFAULT_DAY = dt.date(2026, 6, 30)  # a Tuesday, the shared corpus's next-to-last listing day
DEFAULT_AUTHORS = ("Ada Lovelace", "Alan Turing")
# Generated ids count from 50001 so they never meet the small (00001…) and 9000x numbers
# tests spell out by hand; a generated id that is taken anyway is skipped.
_numbers = itertools.count(50_001)


def _new_arxiv_id(day: dt.date) -> tuple[str, int]:
    while True:
        number = next(_numbers)
        arxiv_id = f"{day:%y%m}.{number:05d}"
        if not Paper.objects.filter(arxiv_id=arxiv_id).exists():
            return arxiv_id, number


def make_paper(
    arxiv_id: str | None = None,
    *,
    day: dt.date | None = None,
    featured: bool = True,
    authors: Iterable[str] | None = None,
    categories: Iterable[str] = ("cs.LG",),
    hotness: float | None = None,
    **fields,
) -> Paper:
    """One paper listed on `day` (default: `listing_date`, else `featured_on`, else the day after
    `published`, else DEFAULT_DAY), on the daily feed that day unless `featured=False` or
    `featured_on` says otherwise, submitted the afternoon before. `authors` are names (default:
    parsed from `authors_text` when given, else DEFAULT_AUTHORS). `hotness` defaults to the
    trending formula's value."""
    published = fields.get("published")
    listed_after = published.date() + dt.timedelta(days=1) if published else None
    day = day or fields.get("listing_date") or fields.get("featured_on") or listed_after or DEFAULT_DAY
    if authors is None:
        text = fields.get("authors_text")
        authors = [name for name in text.split(", ") if name] if text is not None else DEFAULT_AUTHORS
    authors, categories = list(authors), list(categories)
    if arxiv_id is None:
        arxiv_id, number = _new_arxiv_id(day)
    else:
        number = int(re.search(r"(\d+)$", arxiv_id).group(1))  # "2603.00015" is paper number 15
    # arXiv lists in the evening what was submitted before the 14:00 ET cut-off the day before.
    submitted = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(17, 30), tzinfo=dt.UTC)
    title = fields.pop("title", f"Paper number {number}")
    values = {
        "version": 1,
        "title": title,
        "abstract": f"We study {title.lower()} and report results.",
        "authors_text": ", ".join(authors),
        "categories": categories,
        "primary_category": categories[0] if categories else "",
        "published": submitted,
        "listing_date": day,
        "featured_on": day if featured else None,
        "source": "file",
        **fields,
    }
    values.setdefault("updated", values["published"])
    if values["featured_on"] is not None and "featured_reason" not in fields:
        # Worded as the ingest words it (ingest/upsert.py, _featured_reason).
        primary = values["primary_category"]
        values["featured_reason"] = f"New in {primary}" if primary else "New on arXiv"
    paper = Paper.objects.create(arxiv_id=arxiv_id, **values)
    PaperCategory.objects.bulk_create(
        PaperCategory(paper=paper, category=category, position=position)
        for position, category in enumerate(dict.fromkeys(categories))
    )
    new_authors, merge_keys = [], set()
    for position, name in enumerate(authors):
        author = Author.objects.filter(name=name).first()
        if author is None:  # as the ingest adds a name: with its match key and slug (catalog/authors.py)
            plan = plan_new_authors([name])
            ((_, key, slug),) = plan.rows
            author = Author.objects.create(name=name, match_key=key, slug=slug)
            new_authors.append((author.pk, name, slug))
            merge_keys |= plan.merge_keys
        PaperAuthor.objects.create(paper=paper, author=author, position=position)
    merge_new_authors(new_authors, merge_keys)
    paper.hotness = paper_hotness(paper) if hotness is None else hotness
    Paper.objects.filter(pk=paper.pk).update(hotness=paper.hotness)
    return paper
