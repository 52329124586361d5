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

On both databases the same job counts the papers writing each word as written (WordSpelling),
which both indexes lack (they count stems): spelling.py needs it to tell "continous" from
"continuous".
"""

from __future__ import annotations

import re
import time
from collections import Counter

from django.db import connection, transaction

from dailypapers.catalog.models import Paper
from dailypapers.search.models import TermStatistic, WordSpelling

# Words of letters only, as spelling.py corrects them; a word of one paper is not kept (most are
# typos or names, and they are most of the vocabulary).
_LETTERS = re.compile(r"[^\W\d_]+")
MIN_PAPERS_KEPT = 2
LONGEST_WORD = 40
SPELLINGS_SECONDS = 600.0
_spellings_present: dict[str, tuple[float, bool]] = {}


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


def refresh_spellings(*, progress=None) -> int:
    """Recount the papers writing each word (both databases), in one pass over titles and
    abstracts. Readers see the old counts until the new ones commit. Returns the words kept."""
    counts: Counter[str] = Counter()
    rows = Paper.objects.order_by().values_list("title", "abstract")
    for done, (title, abstract) in enumerate(rows.iterator(chunk_size=2000), start=1):
        counts.update(set(_LETTERS.findall(f"{title} {abstract}".casefold())))
        if progress and done % 100_000 == 0:
            progress(done)
    kept = [
        WordSpelling(word=word, papers=n)
        for word, n in counts.items()
        if n >= MIN_PAPERS_KEPT and len(word) <= LONGEST_WORD
    ]
    with transaction.atomic():
        WordSpelling.objects.all().delete()
        WordSpelling.objects.bulk_create(kept, batch_size=5000)
    _spellings_present.clear()
    return len(kept)


def spelling_papers(words: list[str]) -> dict[str, int] | None:
    """{word: papers writing it} for the casefolded words (0 for a word of at most one paper),
    or None before the first refresh, when nothing is known."""
    key = str(connection.settings_dict.get("NAME"))
    present = _spellings_present.get(key)
    if present is None or time.monotonic() - present[0] > SPELLINGS_SECONDS:
        present = (time.monotonic(), WordSpelling.objects.exists())
        _spellings_present[key] = present
    if not present[1]:
        return None
    words = [word.casefold() for word in words]
    found = dict(WordSpelling.objects.filter(word__in=words).values_list("word", "papers"))
    return {word: found.get(word, 0) for word in words}


def refresh_job() -> dict:
    """The worker's job, every six hours (settings.DAILYPAPERS_SCHEDULE)."""
    started = time.monotonic()
    lexemes = refresh_term_statistics()
    spellings = refresh_spellings()
    return {"lexemes": lexemes, "spellings": spellings, "seconds": round(time.monotonic() - started, 1)}


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
