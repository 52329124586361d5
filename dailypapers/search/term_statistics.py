"""Document frequencies on PostgreSQL from a table of lexeme statistics, not a count per word.

Keyword ranking weighs each query word by its idf (keyword.py, rescore.py), so a query needs
the number of papers holding each word. PostgreSQL has no such number at hand: counting it is
a GIN scan of every paper holding the word (120 ms for "model" at 75k papers, growing with
the catalogue), once per word and process every ten minutes. `search_termstatistic` holds
every lexeme's paper count from `ts_stat` over the stored tsvectors, refreshed by the worker
every six hours; a lookup is one primary-key read. A lexeme missing from it (a word new since
the refresh) is counted as before. Counts go stale by the papers added since the refresh: an
idf moves by log(1 + new/old), far less than the ranking notices.

Hyphenated units and phrases ("fine-tuned", "multi-agent") have no statistics in PostgreSQL:
counting one is a GIN intersection of its words' postings and a check of every paper in it
(90–575 ms at a million papers). Their counts are stored in the same table, keyed by the
phrase's tsquery text (`'fine' <-> 'tune'`), when first counted, so the whole site counts a
phrase once per refresh rather than each web process every ten minutes.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from dailypapers.search.models import TermStatistic


def refresh_term_statistics() -> int:
    """Recount every lexeme's papers (PostgreSQL; nothing on SQLite). Readers see the old
    counts until the new ones commit. Returns the number of lexemes.

    Every row is replaced, so the table is vacuumed and analysed at once (outside a caller's
    transaction, where PostgreSQL cannot): left to autovacuum, the 340,000 dead rows of a 75k-paper
    catalogue were vacuumed a minute later, on the cores searches were using."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TermStatistic._meta.db_table}")
        cursor.execute(
            f"INSERT INTO {TermStatistic._meta.db_table} (lexeme, papers) "
            "SELECT word, ndoc FROM ts_stat('SELECT document FROM search_paperdocument')"
        )
        lexemes = cursor.rowcount
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {TermStatistic._meta.db_table}")
    return lexemes


def refresh_job() -> dict:
    """The worker's job, every six hours (settings.DAILYPAPERS_SCHEDULE)."""
    started = time.monotonic()
    lexemes = refresh_term_statistics()
    return {"lexemes": lexemes, "seconds": round(time.monotonic() - started, 1)}


def stored_frequency(unit: str) -> int | None:
    """The stored paper count of a word or phrase, or None when the table has none (then the
    caller counts, and stores a phrase's count with store_frequency)."""
    return stored_frequencies([unit]).get(unit)


# A unit's key: a one-lexeme word's lexeme (as ts_stat writes it), else its phrase tsquery's text.
_KEY = (
    "CASE WHEN cardinality(tsvector_to_array(to_tsvector('english', {unit}))) = 1 "
    "THEN (tsvector_to_array(to_tsvector('english', {unit})))[1] "
    "ELSE phraseto_tsquery('english', {unit})::text END"
)


def stored_frequencies(units: list[str]) -> dict[str, int]:
    """stored_frequency of several units in one query: {unit: papers} for those the table answers."""
    if not units:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.unit, t.papers FROM unnest(%s::text[]) AS u(unit) "
            f"JOIN {TermStatistic._meta.db_table} t ON t.lexeme = {_KEY.format(unit='u.unit')}",
            [list(units)],
        )
        return dict(cursor.fetchall())


def store_frequency(unit: str, papers: int) -> None:
    """Remember a counted phrase's papers for every process, until the next refresh."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TermStatistic._meta.db_table} (lexeme, papers) "
            f"SELECT key, %s FROM (SELECT {_KEY.format(unit='%s')} AS key) k WHERE key <> '' "
            "ON CONFLICT (lexeme) DO UPDATE SET papers = EXCLUDED.papers",
            [papers, unit, unit, unit],
        )
