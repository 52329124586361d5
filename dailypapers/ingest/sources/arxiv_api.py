"""The arXiv API (export.arxiv.org/api/query) through the `arxiv` client: recent papers of a
category, or papers by id.

Polite by construction: one client, `delay_seconds = settings.ARXIV_DELAY_SECONDS` between
requests (arXiv asks for 3 s), pages of 100. `fetch_recent` walks a category newest first
and stops after the N most recent listing days (see `listing.py` for the rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import arxiv
from django.conf import settings

from ..listing import listing_date_for
from ..records import PaperRecord, RecordError, clean_prose, clean_text, clean_texts, require_id, require_title

PAGE_SIZE = 100


def make_client(page_size: int = PAGE_SIZE) -> arxiv.Client:
    return arxiv.Client(page_size=page_size, delay_seconds=float(settings.ARXIV_DELAY_SECONDS), num_retries=3)


def result_to_record(result: arxiv.Result) -> PaperRecord:
    where = result.entry_id or "arXiv API entry"
    arxiv_id, version = require_id(result.entry_id, where, "id")
    categories = (
        list(dict.fromkeys([result.primary_category, *result.categories]))
        if result.primary_category
        else list(result.categories)
    )
    published = result.published
    return PaperRecord(
        arxiv_id=arxiv_id,
        version=version,
        title=require_title(result.title, where),
        abstract=clean_prose(result.summary),
        authors=clean_texts(author.name for author in result.authors),
        categories=[c for c in categories if c],
        published=published,
        updated=result.updated,
        listing_date=listing_date_for(published) if published else None,
        comment=clean_prose(result.comment),
        journal_ref=clean_text(result.journal_ref),
        doi=clean_text(result.doi),
        source="arxiv",
    )


def _records(results: Iterable[arxiv.Result]) -> Iterator[PaperRecord | RecordError]:
    for result in results:
        try:
            yield result_to_record(result)
        except RecordError as error:
            yield error


def fetch_ids(ids: list[str], *, client: arxiv.Client | None = None) -> Iterator[PaperRecord | RecordError]:
    """Papers by id (versioned or not, either style); an id arXiv rejects raises arxiv.HTTPError."""
    client = client or make_client()
    yield from _records(client.results(arxiv.Search(id_list=list(ids), max_results=len(ids))))


def fetch_query(
    query: str, *, max_results: int, client: arxiv.Client | None = None
) -> Iterator[PaperRecord | RecordError]:
    client = client or make_client()
    yield from _records(client.results(arxiv.Search(query=query, max_results=max_results)))


def fetch_recent(
    categories: list[str], *, days: int, max_results: int = 5000, client: arxiv.Client | None = None
) -> Iterator[PaperRecord | RecordError]:
    """Papers of the `days` most recent listing days of each category, newest first."""
    client = client or make_client()
    for category in categories:
        search = arxiv.Search(
            query=f"cat:{category}",
            max_results=max_results,
            sort_by=arxiv.SortCriterion.SubmittedDate,
            sort_order=arxiv.SortOrder.Descending,
        )
        yield from last_listing_days(_records(client.results(search)), days=days)


def last_listing_days(items: Iterable[PaperRecord | RecordError], *, days: int) -> Iterator[PaperRecord | RecordError]:
    """Pass records through until a record from an older day than the `days` newest seen.

    The input is sorted by submission time, newest first, so listing days never go up: the
    first record of day N+1 means every later record is older too, and we stop reading (no
    further pages are requested).
    """
    seen_days: list = []
    for item in items:
        if isinstance(item, RecordError):
            yield item
            continue
        if item.listing_date not in seen_days:
            if len(seen_days) >= days:
                return
            seen_days.append(item.listing_date)
        yield item
