"""Document frequencies on PostgreSQL from a table of lexeme statistics, not a count per word.

Keyword ranking weighs each query word by its idf (keyword.py, rescore.py), so a query needs
the number of papers holding each word. PostgreSQL has no such number at hand: counting it is
a GIN scan of every paper holding the word (120 ms for "model" at 75k papers, growing with
the catalogue), once per word and process every ten minutes. `search_termstatistic` holds
every lexeme's paper count from `ts_stat` over the stored tsvectors, refreshed by the worker
every night and by `dailypapers index`; a lookup is one primary-key read. A lexeme missing from
it (a word new since the refresh) is counted as before. Counts go stale by the papers added
since the refresh: an idf moves by log(1 + new/old), far less than the ranking notices.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from dailypapers.search.models import TermStatistic


def refresh_term_statistics() -> int:
    """Recount every lexeme's papers (PostgreSQL; nothing on SQLite). Readers see the old
    counts until the new ones commit. Returns the number of lexemes."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TermStatistic._meta.db_table}")
        cursor.execute(
            f"INSERT INTO {TermStatistic._meta.db_table} (lexeme, papers) "
            "SELECT word, ndoc FROM ts_stat('SELECT document FROM search_paperdocument')"
        )
        return cursor.rowcount


def refresh_job() -> dict:
    """The worker's nightly job."""
    started = time.monotonic()
    lexemes = refresh_term_statistics()
    return {"lexemes": lexemes, "seconds": round(time.monotonic() - started, 1)}


def stored_frequency(unit: str) -> int | None:
    """The stored paper count of a one-lexeme word, or None when the word is not one lexeme or
    is not in the table (then the caller counts)."""
    return stored_frequencies([unit]).get(unit)


def stored_frequencies(units: list[str]) -> dict[str, int]:
    """stored_frequency of several units in one query: {unit: papers} for those the table answers."""
    if not units:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.unit, t.papers FROM unnest(%s::text[]) AS u(unit) "
            "CROSS JOIN LATERAL (SELECT tsvector_to_array(to_tsvector('english', u.unit)) AS lexemes) q "
            f"JOIN {TermStatistic._meta.db_table} t ON cardinality(q.lexemes) = 1 AND t.lexeme = q.lexemes[1]",
            [list(units)],
        )
        return dict(cursor.fetchall())
