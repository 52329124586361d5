"""Spelling: joined words split ("overoptimization" → over-optimization) and typos corrected
("lerning" → learning) from the keyword index's own vocabulary.

A lower-case word (a capital first letter allowed) is looked at only when no paper has it: it
is then replaced by the hyphenated unit of two words the index knows, when papers write it that way
(a unit matches both spellings, keyword.py), or by the closest word of the vocabulary (at
most MAX_EDITS edits, same first two letters) that at least MIN_GAIN times as many papers
contain. The vocabulary is the index's: FTS5's fts5vocab over search_paper_fts, or
PostgreSQL's ts_stat over titles (cached per process: it reads every title). Both hold
stems, so the word shown is the closest real word in papers with that stem.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

from django.db import connection

from dailypapers.search.keyword import document_frequency
from dailypapers.search.query import ParsedQuery

# A correction must be in at least this many papers: "lerning" → "learning" (2,122 of 6,926),
# never towards a word as rare as a typo.
MIN_PAPERS_FOR_CORRECTION = 3
MIN_PART = 3  # shortest part of a split word ("over" + "optimization", not "o" + "ver…")
MAX_EDITS = 2
SURFACE_SAMPLE = 30
PG_VOCABULARY_SECONDS = 3600.0
_pg_vocabulary: dict[str, tuple[float, list[tuple[str, int]]]] = {}
CLOSEST_SECONDS = 600.0
_closest_cache: dict[tuple[str, str], tuple[float, str | None]] = {}
_WORD = re.compile(r"\w+", re.UNICODE)


def edit_distance(a: str, b: str, limit: int = MAX_EDITS) -> int:
    """Levenshtein distance, or limit + 1 once it is sure to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def prefix_distances(a: str, b: str, limit: int = MAX_EDITS) -> list[int] | None:
    """Levenshtein distances of `a` to every prefix of `b` (index j: to b[:j]), from one table;
    None once all of them are sure to exceed `limit`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return None
        previous = current
    return previous


def _vocabulary(prefix: str) -> list[tuple[str, int]]:
    """(stem, papers) of the index's terms starting with `prefix`."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            key = str(connection.settings_dict.get("NAME"))
            cached = _pg_vocabulary.get(key)
            if not cached or time.monotonic() - cached[0] > PG_VOCABULARY_SECONDS:
                cursor.execute(
                    "SELECT word, ndoc FROM ts_stat('SELECT to_tsvector(''english'', title) FROM catalog_paper')"
                )
                cached = _pg_vocabulary[key] = (time.monotonic(), sorted(cursor.fetchall()))
            return [(word, count) for word, count in cached[1] if word.startswith(prefix)]
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_paper_vocab "
            "USING fts5vocab(main, 'search_paper_fts', 'row')"
        )
        cursor.execute(
            "SELECT term, doc FROM temp.search_paper_vocab WHERE term >= %s AND term < %s",
            [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)],
        )
        return cursor.fetchall()


def _surface_word(stem: str, typed: str) -> str:
    """The real word closest to what was typed among words of papers holding `stem`."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT p.title || ' ' || p.abstract FROM search_paperdocument d "
                "JOIN catalog_paper p ON p.id = d.paper_id "
                "WHERE d.document @@ plainto_tsquery('english', %s) LIMIT %s",
                [stem, SURFACE_SAMPLE],
            )
        else:
            cursor.execute(
                "SELECT p.title || ' ' || p.abstract FROM search_paper_fts f JOIN catalog_paper p ON p.id = f.rowid "
                "WHERE search_paper_fts MATCH %s LIMIT %s",
                ['"' + stem.replace('"', "") + '"', SURFACE_SAMPLE],
            )
        words: dict[str, int] = {}
        for (text,) in cursor.fetchall():
            for word in _WORD.findall((text or "").casefold()):
                if word.startswith(stem[: max(3, len(stem) - 1)]):
                    words[word] = words.get(word, 0) + 1
    if not words:
        return stem
    return min(words, key=lambda w: (edit_distance(w, typed, limit=len(typed)), -words[w]))


def _split(word: str, frequency: int) -> str | None:
    best, best_count = None, frequency
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        unit = f"{word[:cut]} {word[cut:]}"
        # Papers holding the two words side by side (PostgreSQL leaves out a stopword part:
        # "over optimization" counts papers with "optimization").
        count = document_frequency(unit)
        if count > best_count:
            best, best_count = unit, count
    return best


def _closest(word: str) -> str | None:
    """The closest vocabulary word, remembered per database for CLOSEST_SECONDS: comparing a word
    with every term of its first two letters took 200 ms of CPU at 75k papers (SciFact's
    "colchicine", "goitre"), the slowest keyword queries there."""
    key = (str(connection.settings_dict.get("NAME")), word)
    cached = _closest_cache.get(key)
    if cached and time.monotonic() - cached[0] < CLOSEST_SECONDS:
        return cached[1]
    found = _closest_uncached(word)
    if len(_closest_cache) > 10_000:
        _closest_cache.clear()
    _closest_cache[key] = (time.monotonic(), found)
    return found


def _closest_uncached(word: str) -> str | None:
    if len(word) < 4:
        return None
    best = None
    for stem, count in _vocabulary(word[:2]):
        # A stem longer than the word by over MAX_EDITS, or shorter by over 4, is never chosen
        # (below): skip it before the edit distances, most of the time spent here.
        if count < MIN_PAPERS_FOR_CORRECTION or len(stem) < 3 or not -4 <= len(stem) - len(word) <= MAX_EDITS:
            continue
        # A stem is a prefix of its words: compare it with the typed word cut near its length.
        # One table gives the distances to every cut (four tables per stem were most of a
        # SciFact claim's time at 75k papers).
        longest = min(len(word), len(stem) + 2)
        row = prefix_distances(stem, word[:longest])
        cuts = range(max(1, len(stem) - 1), longest + 1)
        distance = min((row[cut] for cut in cuts), default=MAX_EDITS + 1) if row else MAX_EDITS + 1
        if distance <= MAX_EDITS and len(word) - len(stem) <= 4:
            rank = (distance, -count)
            if best is None or rank < best[0]:
                best = (rank, stem)
    return _surface_word(best[1], word) if best else None


def respell(parsed: ParsedQuery) -> tuple[ParsedQuery, str | None]:
    """The query with its unknown words split or corrected, and the corrected text (None if unchanged)."""
    changed, words = False, []
    for word in parsed.words:
        # Acronyms and names ("ComYMV", "PtdIns") are left alone: capitals inside a word are
        # typed on purpose, and the closest vocabulary term to an acronym is noise.
        unknown = (
            " " not in word
            and word.isalpha()
            and len(word) >= 4
            and word[1:].islower()
            and document_frequency(word) == 0
        )
        better = (_split(word.casefold(), 0) or _closest(word.casefold())) if unknown else None
        if better and better != word.casefold():
            words.append(better)
            changed = True
        else:
            words.append(word)
    if not changed:
        return parsed, None
    shown = " ".join([f'"{phrase}"' for phrase in parsed.phrases] + [w.replace(" ", "-") for w in words])
    return replace(parsed, words=words), shown
