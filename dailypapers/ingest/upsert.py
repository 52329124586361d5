"""Idempotent upsert of `PaperRecord`s into the catalogue, in batches.

One transaction per batch: Paper rows, authors, PaperAuthor and PaperCategory rows commit
together, so an interrupted ingest leaves whole batches and the same run again finishes the
job. Per batch there is a fixed number of queries (no per-row queries): existing papers by
id, authors by name, bulk inserts and updates.

Rules:
- a record whose `content_hash` equals the stored one changes nothing (not even modified_at);
- a record with a lower version than the stored one, or without a version when the stored
  paper has one, is ignored: we never downgrade;
- a changed record updates the metadata; the first listing day, first-version date and the
  community fields (featured_on, upvotes, hidden…) are kept;
- a new paper is featured on its listing day ("New in cs.LG"), or on the day the source says.
After each committed batch `papers_ingested(created_ids, updated_ids)` is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from dailypapers.catalog.links import extract_links
from dailypapers.catalog.models import Author, Paper, PaperAuthor, PaperCategory
from dailypapers.catalog.signals import papers_ingested

from .records import PaperRecord

BATCH_SIZE = 2000
# Paper fields a metadata update rewrites; community fields are never touched here.
UPDATE_FIELDS = [
    "version", "title", "abstract", "authors_text", "categories", "primary_category", "published",
    "updated", "listing_date", "comment", "journal_ref", "doi", "code_url", "project_url",
    "source", "content_hash", "modified_at",
]
AUTHOR_NAME_MAX = Author._meta.get_field("name").max_length


@dataclass
class UpsertStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_older: int = 0
    created_ids: list[int] = field(default_factory=list, repr=False)
    updated_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def seen(self) -> int:
        return self.created + self.updated + self.unchanged + self.ignored_older

    def add(self, other: "UpsertStats") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.ignored_older += other.ignored_older


def batched(records: Iterable[PaperRecord], size: int) -> Iterator[list[PaperRecord]]:
    batch: list[PaperRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def upsert_records(records: Iterable[PaperRecord], *, batch_size: int = BATCH_SIZE, on_batch=None, sender=None) -> UpsertStats:
    """Upsert all `records`; `on_batch(n_records, stats)` is called after each commit (progress)."""
    total = UpsertStats()
    for batch in batched(records, batch_size):
        stats = upsert_batch(batch, sender=sender)
        total.add(stats)
        if on_batch:
            on_batch(len(batch), stats)
    return total


def _newest_per_id(batch: list[PaperRecord]) -> dict[str, PaperRecord]:
    """One record per paper: a batch may hold two versions of the same paper."""
    chosen: dict[str, PaperRecord] = {}
    for record in batch:
        previous = chosen.get(record.arxiv_id)
        if previous is None or (record.version or 0) >= (previous.version or 0):
            chosen[record.arxiv_id] = record
    return chosen


def upsert_batch(batch: list[PaperRecord], *, sender=None) -> UpsertStats:
    stats = UpsertStats()
    records = _newest_per_id(batch)
    stats.unchanged += len(batch) - len(records)  # duplicates inside the batch
    now = timezone.now()
    with transaction.atomic():
        existing = {
            row[1]: row
            for row in Paper.objects.filter(arxiv_id__in=list(records)).values_list(
                "id", "arxiv_id", "version", "content_hash", "listing_date", "published", "authors_text", "categories"
            )
        }
        to_create: list[Paper] = []
        to_update: list[Paper] = []
        relink: dict[str, PaperRecord] = {}  # papers whose author/category rows are rewritten
        for arxiv_id, record in records.items():
            digest = record.content_hash()
            row = existing.get(arxiv_id)
            if row is None:
                to_create.append(_new_paper(record, digest))
                relink[arxiv_id] = record
                continue
            pk, _, old_version, old_hash, old_listing, old_published, old_authors, old_categories = row
            if old_hash == digest:
                stats.unchanged += 1
                continue
            if old_version is not None and (record.version is None or record.version < old_version):
                stats.ignored_older += 1
                continue
            paper = _new_paper(record, digest)
            paper.pk = pk
            # The paper keeps the day it was first listed and its first-version date.
            paper.listing_date = old_listing or record.listing_date
            paper.published = min(filter(None, [old_published, record.published]), default=None)
            paper.modified_at = now
            to_update.append(paper)
            if paper.authors_text != old_authors or list(record.categories) != list(old_categories or []):
                relink[arxiv_id] = record

        if to_create:
            Paper.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Paper.objects.bulk_update(to_update, UPDATE_FIELDS, batch_size=500)
        created_ids = _ids_of([p.arxiv_id for p in to_create]) if to_create else {}
        ids = {**created_ids, **{p.arxiv_id: p.pk for p in to_update}}
        if relink:
            _write_links({ids[a]: rec for a, rec in relink.items()}, replace=[ids[a] for a in relink if a not in created_ids])

    stats.created = len(to_create)
    stats.updated = len(to_update)
    stats.created_ids = list(created_ids.values())
    stats.updated_ids = [p.pk for p in to_update]
    if stats.created_ids or stats.updated_ids:
        papers_ingested.send(sender=sender or upsert_batch, created_ids=stats.created_ids, updated_ids=stats.updated_ids)
    return stats


def _new_paper(record: PaperRecord, digest: str) -> Paper:
    code_url, project_url = extract_links(record.abstract, record.comment)
    # With curation rules defined (FEATURE_ALL_INGESTED off) the community app features papers.
    feature_all = getattr(settings, "FEATURE_ALL_INGESTED", True)
    featured_on = record.featured_on or (record.listing_date if feature_all else None)
    primary = record.categories[0] if record.categories else ""
    return Paper(
        arxiv_id=record.arxiv_id,
        version=record.version,
        title=record.title,
        abstract=record.abstract,
        authors_text=", ".join(record.authors),
        categories=list(record.categories),
        primary_category=primary,
        published=record.published,
        updated=record.updated,
        listing_date=record.listing_date,
        comment=record.comment or "",
        journal_ref=record.journal_ref or "",
        doi=(record.doi or "")[:255],
        code_url=code_url,
        project_url=project_url,
        featured_on=featured_on,
        featured_reason=_featured_reason(record, primary) if featured_on else "",
        source=record.source,
        content_hash=digest,
    )


def _featured_reason(record: PaperRecord, primary: str) -> str:
    if record.source == "hf":
        return "On Hugging Face Daily Papers"
    return f"New in {primary}" if primary else "New on arXiv"


def _ids_of(arxiv_ids: list[str]) -> dict[str, int]:
    return dict(Paper.objects.filter(arxiv_id__in=arxiv_ids).values_list("arxiv_id", "id"))


def _author_ids(names: set[str]) -> dict[str, int]:
    """Ids of authors by name, inserting the missing ones (two queries plus an insert)."""
    found: dict[str, int] = {}
    wanted = list(names)
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start:start + 5000]
        found.update(Author.objects.filter(name__in=chunk).values_list("name", "id"))
    missing = [name for name in wanted if name not in found]
    if missing:
        Author.objects.bulk_create([Author(name=name) for name in missing], batch_size=1000, ignore_conflicts=True)
        for start in range(0, len(missing), 5000):
            found.update(Author.objects.filter(name__in=missing[start:start + 5000]).values_list("name", "id"))
    return found


def _write_links(records_by_pk: dict[int, PaperRecord], *, replace: list[int]) -> None:
    """(Re)write the ordered PaperAuthor and PaperCategory rows of these papers."""
    if replace:
        PaperAuthor.objects.filter(paper_id__in=replace).delete()
        PaperCategory.objects.filter(paper_id__in=replace).delete()
    names = {name[:AUTHOR_NAME_MAX] for record in records_by_pk.values() for name in record.authors}
    author_ids = _author_ids(names) if names else {}
    author_rows = []
    category_rows = []
    for pk, record in records_by_pk.items():
        for position, name in enumerate(record.authors):
            author_rows.append((pk, author_ids[name[:AUTHOR_NAME_MAX]], position))
        for position, category in enumerate(dict.fromkeys(record.categories)):
            category_rows.append((pk, category[:32], position))
    # Plain executemany: model instances for ~10 link rows per paper cost more than the insert.
    with connection.cursor() as cursor:
        if author_rows:
            table = connection.ops.quote_name(PaperAuthor._meta.db_table)
            cursor.executemany(f"INSERT INTO {table} (paper_id, author_id, position) VALUES (%s, %s, %s)", author_rows)
        if category_rows:
            table = connection.ops.quote_name(PaperCategory._meta.db_table)
            cursor.executemany(f"INSERT INTO {table} (paper_id, category, position) VALUES (%s, %s, %s)", category_rows)
