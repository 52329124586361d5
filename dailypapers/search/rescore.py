"""Keyword rescoring: the database finds candidates, this module ranks them, the same way on
SQLite and PostgreSQL.

FTS5's bm25() and PostgreSQL's ts_rank rank Porter stems, so "continual" counted the title
"CANVAS: Continuity-Aware …" as a full match and "experience" matched 35.7 % of the arXiv
corpus (the stem of "experiments"; 2.3 % of papers contain the word). Here each candidate is
scored by BM25F over word forms (wordforms.word_form): the typed word counts fully, a word
sharing only its stem counts STEM_ONLY_WEIGHT; title words count TITLE_WEIGHT times; two query
words next to each other in the paper, in the query's order, add PAIR_WEIGHT of the rarer
one's idf, so "language model" as a phrase outweighs "language" and "model" scattered (half
that when a word beside the other only shares a query word's stem: "continual learning" for
"continuous learning").
Document frequencies come from the index (cached in keyword.py), so rare words carry a query.
One scorer for both databases is also what gives PostgreSQL BM25's ranking.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.db import connection

from dailypapers.catalog.models import Paper
from dailypapers.search.wordforms import match_prefix, word_finder, word_form, words_starting

# BM25's usual constants (Robertson & Zaragoza 2009; Lucene's defaults).
K1 = 1.2
B = 0.75
# A title word counts three abstract words, as in the FTS5 ranking (keyword.FTS_WEIGHTS,
# chosen on SciFact's tuning half).
TITLE_WEIGHT = 3.0
AUTHORS_WEIGHT = 1.0
# What a word sharing only the stem of a query word counts ("continuity" for "continual").
# Hybrid nDCG@10 on SciFact's even-indexed (tuning) claims: 0.668 at 0.25, 0.674 at 0.6,
# 0.673 at 1.0; at 0.6 "CANVAS: Continuity-Aware …" ranked second again for "continual
# learning for LLM agents" (tests/search/test_quality.py), at 0.5 it does not.
STEM_ONLY_WEIGHT = 0.5
# Bonus for two query words side by side in the paper, times the rarer word's idf. SciFact
# tuning half, hybrid: 0.664 without, 0.676 at 0.6, 0.679 at 1.2.
PAIR_WEIGHT = 1.2
# Shortest prefix two words must share to count as one stem when their forms differ
# (Porter's stems are rarely shorter: "contin", "experi", "genera").
STEM_PREFIX = 5
AVERAGE_SAMPLE = 2000
AVERAGE_SECONDS = 600.0
_WORD = re.compile(r"\w+", re.UNICODE)
_averages: dict[str, tuple[float, tuple[float, float, float]]] = {}


def _forms(text: str) -> list[str]:
    return [word_form(w) for w in _WORD.findall(text.casefold())]


# ASCII characters that are not word characters, as spaces: split() then counts what `\w+`
# finds, 2.4 times as fast (the same count on 295 of 300 arXiv abstracts; the others differ by
# a non-ASCII dash or quote). Splitting on spaces alone counted hyphenated words once and lost
# SciFact 0.0035 of hybrid nDCG@10.
_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})
# The same table for bytes: an ASCII text's bytes are translated and split faster than its
# characters (96 % of the bench's candidate fields; rescoring's lengths 3.7 → 2.7 ms a query).
_NOT_WORD_BYTES = bytes(32 if c < 128 and not (chr(c).isalnum() or c == 95) else c for c in range(256))


def _length(text: str) -> int:
    """A field's length in words for BM25's normalisation (counting them with a regular
    expression was a fifth of a keyword query's rescoring)."""
    if text.isascii():
        return len(text.encode("ascii").translate(_NOT_WORD_BYTES).split())
    return len(text.translate(_NOT_WORD).split())


@dataclass
class Unit:
    """A query word, or a hyphenated or quoted phrase, as a sequence of word forms."""

    text: str
    forms: tuple[str, ...]
    idf: float

    @cached_property
    def stem_prefix(self) -> str | None:
        if len(self.forms) != 1 or len(self.forms[0]) < STEM_PREFIX + 1:
            return None
        return self.forms[0][: max(STEM_PREFIX, len(self.forms[0]) - 3)]


def _average_lengths() -> tuple[float, float, float]:
    """Average title, authors and abstract lengths in words, from the newest papers."""
    key = str(connection.settings_dict.get("NAME"))
    cached = _averages.get(key)
    if cached and time.monotonic() - cached[0] < AVERAGE_SECONDS:
        return cached[1]
    rows = list(Paper.objects.order_by("-id").values_list("title", "authors_text", "abstract")[:AVERAGE_SAMPLE])
    if not rows:
        return (10.0, 10.0, 150.0)
    lengths = tuple(max(1.0, sum(_length(row[i]) for row in rows) / len(rows)) for i in range(3))
    _averages[key] = (time.monotonic(), lengths)
    return lengths


def _finder(query_units: list[Unit]):
    """What finds, in casefolded text, every word that may count for a unit (wordforms.word_finder):
    words starting with a unit's stem prefix, or with the prefix all inflections of its form share
    (wordforms.match_prefix). Only these words are turned into forms; the rest of an abstract is
    counted, never looked at word by word (that was 80 % of a keyword query's time)."""
    prefixes = set()
    for unit in query_units:
        if unit.stem_prefix:
            prefixes.add(unit.stem_prefix)
        else:
            prefixes.update(match_prefix(form) for form in unit.forms)
        if len(unit.forms) > 1:
            prefixes.add(match_prefix("".join(unit.forms)))
    return word_finder(prefixes)  # a form of one or two letters whole


class _Field:
    """One casefolded field of a candidate: its length in words, the words its finder (_finder) finds as
    [(form, start, end)] in order, and how often each form occurs."""

    __slots__ = ("text", "length", "hits", "counts")

    def __init__(self, text: str, finder):
        self.text = text
        self.length = _length(text)
        self.hits = [(word_form(word), start, end) for word, start, end in words_starting(text, finder)]
        self.counts: dict[str, int] = {}
        for form, _, _ in self.hits:  # a few words: a loop costs less than making a Counter
            self.counts[form] = self.counts.get(form, 0) + 1


def _next_to(text: str, first: tuple[str, int, int], second: tuple[str, int, int]) -> bool:
    """Two found words are neighbours in the field's word sequence: nothing but non-word
    characters between them."""
    return _WORD.search(text, first[2], second[1]) is None


def _count(unit: Unit, field: _Field) -> tuple[int, int]:
    """(exact occurrences, stem-only occurrences) of the unit among a field's found words."""
    hits = field.hits
    if len(unit.forms) > 1:  # a phrase, or a hyphenated unit also written joined ("multiagent")
        n, joined = len(unit.forms), "".join(unit.forms)
        exact = field.counts.get(joined, 0)
        if not all(form in field.counts for form in unit.forms):
            return exact, 0
        for i in range(len(hits) - n + 1):
            if all(hits[i + k][0] == unit.forms[k] for k in range(n)) and all(
                _next_to(field.text, hits[i + k], hits[i + k + 1]) for k in range(n - 1)
            ):
                exact += 1
        return exact, 0
    form, prefix = unit.forms[0], unit.stem_prefix
    exact = field.counts.get(form, 0)
    stem = sum(n for found, n in field.counts.items() if found != form and found.startswith(prefix)) if prefix else 0
    return exact, stem


class _UnitCounter:
    """Each unit's (exact, stem-only) occurrences in a field, as _count gives them, from the
    field's distinct forms: which units a form counts for is worked out once per query (forms
    recur across candidates), not once per unit and field (a third of rescoring's time)."""

    def __init__(self, query_units: list[Unit]):
        self.phrases = [(i, unit) for i, unit in enumerate(query_units) if len(unit.forms) > 1]
        self.words = [
            (i, unit.forms[0], unit.stem_prefix) for i, unit in enumerate(query_units) if len(unit.forms) == 1
        ]
        self._of_form: dict[str, list[tuple[int, bool]]] = {}
        self._ends: dict[str, list[tuple[int, bool]]] = {}
        self._starts: dict[str, list[tuple[int, bool]]] = {}
        self._pairs: dict[tuple[str, str], list[tuple[int, float]]] = {}

    def _units_of(self, form: str) -> list[tuple[int, bool]]:
        """(unit index, whether exact) for each single-word unit the form counts for."""
        found = self._of_form.get(form)
        if found is None:
            found = [
                (i, form == unit_form)
                for i, unit_form, prefix in self.words
                if form == unit_form or (prefix and form.startswith(prefix))
            ]
            self._of_form[form] = found
        return found

    def _side_of(self, form: str, *, end: bool) -> list[tuple[int, bool]]:
        """(unit index, whether exact) for each unit the form can end (`end`) or start in a pair:
        a single word it counts for (exact or by stem), a phrase whose last or first form it is."""
        cache = self._ends if end else self._starts
        found = cache.get(form)
        if found is None:
            found = list(self._units_of(form))
            found += [(i, True) for i, unit in self.phrases if (unit.forms[-1] if end else unit.forms[0]) == form]
            cache[form] = found
        return found

    def pairs(self, field: _Field) -> dict[int, float]:
        """i → how units i and i + 1 stand side by side in the field, in the query's order: 1 through
        their own forms; STEM_ONLY_WEIGHT only through words sharing their stems ("continual
        learning" for the typo "continous learning", corrected to "continuous"). Found from
        the field's neighbouring hits, not per pair of units (that cost a long query 10 ms);
        what two neighbouring forms can pair is worked out once per query (forms recur)."""
        weights: dict[int, float] = {}
        for first, second in zip(field.hits, field.hits[1:], strict=False):
            key = (first[0], second[0])
            pairs = self._pairs.get(key)
            if pairs is None:
                starts = dict(self._side_of(second[0], end=False))
                pairs = self._pairs[key] = [
                    (i, 1.0 if exact and starts[i + 1] else STEM_ONLY_WEIGHT)
                    for i, exact in self._side_of(first[0], end=True)
                    if i + 1 in starts
                ]
            if pairs and _next_to(field.text, first, second):
                for i, weight in pairs:
                    if weight > weights.get(i, 0.0):
                        weights[i] = weight
        return weights

    def counts(self, field: _Field) -> dict[int, tuple[int, int] | list[int]]:
        """unit index → (exact, stem-only) occurrences, for the units the field holds."""
        result: dict = {}
        for form, n in field.counts.items():
            for i, is_exact in self._units_of(form):
                found = result.get(i)
                if found is None:
                    found = result[i] = [0, 0]
                found[0 if is_exact else 1] += n
        for i, unit in self.phrases:
            occurrences = _count(unit, field)
            if occurrences[0]:
                result[i] = occurrences
        return result


def units(texts: list[str], document_frequency, papers: int, *, unweighted: set[str] = frozenset()) -> list[Unit]:
    """Units of a query with BM25's idf from the index's document frequencies; those in
    `unweighted` (words the index holds no entry for, keyword.unindexed) weigh nothing but still
    count towards the share of query words a paper holds."""
    made = []
    for text in texts:
        forms = tuple(_forms(text))
        if not forms:
            continue
        if text in unweighted:
            made.append(Unit(text, forms, 0.0))
            continue
        frequency = document_frequency(text)
        made.append(Unit(text, forms, math.log(1 + (papers - frequency + 0.5) / (frequency + 0.5))))
    return made


class Rescored(NamedTuple):
    ranked: list[tuple[int, float]]  # (paper id, score), best first
    title_complete: set[int]  # papers whose title holds every unit
    shares: dict[int, float]  # paper id → share of units whose exact forms it holds (see forms_present)
    titles: dict[int, str]  # paper id → title, of every candidate


def rescore(rows: list[tuple], query_units: list[Unit]) -> Rescored:
    """The candidates, (id, title, authors_text, abstract) each, ranked by BM25F over word forms."""
    titles = {row[0]: row[1] for row in rows}
    if not rows or not query_units:
        return Rescored([(pid, 0.0) for pid in titles], set(), {}, titles)
    avg_title, avg_authors, avg_abstract = _average_lengths()
    avg_length = TITLE_WEIGHT * avg_title + AUTHORS_WEIGHT * avg_authors + avg_abstract
    finder = _finder(query_units)
    weights = (TITLE_WEIGHT, AUTHORS_WEIGHT, 1.0)
    counter = _UnitCounter(query_units)
    scored, title_complete, shares = [], set(), {}
    for pid, *texts in rows:
        fields = [_Field(text.casefold(), finder) for text in texts]
        length = sum(weight * field.length for field, weight in zip(fields, weights, strict=True))
        norm = K1 * (1 - B + B * length / avg_length)
        tf = [0.0] * len(query_units)
        found = [False] * len(query_units)
        in_title = 0
        for index, (field, weight) in enumerate(zip(fields, weights, strict=True)):
            if not field.hits:
                continue
            for unit_index, (exact, stem) in counter.counts(field).items():
                tf[unit_index] += weight * (exact + STEM_ONLY_WEIGHT * stem)
                if exact:
                    found[unit_index] = True
                    in_title += index == 0
        score = sum(unit.idf * t / (t + norm) for unit, t in zip(query_units, tf, strict=True) if t)
        if len(query_units) > 1:
            side_by_side = counter.pairs(fields[0]) if fields[0].hits else {}
            if fields[2].hits:
                for i, weight in counter.pairs(fields[2]).items():
                    side_by_side[i] = max(side_by_side.get(i, 0.0), weight)
            for i, weight in side_by_side.items():
                score += weight * PAIR_WEIGHT * min(query_units[i].idf, query_units[i + 1].idf)
        if in_title == len(query_units):
            title_complete.add(pid)
        shares[pid] = sum(found) / len(query_units)
        scored.append((pid, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return Rescored(scored, title_complete, shares, titles)


class WordsPresent:
    """The share of a query's units (words, hyphenated units, phrases) whose exact forms a
    document holds: what "matches words" means on a result. Built once per query."""

    def __init__(self, texts: list[str]):
        self.units = [unit for unit in (Unit(text, tuple(_forms(text)), 0.0) for text in texts) if unit.forms]
        self.finder = _finder(self.units) if self.units else None

    def __call__(self, document: str) -> float:
        if not self.units:
            return 0.0
        field = _Field(document.casefold(), self.finder)
        return sum(_count(unit, field)[0] > 0 for unit in self.units) / len(self.units)


def forms_present(texts: list[str], document: str) -> float:
    """WordsPresent(texts)(document), for one document."""
    return WordsPresent(texts)(document)
