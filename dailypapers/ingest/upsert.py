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
- a new paper is featured on its listing day ("New in cs.LG"; an old paper re-listed says
  "Replaced in …", catalog/listings.py), or on the day the source says.
Before new papers are inserted `papers_creating(rows)` lets other apps fill in their columns
(the trending key); after each committed batch `papers_ingested(created_ids, updated_ids)` is sent.
"""

from __future__ import annotations

import functools
import gc
import json
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dailypapers.catalog.authors import merge_new_authors, plan_new_authors
from dailypapers.catalog.links import extract_links
from dailypapers.catalog.listings import listing_kind, listing_label
from dailypapers.catalog.models import Author, Paper, PaperAuthor, PaperCategory
from dailypapers.catalog.pagecache import papers_changed
from dailypapers.catalog.signals import papers_creating, papers_ingested

from .records import PaperRecord

BATCH_SIZE = 5000  # about a second of SQLite's write lock per transaction during a bulk load; 2,000 was 4 % slower
# Paper fields a metadata update rewrites; community fields are never touched here.
UPDATE_FIELDS = [
    "version",
    "title",
    "abstract",
    "authors_text",
    "categories",
    "primary_category",
    "published",
    "updated",
    "listing_date",
    "comment",
    "journal_ref",
    "doi",
    "code_url",
    "project_url",
    "source",
    "content_hash",
    "modified_at",
]
AUTHOR_NAME_MAX = Author._meta.get_field("name").max_length
# Names a run remembers with their ids (see _author_ids): the shared corpus has 177,084
# distinct authors, about 30 MB; past this many the memory is given back and it starts over.
KNOWN_AUTHORS_MAX = 400_000


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

    def add(self, other: UpsertStats) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.ignored_older += other.ignored_older


@dataclass
class Checkpoint:
    """Put in a record stream by a source that must know when data is committed (OAI-PMH):
    the records before it are upserted first, then `after()` runs (e.g. saves a resumption token)."""

    after: Callable[[], None]


def upsert_records(
    records: Iterable[PaperRecord | Checkpoint], *, batch_size: int = BATCH_SIZE, on_batch=None, sender=None
) -> UpsertStats:
    """Upsert all `records`; `on_batch(n_records, stats)` is called after each commit (progress)."""
    total = UpsertStats()
    batch: list[PaperRecord] = []
    authors: dict[str, int] = {}  # name -> id of the authors this run has looked up or added

    def flush():
        if batch:
            stats = upsert_batch(batch, sender=sender, authors=authors)
            total.add(stats)
            if on_batch:
                on_batch(len(batch), stats)
            batch.clear()

    with _bulk_load_wal(), _fewer_gc_passes():
        for record in records:
            if isinstance(record, Checkpoint):
                flush()
                record.after()
                continue
            batch.append(record)
            if len(batch) >= batch_size:
                flush()
        flush()
    return total


_gc_lock = threading.Lock()
_gc_loads = 0  # upserts running in this process (threads); thresholds return when the last ends
_gc_before: tuple[int, ...] = ()


@contextmanager
def _fewer_gc_passes():
    """Run the cyclic garbage collector less often while loading: a batch allocates a few
    hundred thousand short-lived, acyclic objects (freed by reference counting anyway), and
    at the default threshold the collector ran every 700 of them, rescanning the survivors
    (measured: 5-8 % of a full-corpus ingest). The thresholds come back afterwards."""
    global _gc_loads, _gc_before
    with _gc_lock:
        if _gc_loads == 0:
            _gc_before = gc.get_threshold()
            gc.set_threshold(50_000, 20, 20)
        _gc_loads += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_loads -= 1
            if _gc_loads == 0:
                gc.set_threshold(*_gc_before)


@contextmanager
def _bulk_load_wal():
    """On SQLite, checkpoint the write-ahead log every ~40 MB instead of every 4 MB while
    loading: each checkpoint rewrites pages the next batch touches again (measured: ~10 %
    of a full-corpus ingest). Readers are unaffected; the default comes back afterwards."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # a checkpoint cannot run inside a transaction
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint=10000")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint=1000")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _newest_per_id(batch: list[PaperRecord]) -> dict[str, PaperRecord]:
    """One record per paper: a batch may hold two versions of the same paper."""
    chosen: dict[str, PaperRecord] = {}
    for record in batch:
        previous = chosen.get(record.arxiv_id)
        if previous is None or (record.version or 0) >= (previous.version or 0):
            chosen[record.arxiv_id] = record
    return chosen


def upsert_batch(batch: list[PaperRecord], *, sender=None, authors: dict[str, int] | None = None) -> UpsertStats:
    """Upsert one batch in one transaction. `authors` (name -> id) carries the authors earlier
    batches of the same run resolved, so they are not looked up again; if one of them was
    deleted meanwhile (an admin), the batch fails its foreign key check and runs once more
    with the names looked up afresh."""
    authors = {} if authors is None else authors
    remembered = bool(authors)
    try:
        return _upsert_batch(batch, sender, authors)
    except IntegrityError:
        if not remembered:
            raise
        authors.clear()
        return _upsert_batch(batch, sender, authors)


def _upsert_batch(batch: list[PaperRecord], sender, authors: dict[str, int]) -> UpsertStats:
    stats = UpsertStats()
    records = _newest_per_id(batch)
    stats.unchanged += len(batch) - len(records)  # duplicates inside the batch
    now = timezone.now()
    with transaction.atomic():
        existing = {row[1]: row for row in _existing(list(records))}
        to_create: list[dict] = []
        to_update: list[Paper] = []
        relink: dict[str, PaperRecord] = {}  # papers whose author/category rows are rewritten
        for arxiv_id, record in records.items():
            digest = record.content_hash()
            row = existing.get(arxiv_id)
            if row is None:
                to_create.append(_paper_values(record, digest, now, new=True))
                relink[arxiv_id] = record
                continue
            pk, _, old_version, old_hash, old_listing, old_published, old_authors, old_categories = row
            # A HF export carries no categories or versions: it adds papers, never rewrites arXiv's.
            if old_hash == digest or record.source == "hf":
                stats.unchanged += 1
                continue
            if old_version is not None and (record.version is None or record.version < old_version):
                stats.ignored_older += 1
                continue
            values = _paper_values(record, digest, now, new=False)
            # The paper keeps the day it was first listed and its first-version date.
            values["listing_date"] = old_listing or record.listing_date
            values["published"] = min(filter(None, [old_published, record.published]), default=None)
            to_update.append(Paper(pk=pk, **values))
            if values["authors_text"] != old_authors or list(record.categories) != list(old_categories or []):
                relink[arxiv_id] = record

        # ON CONFLICT … RETURNING: a paper another ingest inserted since our select is left to
        # it (and counted unchanged here) instead of failing the whole batch.
        if to_create:
            papers_creating.send(sender=sender or upsert_batch, rows=to_create)
        created_ids = (
            dict(_insert(Paper, to_create, returning=("arxiv_id", "id"), on_conflict="(arxiv_id)")) if to_create else {}
        )
        if to_update:
            Paper.objects.bulk_update(to_update, UPDATE_FIELDS, batch_size=500)
        ids = {**created_ids, **{p.arxiv_id: p.pk for p in to_update}}
        relink = {a: rec for a, rec in relink.items() if a in ids}
        if relink:
            _write_links(
                {ids[a]: rec for a, rec in relink.items()},
                replace=[ids[a] for a in relink if a not in created_ids],
                authors=authors,
            )

    stats.unchanged += len(to_create) - len(created_ids)
    stats.created = len(created_ids)
    stats.updated = len(to_update)
    stats.created_ids = sorted(created_ids.values())
    stats.updated_ids = [p.pk for p in to_update]
    if stats.created_ids or stats.updated_ids:
        papers_ingested.send(
            sender=sender or upsert_batch, created_ids=stats.created_ids, updated_ids=stats.updated_ids
        )
        papers_changed()  # after the receivers (curation) so cached pages show their result too
    return stats


def _paper_values(record: PaperRecord, digest: str, now, *, new: bool) -> dict:
    """Column values of the paper (the metadata ones; with `new`, the community defaults too)."""
    code_url, project_url = extract_links(record.abstract, record.comment)
    primary = record.categories[0] if record.categories else ""
    values = {
        "arxiv_id": record.arxiv_id,
        "version": record.version,
        "title": record.title,
        "abstract": record.abstract,
        "authors_text": ", ".join(record.authors),
        "categories": list(record.categories),
        "primary_category": primary[:32],
        "published": record.published,
        "updated": record.updated,
        "listing_date": record.listing_date,
        "comment": record.comment or "",
        "journal_ref": record.journal_ref or "",
        "doi": (record.doi or "")[:255],
        "code_url": code_url,
        "project_url": project_url,
        "source": record.source,
        "content_hash": digest,
        "modified_at": now,
    }
    if new:
        # With curation rules defined (FEATURE_ALL_INGESTED off) the community app features papers.
        feature_all = getattr(settings, "FEATURE_ALL_INGESTED", True)
        featured_on = record.featured_on or (record.listing_date if feature_all else None)
        values.update(
            featured_on=featured_on,
            featured_reason=_featured_reason(record, primary) if featured_on else "",
            upvotes=0,
            num_comments=0,
            hotness=0.0,
            hidden=False,
            created_at=now,
        )
    return values


def _adapter(field):
    """How a value of `field` goes to the database driver (what Model.save would send)."""
    kind = field.get_internal_type()
    ops = connection.ops
    if kind == "DateTimeField":
        if connection.vendor == "sqlite" and settings.USE_TZ:
            # What the SQLite backend's adapt_datetimefield_value does (make_naive in the
            # connection's zone, then str), without its per-value settings lookups.
            zone = connection.timezone
            return lambda value: (
                str(value.astimezone(zone).replace(tzinfo=None)) if value.utcoffset() is not None else str(value)
            )
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return str if connection.vendor == "sqlite" else ops.adapt_datefield_value  # SQLite's is str()
    if kind == "JSONField":
        if connection.vendor == "sqlite":  # SQLite's adapt_json_value is json.dumps(value, cls=encoder)
            return _remembered(functools.partial(json.dumps, cls=field.encoder))
        return lambda value: ops.adapt_json_value(value, field.encoder)
    return None


def _remembered(dumps):
    """`dumps` for lists of strings that recur (a batch has ~5,000 category lists and a few
    hundred distinct ones), remembering each one's text."""
    known: dict[tuple, str] = {}

    def adapt(value):
        if type(value) is not list:
            return dumps(value)
        key = tuple(value)
        try:
            text = known.get(key)
        except TypeError:  # not hashable: not a list of strings
            return dumps(value)
        if text is None:
            text = known[key] = dumps(value)
        return text

    return adapt


def _insert(model, rows: list[dict], *, returning: tuple[str, ...] = (), on_conflict: str = "") -> list[tuple]:
    """INSERT rows (dicts with the same keys), many rows per statement.

    bulk_create builds a model instance and prepares every value through the field API;
    for ~75k papers that was half the ingest time, so we adapt the few typed columns ourselves.
    """
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    typed = [(i, adapt) for i, adapt in enumerate(map(_adapter, fields)) if adapt is not None]
    params = []
    last: dict[int, tuple] = {}  # per typed column: the previous row's value and its adaptation
    for row in rows:
        values = list(map(row.__getitem__, names))
        for i, adapt in typed:
            value = values[i]
            if value is None:
                continue
            previous = last.get(i)
            if previous is not None and previous[0] is value:  # created_at, modified_at: one `now` a batch
                values[i] = previous[1]
            else:
                values[i] = adapt(value)
                last[i] = (value, values[i])
        params.append(values)
    suffix = f" ON CONFLICT {on_conflict} DO NOTHING" if on_conflict else ""
    if returning:
        suffix += " RETURNING " + ", ".join(connection.ops.quote_name(c) for c in returning)
    return insert_rows(
        model._meta.db_table, [f.column for f in fields], params, suffix=suffix, returning=bool(returning)
    )


@contextmanager
def _driver_cursor():
    """A cursor of the database driver itself, for the bulk statements, inside the current
    transaction. Django's cursor would rewrite the placeholders of every 18,000-parameter
    statement with a regular expression (SQLite: 4 % of an ingest) and, with DEBUG on, keep
    a quoted copy of each statement (a third slower, and memory for every statement)."""
    connection.ensure_connection()
    with connection.wrap_database_errors:  # driver errors still arrive as django.db errors
        cursor = connection.connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()


def _marks(count: int) -> str:
    """`count` query parameters in the driver's own style."""
    mark = "?" if connection.vendor == "sqlite" else "%s"
    return ", ".join([mark] * count)


def insert_rows(table: str, columns: list[str], rows: list, suffix: str = "", returning: bool = False) -> list[tuple]:
    """Multi-row INSERT … VALUES (…), (…): one round trip per chunk instead of one per row
    (executemany on PostgreSQL), within SQLite's 32,766 bound parameters per statement."""
    if not rows:
        return []
    returned: list[tuple] = []
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = f"({_marks(len(columns))})"
    per_statement = max(1, min(1000, 30000 // len(columns)))
    with _driver_cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = (
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES "
                f"{', '.join([one] * len(chunk))}{suffix}"
            )
            cursor.execute(sql, [value for row in chunk for value in row])
            if returning:
                returned.extend(cursor.fetchall())
    return returned


def _featured_reason(record: PaperRecord, primary: str) -> str:
    if record.source == "hf":
        return "On Hugging Face Daily Papers"
    # "New in cs.LG", or "Replaced in cs.CE (first version August 2020)" for an old paper re-listed.
    kind = listing_kind(arxiv_id=record.arxiv_id, listing_date=record.listing_date, primary_category=primary)
    return listing_label(kind, arxiv_id=record.arxiv_id, primary_category=primary)


def _select_in(model, columns: list[str], key: str, values: list) -> list[tuple]:
    """SELECT columns WHERE key IN (values), in chunks; raw SQL because the ORM's per-value
    lookup preparation cost more than the query for 2,000-value lists."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    rows: list[tuple] = []
    with _driver_cursor() as cursor:
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            cursor.execute(
                f"SELECT {cols} FROM {table} WHERE {connection.ops.quote_name(key)} IN ({_marks(len(chunk))})", chunk
            )
            rows.extend(cursor.fetchall())
    return rows


_EXISTING_FIELDS = [
    "id",
    "arxiv_id",
    "version",
    "content_hash",
    "listing_date",
    "published",
    "authors_text",
    "categories",
]


def _existing(arxiv_ids: list[str]) -> list[tuple]:
    """Stored state of these papers, with values converted as the ORM would (dates, JSON)."""
    fields = [Paper._meta.get_field(name) for name in _EXISTING_FIELDS]
    converters = [
        [c for c in connection.ops.get_db_converters(f.get_col(Paper._meta.db_table)) + f.get_db_converters(connection)]
        for f in fields
    ]
    out = []
    for row in _select_in(Paper, [f.column for f in fields], "arxiv_id", arxiv_ids):
        values = []
        for value, field_, convs in zip(row, fields, converters, strict=False):
            for conv in convs:
                value = conv(value, field_.get_col(Paper._meta.db_table), connection)
            values.append(value)
        out.append(tuple(values))
    return out


def _insert_authors(rows: list[tuple[str, str, str | None]]) -> list[tuple]:
    return insert_rows(
        Author._meta.db_table,
        ["name", "match_key", "slug"],
        rows,
        suffix=' ON CONFLICT DO NOTHING RETURNING "name", "id"',
        returning=True,
    )


def _author_ids(
    names: set[str], known: dict[str, int], created: list | None = None, created_keys: set | None = None
) -> dict[str, int]:
    """Ids of authors by name, inserting the missing ones (two queries plus an insert), for
    the names not in `known`; `known` learns the new ones. Half the names of a batch of the
    shared corpus were in an earlier batch, so a run looks up each name about once. The names
    inserted here are added to `created` as (id, name, slug as inserted), and the match keys
    of their groups where a merge is possible to `created_keys`."""
    found: dict[str, int] = {}
    wanted: list[str] = []
    for name in names:
        pk = known.get(name)
        if pk is None:
            wanted.append(name)
        else:
            found[name] = pk
    if not wanted:
        return found
    new: dict[str, int] = dict(_select_in(Author, ["name", "id"], "name", wanted))
    missing = [name for name in wanted if name not in new]
    if missing:
        # ON CONFLICT: another ingest may have added the same name (or given the same slug)
        # meanwhile (both databases); RETURNING gives the new ids, and only names someone else
        # inserted are read again. A name that lost its slug to another ingest goes in without
        # one and gets it from merge_new_authors.
        plan = plan_new_authors(missing)
        rows = plan.rows
        slugs = {name: slug for name, _, slug in rows}
        inserted = dict(_insert_authors(rows))
        new.update(inserted)
        if len(new) < len(wanted):
            new.update(_select_in(Author, ["name", "id"], "name", [name for name in missing if name not in new]))
        if len(new) < len(wanted):
            rows = [(name, key, None) for name, key, _ in rows if name not in new]
            slugs.update((name, None) for name, _, _ in rows)
            inserted.update(_insert_authors(rows))
            new.update(inserted)
        if created is not None:
            created.extend((pk, name, slugs.get(name)) for name, pk in inserted.items())
            if created_keys is not None:
                created_keys.update(plan.merge_keys)
    if len(known) + len(new) > KNOWN_AUTHORS_MAX:
        known.clear()
    known.update(new)
    found.update(new)
    return found


def _write_links(records_by_pk: dict[int, PaperRecord], *, replace: list[int], authors: dict[str, int]) -> None:
    """(Re)write the ordered PaperAuthor and PaperCategory rows of these papers."""
    if replace:
        PaperAuthor.objects.filter(paper_id__in=replace).delete()
        PaperCategory.objects.filter(paper_id__in=replace).delete()
    names = {name[:AUTHOR_NAME_MAX] for record in records_by_pk.values() for name in record.authors}
    new_authors: list[tuple[int, str, str | None]] = []
    merge_keys: set[str] = set()
    author_ids = _author_ids(names, authors, new_authors, merge_keys) if names else {}
    author_rows = []
    category_rows = []
    for pk, record in records_by_pk.items():
        for position, name in enumerate(record.authors):
            author_rows.append((pk, author_ids[name[:AUTHOR_NAME_MAX]], position))
        for position, category in enumerate(dict.fromkeys(record.categories)):
            category_rows.append((pk, category[:32], position))
    # Plain tuples: model instances for ~10 link rows per paper cost more than the insert.
    insert_rows(PaperAuthor._meta.db_table, ["paper_id", "author_id", "position"], author_rows)
    insert_rows(PaperCategory._meta.db_table, ["paper_id", "category", "position"], category_rows)
    # New names join their variants (catalog/authors.py) once their papers are linked.
    merge_new_authors(new_authors, merge_keys)
