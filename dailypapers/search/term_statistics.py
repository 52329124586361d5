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
keeps) is counted as before on PostgreSQL, and on SQLite read from FTS5's vocabulary in the same
statement. Counts go stale by the papers added since the refresh: an idf moves by log(1 + new/old),
far less than the ranking notices.

- PostgreSQL: every lexeme's paper count from `ts_stat` over the stored tsvectors, keyed by the
  lexeme (its `english` stem).
- SQLite: the stems of FTS5's own vocabulary (fts5vocab) in at least SQLITE_STORED_FROM papers,
  keyed by FTS5's Porter stem; a rarer one's count is read from the vocabulary itself, in the
  same statement (its few postings cost less than storing it). A query word's stem comes from
  FTS5's tokenizer itself (a temporary FTS5 table with the index's tokenizer, STEMMER below), so
  a stem never differs from the index's.

Hyphenated units and phrases ("fine-tuned", "multi-agent") have no statistics in PostgreSQL:
counting one is a GIN intersection of its words' postings and a check of every paper in it
(90–575 ms at a million papers). Their counts are stored in the same table, keyed by the
phrase's tsquery text (`'fine' <-> 'tune'`), when first counted, so the whole site counts a
phrase once rather than each web process every ten minutes; the worker's refresh counts the
stored phrases again, so searches after it do not. (On SQLite a phrase of common words is
estimated from a sample, keyword.py, and not stored.)
"""

from __future__ import annotations

import re
import time

from django.db import connection, transaction

from dailypapers.search.models import TermStatistic

# SQLite keeps the stems in at least this many papers: a rarer one's count reads under 300 postings
# (about 0.05 ms), and comes from FTS5's vocabulary in the same statement. At 75k papers: 4,786 of
# 187,231 stems (3,835 at 150, 0.5 s to refresh; at a million, 19,724 stems at 150 in 9.4 s). No
# more than spelling.COMMONER: a rare word's correction looks among the stems in that many papers,
# and reads them here.
SQLITE_STORED_FROM = 100
# The keyword index's tokenizer (search_paper_fts, migration 0001); the stemmer must be the same
# (a test compares them).
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"


# Whether the worker has refreshed the table yet (SQL): until then SQLite answers no word from it,
# nor a correction's candidates (spelling.py), and counts as before.
REFRESHED = f"EXISTS (SELECT 1 FROM {TermStatistic._meta.db_table})"


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
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT lexeme FROM {TermStatistic._meta.db_table} WHERE lexeme LIKE %s ORDER BY papers DESC LIMIT %s",
            [PHRASE_KEY, MAX_RECOUNTED],
        )
        phrases = [unit for (key,) in cursor.fetchall() if (unit := _unit_of(key))]
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
    # Count the phrases searched before the refresh again, as a search would: dropped with the
    # table, each was counted again by the first search holding it after the refresh (up to 7 ms a
    # phrase at 75k papers; 575 ms for "fine-tuned" at a million papers when counted exactly).
    from dailypapers.search import keyword  # keyword.py counts with, and stores into, this table

    keyword.recount(phrases)
    return lexemes


# PostgreSQL: a stored phrase's key is its tsquery's text ('fine' <-> 'tune'); a lexeme never
# starts with a quote. At most MAX_RECOUNTED of them are counted again at a refresh (those in the
# most papers first): the bench's 252 took 1.9 s at 75k papers.
PHRASE_KEY = "'%' <%"  # a LIKE pattern
MAX_RECOUNTED = 5_000


def _unit_of(key: str) -> str:
    """The words of a stored phrase's key, as a query unit: its lexemes in order ("fine tune"),
    whose phraseto_tsquery is the key again; "" for a phrase with a stopword inside
    ('state' <3> 'art'), which no words make again ("state art" is another phrase)."""
    if re.search(r"<\d+>", key):
        return ""
    return " ".join(re.findall(r"'((?:[^']|'')*)'", key)).replace("''", "'")


def refresh_job() -> dict:
    """The worker's job, every six hours (settings.DAILYPAPERS_SCHEDULE)."""
    started = time.monotonic()
    lexemes = refresh_term_statistics()
    return {"lexemes": lexemes, "seconds": round(time.monotonic() - started, 1)}


def stored_frequency(unit: str) -> int | None:
    """The stored paper count of a word or phrase, or None when the table has none (then the
    caller counts, and stores a phrase's count with store_frequency)."""
    return stored_frequencies([unit]).get(unit)


# A unit's key: a one-lexeme word's lexeme (as ts_stat writes it), else its phrase tsquery's text;
# but a unit whose first or last word has no lexeme (a stopword: "few shot", "in context") is keyed
# by the lexeme of its hyphenated spelling, which PostgreSQL indexes as one word besides its parts
# ('few-shot', 'in-context', 'out-of-distribut'): its tsquery drops that word ("few shot" is
# 'shot'), and it had been answered with the count of "shot".
_EDGE_STOPWORD = (
    "(position(' ' in {unit}) > 0 AND (length(to_tsvector('english', split_part({unit}, ' ', 1))) = 0 "
    "OR length(to_tsvector('english', substring({unit} from '[^ ]*$'))) = 0))"
)
_KEY = (
    f"CASE WHEN {_EDGE_STOPWORD} THEN (SELECT l.lexeme FROM unnest(to_tsvector('english', "
    "replace({unit}, ' ', '-'))) AS l WHERE position('-' in l.lexeme) > 0 LIMIT 1) "
    "WHEN cardinality(tsvector_to_array(to_tsvector('english', {unit}))) = 1 "
    "THEN (tsvector_to_array(to_tsvector('english', {unit})))[1] "
    "ELSE phraseto_tsquery('english', {unit})::text END"
)


# PostgreSQL, once refreshed: a one-lexeme unit the table lacks is in no paper, or only in papers
# added since the refresh, so counting it in the same statement reads a few postings at most (the
# GIN index). Looked up one at a time, the parts of the 12 cuts of "transnitrosylates" that
# spelling.py weighs cost a lookup and a count each: that SciFact claim's spelling took 52
# statements and 73-94 ms at 75k papers, now 20 and 23-31 ms.
# How PostgreSQL counts the papers holding a unit, exactly (keyword._count_papers, and here).
PG_COUNT = "SELECT COUNT(*) FROM search_paperdocument WHERE document @@ phraseto_tsquery('english', {unit})"
_MISSING_WORD = (
    f"CASE WHEN {{key}} = '' THEN 0 WHEN {REFRESHED} AND position(' ' in {{unit}}) = 0 "
    "AND cardinality(tsvector_to_array(to_tsvector('english', {unit}))) = 1 "
    f"THEN ({PG_COUNT}) END"
)


def stored_frequencies(units: list[str]) -> dict[str, int]:
    """stored_frequency of several units in one query: {unit: papers} for those the table answers
    (on SQLite only words: a unit FTS5 makes one stem of). On PostgreSQL, once refreshed, every
    word is answered: a word the table lacks is counted in the same statement, and a stopword (no
    lexeme) is in no paper by the index."""
    if not units:
        return {}
    if connection.vendor != "postgresql":
        return _sqlite_stored_frequencies(list(units))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.unit, COALESCE(t.papers, {_MISSING_WORD.format(key='k.key', unit='u.unit')}) "
            f"FROM unnest(%s::text[]) AS u(unit) CROSS JOIN LATERAL (SELECT {_KEY.format(unit='u.unit')} AS key) k "
            f"LEFT JOIN {TermStatistic._meta.db_table} t ON t.lexeme = k.key",
            [list(units)],
        )
        return {unit: papers for unit, papers in cursor.fetchall() if papers is not None}


# FTS5 with the keyword index's tokenizer, and its vocabulary by position: a query's words are
# written to it as rows to read their stems back (about 0.2 ms for a query's words).
STEMMER = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_stemmer USING fts5(word, tokenize='{FTS_TOKENIZER}')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_stemmer_terms USING fts5vocab(temp, 'search_stemmer', 'instance')",
)


def _sqlite_stored_frequencies(units: list[str]) -> dict[str, int]:
    """Once the table has been refreshed, every one-stem unit is answered: from the table, or, for a
    stem too rare to be kept there (or new since the refresh), from FTS5's own vocabulary, whose
    count reads the stem's few postings (a correlated lookup, run only for those). Before the first
    refresh nothing is answered and words are counted as asked (keyword.py), so a common word's
    whole posting list is never read here."""
    units = [unit for unit in units if len(unit.split()) == 1]  # a phrase is never one stem
    if not units:
        return {}
    table = TermStatistic._meta.db_table
    with connection.cursor() as cursor:
        vocabulary = fts_vocabulary(cursor)
        for statement in STEMMER:
            cursor.execute(statement)
        cursor.execute("DELETE FROM temp.search_stemmer")
        cursor.executemany("INSERT INTO temp.search_stemmer (rowid, word) VALUES (%s, %s)", list(enumerate(units)))
        cursor.execute(
            f"SELECT s.doc, COALESCE(t.papers, CASE WHEN {REFRESHED} "
            f"THEN COALESCE((SELECT v.doc FROM {vocabulary} v WHERE v.term = s.term), 0) END) "
            f"FROM temp.search_stemmer_terms s LEFT JOIN {table} t ON t.lexeme = s.term "
            "WHERE s.doc IN (SELECT doc FROM temp.search_stemmer_terms GROUP BY doc HAVING COUNT(*) = 1)"
        )
        return {units[row]: papers for row, papers in cursor.fetchall() if papers is not None}


def store_frequency(unit: str, papers: int) -> None:
    """Remember a counted phrase's papers for every process, until the next refresh."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TermStatistic._meta.db_table} (lexeme, papers) "
            f"SELECT key, %s FROM (SELECT {_KEY.format(unit='%s')} AS key) k WHERE key <> '' "
            "ON CONFLICT (lexeme) DO UPDATE SET papers = EXCLUDED.papers",
            [papers, *[unit] * _KEY.count("{unit}")],
        )
