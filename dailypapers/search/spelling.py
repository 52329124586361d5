"""Spelling: joined words split ("overoptimization" → over-optimization) and typos corrected
("lerning" → learning) from the keyword index's own vocabulary.

A lower-case word (a capital first letter allowed) is looked at only when no paper has it: it
is then replaced by the hyphenated unit of two words the index knows, when papers write it that way
(a unit matches both spellings, keyword.py), or by the closest word of the vocabulary (at
most MAX_EDITS edits, same first two letters) that at least MIN_GAIN times as many papers
contain. The vocabulary is the index's: FTS5's fts5vocab over search_paper_fts, or
PostgreSQL's term statistics (lexemes of titles, authors and abstracts, term_statistics.py).
Both hold stems, so the word shown is the closest real word in papers with that stem.

A word that few papers hold (at most RARE_SHARE of them, counting its stem) is corrected too,
to the closest word one edit away that COMMONER times as many papers hold: "transfomer" (its
stem "transfom" is in 4 of 74,728 papers) → "transformer" (thousands). Only lower-case words: the
closest common word to a rare name is noise ("Nakov" became "nano"). A word whose stem more
papers hold is judged by its own spelling when that stem is in few papers (SPELLING_COUNT_BELOW):
"continous" is Porter's "contin", which 55 papers of 74,728 hold for "continent", and
"continous lerning" ranked "Scaling Image Geo-Localization to Continent Level" first; no paper
writes "continous", so it becomes "continuous" ("continu", as "continual"). A correction must be
a stem the typed word's is not: "reinforcment" is "reinforc", as "reinforcement", so the index
finds those papers already and the rescorer counts them as sharing its stem. On the researcher
benchmark "continous lerning" falls from 0.70 to 0.46 (its judge meant continual learning; the
6,926-paper sample has hardly any "continent" papers), the price of the 75k result.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

import numpy as np
from django.db import connection
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from dailypapers.search import term_statistics
from dailypapers.search.keyword import document_frequency, prefetch_frequencies, unindexed
from dailypapers.search.models import TermStatistic
from dailypapers.search.query import STOPWORDS, ParsedQuery
from dailypapers.search.term_statistics import fts_vocabulary

# A correction must be in at least this many papers: "lerning" → "learning" (2,122 of 6,926),
# never towards a word as rare as a typo.
MIN_PAPERS_FOR_CORRECTION = 3
MIN_PART = 3  # shortest part of a split word ("over" + "optimization", not "o" + "ver…")
MAX_EDITS = 2
SURFACE_TRIES = 3
# Corrections help a short query, where every word carries it ("continous lerning"). In a long
# one the other words carry it, and the closest vocabulary word to a term the catalogue lacks is
# another word (SciFact's "Bacillus subtilis" became "back suites" over arXiv papers); each
# unknown word also cost a count per way of splitting it, 40 ms at a million papers.
MAX_WORDS_TO_RESPELL = 6
RARE_SHARE = 1 / 10_000
COMMONER = 100
# A word whose stem more papers hold is judged by its own spelling when the stem is in at most
# this many papers (their titles and abstracts are read: about 2 ms for 55 at 75k papers).
SPELLING_COUNT_BELOW = 500
SURFACE_SAMPLE = 30
CLOSEST_SECONDS = 600.0
_closest_cache: dict[tuple[str, str, int], tuple[float, str | None]] = {}
_spelled_cache: dict[tuple[str, str], tuple[float, int]] = {}
# The correctable stems of a two-letter prefix (stems, paper counts, lengths), per database.
_stems_cache: dict[tuple[str, str, bool], tuple[float, tuple[list[str], np.ndarray, np.ndarray]]] = {}


def _remembered(cache: dict, key: tuple, compute, *, most: int):
    """compute(), remembered in `cache` under the database's name and `key` for CLOSEST_SECONDS
    (the cache is emptied when it holds more than `most`)."""
    key = (str(connection.settings_dict.get("NAME")), *key)
    cached = cache.get(key)
    if cached and time.monotonic() - cached[0] < CLOSEST_SECONDS:
        return cached[1]
    found = compute()
    if len(cache) > most:
        cache.clear()
    cache[key] = (time.monotonic(), found)
    return found


def edit_distance(a: str, b: str, limit: int = MAX_EDITS) -> int:
    """Levenshtein distance, or limit + 1 once it exceeds `limit`."""
    return Levenshtein.distance(a, b, score_cutoff=limit)


def _vocabulary(prefix: str, *, common: bool = False) -> list[tuple[str, int]]:
    """(stem, papers) of the index's terms starting with `prefix`: PostgreSQL's term statistics
    (term_statistics.py; empty until the worker's first refresh, and then no word is corrected),
    or FTS5's own vocabulary. On SQLite, `common` (only stems in at least SQLITE_STORED_FROM papers
    are wanted) reads the term statistics too, once refreshed: fts5vocab counts every stem's papers
    from its postings, 20-40 ms for a prefix like "in" or "li" at 75k papers, the slowest part of
    a first-time search with a rare word."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    table = TermStatistic._meta.db_table
    with connection.cursor() as cursor:
        if common:  # SQLite only (_correctable_stems)
            cursor.execute(f"SELECT {term_statistics.REFRESHED}")
            common = bool(cursor.fetchone()[0])
        if connection.vendor == "postgresql" or common:
            cursor.execute(
                f"SELECT lexeme, papers FROM {table} WHERE lexeme >= %s AND lexeme < %s ORDER BY lexeme",
                [prefix, upper],
            )
            return cursor.fetchall()
        vocabulary = fts_vocabulary(cursor)  # every stem, also those the term statistics leave out
        cursor.execute(f"SELECT term, doc FROM {vocabulary} WHERE term >= %s AND term < %s", [prefix, upper])
        return cursor.fetchall()


def _texts_holding(word: str, limit: int | None = None) -> list[str]:
    """Title and abstract, casefolded, of the papers the keyword index finds for `word` (its
    stem), at most `limit` of them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = (
                "SELECT p.title || ' ' || p.abstract FROM search_paperdocument d "
                "JOIN catalog_paper p ON p.id = d.paper_id WHERE d.document @@ plainto_tsquery('english', %s)"
            )
            params = [word]
        else:
            sql = (
                "SELECT p.title || ' ' || p.abstract FROM search_paper_fts f JOIN catalog_paper p ON p.id = f.rowid "
                "WHERE search_paper_fts MATCH %s"
            )
            params = ['"' + word.replace('"', "") + '"']
        if limit is not None:
            sql, params = f"{sql} LIMIT %s", [*params, limit]
        cursor.execute(sql, params)
        return [(text or "").casefold() for (text,) in cursor.fetchall()]


def _surface_word(stem: str, typed: str) -> str:
    """The real word closest to what was typed among words of papers holding `stem`."""
    words: dict[str, int] = {}
    starting = re.compile(r"(?<!\w)" + re.escape(stem[: max(3, len(stem) - 1)]) + r"\w*")
    for text in _texts_holding(stem, SURFACE_SAMPLE):
        for word in starting.findall(text):
            words[word] = words.get(word, 0) + 1
    if not words:
        return stem
    return min(words, key=lambda w: (edit_distance(w, typed, limit=len(typed)), -words[w]))


def _split(word: str, frequency: int) -> str | None:
    """The two words papers write side by side for `word`, most often. The parts' counts are looked
    up at once, and a cut is counted only when its rarer part could beat the best so far (a phrase
    is in no more papers than its rarer word): "transnitrosylates" cost 24 counts and 22 ms, each
    part of each cut looked up on its own."""
    cuts = [(word[:cut], word[cut:]) for cut in range(MIN_PART, len(word) - MIN_PART + 1)]
    parts_of_cuts = [part for cut in cuts for part in cut]
    prefetch_frequencies(parts_of_cuts)
    dropped = unindexed(parts_of_cuts)  # PostgreSQL's stopwords among them, asked once
    best, best_count = None, frequency
    for parts in cuts:
        if _most_papers(parts, dropped) <= best_count:
            continue
        unit = " ".join(parts)
        # Papers holding the two words side by side (PostgreSQL leaves out a stopword part:
        # "over optimization" counts papers with "optimization").
        count = document_frequency(unit)
        if count > best_count:
            best, best_count = unit, count
    return best


def _most_papers(parts: tuple[str, ...], dropped: set[str]) -> int:
    """The most papers a phrase of these words can be in: its rarest word's. PostgreSQL indexes no
    stopwords (`dropped`, keyword.unindexed), so there a stopword is in no paper and only the other
    words bound the phrase; any other word in no paper puts the phrase in none ("dexameth" +
    "asone" is not counted)."""
    return min([document_frequency(part) for part in parts if part not in dropped] or [0])


def _closest(word: str, min_papers: int = MIN_PAPERS_FOR_CORRECTION) -> str | None:
    """The closest vocabulary word, remembered per database for CLOSEST_SECONDS: comparing a word
    with every term of its first two letters took 200 ms of CPU at 75k papers (SciFact's
    "colchicine", "goitre"), the slowest keyword queries there."""
    return _remembered(_closest_cache, (word, min_papers), lambda: _closest_uncached(word, min_papers), most=10_000)


def _correctable_stems(prefix: str, min_papers: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(stems, paper counts, lengths) of the vocabulary's terms starting with `prefix` that a
    correction may become, in vocabulary order (all of them, or, when `min_papers` is at least
    SQLITE_STORED_FROM, those the term statistics hold); remembered per database for
    CLOSEST_SECONDS."""
    # PostgreSQL reads the term statistics either way: one entry per prefix there.
    common = connection.vendor != "postgresql" and min_papers >= term_statistics.SQLITE_STORED_FROM

    def read() -> tuple[list[str], np.ndarray, np.ndarray]:
        rows = [
            (stem, n)
            for stem, n in _vocabulary(prefix, common=common)
            if n >= MIN_PAPERS_FOR_CORRECTION and len(stem) >= 3
        ]
        stems = [stem for stem, _ in rows]
        counts = np.array([c for _, c in rows], dtype=np.int64)
        return stems, counts, np.array([len(x) for x in stems], dtype=np.int64)

    return _remembered(_stems_cache, (prefix, common), read, most=2_000)


def _closest_uncached(word: str, min_papers: int = MIN_PAPERS_FOR_CORRECTION) -> str | None:
    """The stem at the fewest edits (then in the most papers) from the typed word cut near the
    stem's length: a stem is a prefix of its words ("learn" for "lerning" cut to "lern"). All
    distances come from one rapidfuzz matrix (cuts × stems), computed in C++: in Python, one
    dynamic-programming table per stem took about 10 ms a word at 75k papers."""
    if len(word) < 4:
        return None
    stems, counts, lengths = _correctable_stems(word[:2], min_papers)
    # A stem longer than the word by over MAX_EDITS, or shorter by over 4, is never chosen.
    near = np.flatnonzero((lengths - len(word) >= -4) & (lengths - len(word) <= MAX_EDITS) & (counts >= min_papers))
    if not len(near):
        return None
    cuts = np.arange(1, len(word) + 1)
    distances = process.cdist(
        [word[:cut] for cut in cuts],
        [stems[i] for i in near],
        scorer=Levenshtein.distance,
        score_cutoff=MAX_EDITS,
        dtype=np.int32,
    )
    # The cuts compared with a stem of length L: L - 1 to L + 2 letters (at most the whole word).
    low, high = np.maximum(1, lengths[near] - 1), np.minimum(len(word), lengths[near] + 2)
    usable = (cuts[:, None] >= low[None, :]) & (cuts[:, None] <= high[None, :])
    distance = np.where(usable, distances, MAX_EDITS + 1).min(axis=0)
    close = np.flatnonzero(distance <= MAX_EDITS)
    if not len(close):
        return None
    # Fewest edits, then most papers, then the first in vocabulary order. The stem matched the
    # typed word's beginning; the word shown must be close to all of it ("sourdough" began like
    # "sourc" and became "source"; "lerning" began like "ler", a stem in a few papers, before
    # "learn"), so the next stems are tried, SURFACE_TRIES in all.
    for best in close[np.lexsort((close, -counts[near[close]], distance[close]))][:SURFACE_TRIES]:
        shown = _surface_word(stems[near[best]], word)
        if edit_distance(shown, word) <= MAX_EDITS:
            return shown
    return None


def _better_spelling(word: str) -> str | None:
    """The split or the correction of an unknown word, whichever more papers write: one paper's
    "ler ning" (a line-break artefact) had made "lerning" "ler-ning" instead of "learning"."""
    split, closest = _split(word, 0), _closest(word)
    if split and closest:
        return split if document_frequency(split) >= document_frequency(closest) else closest
    return split or closest


def _correctable(word: str) -> bool:
    """A lower-case word (a capital first letter allowed) of letters, not a stopword.
    Acronyms and names ("ComYMV", "PtdIns") are left alone: capitals inside a word are typed on
    purpose, and the closest vocabulary term to an acronym is noise. A stopword is never
    "unknown": PostgreSQL indexes none, so "with" had no papers there and became "width" (and
    "there", "above", "very", stopwords of PostgreSQL's own list: respell asks keyword.unindexed)."""
    return (
        " " not in word
        and word.casefold() not in STOPWORDS
        and word.isalpha()
        and len(word) >= 4
        and word[1:].islower()
    )


def _commoner_spelling(word: str, papers: int, *, stem_papers: int) -> str | None:
    """The correction of a word few papers hold (`papers`), if COMMONER times as many hold it.
    Its own stem (in `stem_papers`) is no correction: only stems in more papers are tried, so a
    typo the index already finds by its stem ("reinforcment", "reinforc") is left to the
    rescorer, and one it does not ("continous", Porter's "contin" of "continent") is corrected."""
    wanted = max(COMMONER * max(papers, 1), stem_papers + 1)
    closest = _closest(word, min_papers=wanted)
    if not closest or closest == word or edit_distance(closest, word, limit=1) > 1:
        return None
    return closest if document_frequency(closest) >= wanted else None


def _papers_spelling(word: str, stem_papers: int) -> int | None:
    """Papers holding the word as typed, not only its stem, counted among the papers holding the
    stem when they are at most SPELLING_COUNT_BELOW (else None: too many to read); remembered
    for CLOSEST_SECONDS. The keyword index knows stems only: "continous" is Porter's "contin",
    in 55 of 74,728 papers for "continent", not a rare word by its stem."""
    if stem_papers > SPELLING_COUNT_BELOW:
        return None
    whole = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
    # The substring test first: the expression alone took 9 ms over the 322 abstracts holding
    # "physiolog", most of which never write "physiologically".
    return _remembered(
        _spelled_cache,
        (word,),
        lambda: sum(1 for text in _texts_holding(word) if word in text and whole.search(text)),
        most=10_000,
    )


def respell(parsed: ParsedQuery) -> tuple[ParsedQuery, str | None]:
    """The query with its unknown words split or corrected, and the corrected text (None if
    unchanged). A query of more than MAX_WORDS_TO_RESPELL words is left as typed."""
    if len(parsed.words) > MAX_WORDS_TO_RESPELL:
        return parsed, None
    dropped = unindexed(parsed.words)  # PostgreSQL's stopwords: in no paper by its count, yet no typo
    prefetch_frequencies([word for word in parsed.words if word not in dropped])  # one lookup, not one a word
    rare = max(document_frequency(""), 1) * RARE_SHARE
    changed, words = False, []
    for word in parsed.words:
        better = None
        if _correctable(word) and word not in dropped:
            folded, papers = word.casefold(), document_frequency(word)
            if papers == 0:
                better = _better_spelling(folded)
            elif word.islower():
                spelled = papers if papers <= rare else _papers_spelling(folded, papers)
                if spelled is not None and spelled <= rare:
                    better = _commoner_spelling(folded, spelled, stem_papers=papers)
        if better and better != word.casefold():
            words.append(better)
            changed = True
        else:
            words.append(word)
    if not changed:
        return parsed, None
    shown = " ".join([f'"{phrase}"' for phrase in parsed.phrases] + [w.replace(" ", "-") for w in words])
    return replace(parsed, words=words), shown
