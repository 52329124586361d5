"""Document frequencies from a table of term statistics, not a count per word.

Keyword ranking weighs each query word by its idf (keyword.py, rescore.py), so a query needs
the number of papers holding each word. Neither database has that number at hand for a word
typed in a query:
- PostgreSQL counts it with a GIN scan of every paper holding the word (120 ms for "model" at
  75k papers, growing with the catalogue).
- FTS5 counts it from its postings at 30-95 ns each, stopping at 20,001 and estimating past
  that (keyword.EXACT_COUNT_BELOW): about 2-5 ms for a common word. A search of several words
  new to the process paid that for each of them: about 2 ms a query on average at 75k papers,
  and 8-12 ms among the slowest 40 of the bench's 500.
Either count was made once per word and web process every ten minutes. `search_termstatistic`
holds the counts instead, refreshed by the worker every six hours; a query looks all its words up
in one statement. A word missing from the table (new since the refresh, or rarer than the table
keeps) is counted as before. Counts go stale by the papers added since the refresh: an idf moves
by log(1 + new/old), far less than the ranking notices.

- PostgreSQL: every lexeme's paper count from `ts_stat` over the stored tsvectors, keyed by the
  lexeme (its `english` stem).
- SQLite: the stems of FTS5's own vocabulary (fts5vocab) in at least SQLITE_STORED_FROM papers,
  keyed by FTS5's Porter stem; counting a rarer one costs less than a lookup saves. A query
  word's stem comes from FTS5's tokenizer itself (a temporary FTS5 table with the index's
  tokenizer, STEMMER below), so a stem never differs from the index's.

Hyphenated units and phrases ("fine-tuned", "multi-agent") have no statistics in PostgreSQL:
counting one is a GIN intersection of its words' postings and a check of every paper in it
(90–575 ms at a million papers). Their counts are stored in the same table, keyed by the
phrase's tsquery text (`'fine' <-> 'tune'`), when first counted, so the whole site counts a
phrase once per refresh rather than each web process every ten minutes. (On SQLite a phrase of
common words is estimated from a sample, keyword.py, and not stored.)
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from dailypapers.search.models import TermStatistic

# SQLite keeps the stems in at least this many papers: counting a rarer one reads under 500 postings
# (about 0.05 ms), no more than looking it up. At 75k papers: 3,835 of 187,231 stems, 0.5 s to refresh;
# at a million, 19,724 stems in 9.4 s.
SQLITE_STORED_FROM = 150
# The keyword index's tokenizer (search_paper_fts, migration 0001); the stemmer must be the same
# (a test compares them).
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"


def fts_vocabulary(cursor) -> str:
    """The name of FTS5's vocabulary of search_paper_fts, (term, doc, cnt) a stem, made for this
    connection when first asked for: a temporary fts5vocab table (SQLite)."""
    cursor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_paper_vocab USING fts5vocab(main, 'search_paper_fts', 'row')"
    )
    return "temp.search_paper_vocab"


def refresh_term_statistics() -> int:
    """Recount every stem's papers (on SQLite, those in at least SQLITE_STORED_FROM). Readers see
    the old counts until the new ones commit. Returns the number of stems stored.

    On PostgreSQL every row is replaced, so the table is vacuumed and analysed at once (outside a
    caller's transaction, where PostgreSQL cannot): left to autovacuum, the 340,000 dead rows of a
    75k-paper catalogue were vacuumed a minute later, on the cores searches were using."""
    if connection.vendor != "postgresql":
        # Read before writing: SQLite has one writer, and reading the vocabulary takes seconds at a
        # million papers; the write holds the lock for the few thousand rows only.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT term, doc FROM {fts_vocabulary(cursor)} WHERE doc >= %s", [SQLITE_STORED_FROM])
            rows = cursor.fetchall()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TermStatistic._meta.db_table}")
            cursor.executemany(f"INSERT INTO {TermStatistic._meta.db_table} (lexeme, papers) VALUES (%s, %s)", rows)
        return len(rows)
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
    """stored_frequency of several units in one query: {unit: papers} for those the table answers
    (on SQLite only words: a unit FTS5 makes one stem of)."""
    if not units:
        return {}
    if connection.vendor != "postgresql":
        return _sqlite_stored_frequencies(list(units))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.unit, t.papers FROM unnest(%s::text[]) AS u(unit) "
            f"JOIN {TermStatistic._meta.db_table} t ON t.lexeme = {_KEY.format(unit='u.unit')}",
            [list(units)],
        )
        return dict(cursor.fetchall())


# FTS5 with the keyword index's tokenizer, and its vocabulary by position: a query's words are
# written to it as rows to read their stems back (about 0.2 ms for a query's words).
STEMMER = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_stemmer USING fts5(word, tokenize='{FTS_TOKENIZER}')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_stemmer_terms USING fts5vocab(temp, 'search_stemmer', 'instance')",
)


def _sqlite_stored_frequencies(units: list[str]) -> dict[str, int]:
    units = [unit for unit in units if len(unit.split()) == 1]  # a phrase is never one stem
    if not units:
        return {}
    with connection.cursor() as cursor:
        for statement in STEMMER:
            cursor.execute(statement)
        cursor.execute("DELETE FROM temp.search_stemmer")
        cursor.executemany("INSERT INTO temp.search_stemmer (rowid, word) VALUES (%s, %s)", list(enumerate(units)))
        cursor.execute(
            f"SELECT s.doc, MIN(t.papers) FROM temp.search_stemmer_terms s "
            f"LEFT JOIN {TermStatistic._meta.db_table} t ON t.lexeme = s.term "
            "GROUP BY s.doc HAVING COUNT(*) = 1 AND COUNT(t.papers) = 1"
        )
        return {units[row]: papers for row, papers in cursor.fetchall()}


def store_frequency(unit: str, papers: int) -> None:
    """Remember a counted phrase's papers for every process, until the next refresh."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TermStatistic._meta.db_table} (lexeme, papers) "
            f"SELECT key, %s FROM (SELECT {_KEY.format(unit='%s')} AS key) k WHERE key <> '' "
            "ON CONFLICT (lexeme) DO UPDATE SET papers = EXCLUDED.papers",
            [papers, unit, unit, unit],
        )
