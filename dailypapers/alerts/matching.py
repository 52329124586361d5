"""Matching newly embedded papers against every saved search, in one pass per batch.

Runs in the worker job that embeds new papers (jobs.embed_and_match), right after embedding,
so a paper reaches its saved searches within the same job. Per batch of new papers:

- words: an inverted index over the batch's word forms (search.wordforms, the forms the
  search ranks and highlights with) is built once; a saved search's candidates are the
  intersection of its words' postings, confirmed by search.rescore.forms_present, the same
  test that makes a search result "match words". A saved search matches by words when the
  paper holds every one of its (non-stopword) words and phrases: the search's "strong" match.
- meaning: one matrix product of all saved searches' query vectors (embedded once, kept on
  the row) against the batch's stored paper vectors; a paper at or above the search's
  STRONG_SIMILARITY (0.45, what the search page calls a strong match) is close in meaning.
  Not the search's SIMILARITY_FLOOR (0.30): that floor only trims a ranked page, while an
  alert delivers every paper over it. bench/freshness.py, 2,000 saved searches made of real
  title words × 200 new papers: 11,453 meaning-only matches at 0.30 (a median saved search
  got 5 papers of 200, p90 37), 1,528 at 0.40, 443 at 0.45, 111 at 0.50.
- filters (category, dates, code, author:, cat:, -exclusions) are checked on the papers in
  hand with search.filters.paper_passes, the predicate twin of the search's queryset filters.

Mode: "keyword" needs words, "meaning" needs meaning, "hybrid" either; a search of only
filters (author:Hinton, cat:cs.CL) matches every new paper they let through. Cost grows with
saved searches × words + one product, never with a query per saved search per paper.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from dailypapers.alerts.models import MatchCursor, SavedSearch, SavedSearchMatch, Webhook, WebhookDelivery
from dailypapers.catalog import clock
from dailypapers.catalog.models import Paper
from dailypapers.search import embedder as embedder_module
from dailypapers.search.embedder import EmbedderUnavailable, text_hash
from dailypapers.search.filters import SearchError, paper_passes
from dailypapers.search.models import PaperEmbedding
from dailypapers.search.query import ParsedQuery, parse_query
from dailypapers.search.rescore import forms_present
from dailypapers.search.service import STRONG_SIMILARITY, paper_vectors
from dailypapers.search.wordforms import forms_of

log = logging.getLogger("dailypapers.alerts")

# Similarity at which a paper is "close in meaning" to a saved search (see the docstring).
MEANING_THRESHOLD = STRONG_SIMILARITY
# Papers per pass: a listing day is ~230 papers; 1,000 keep the product (10,000 saved
# searches × 1,000 papers × 4 bytes = 40 MB) small and one transaction short.
BATCH = 1000
# Rows of the product at a time, so 100,000 saved searches still fit in memory.
PRODUCT_ROWS = 4096
# A paper listed this long before the catalogue's newest day is a backfill, not news: an
# operator loading a year of arXiv must not send a year of alerts.
NEWS_DAYS = 7
QUERY_EMBED_BATCH = 64
# PostgreSQL hands out embedding ids when rows are inserted but shows them when their
# transaction commits, and parallel embedding workers (search/indexing.py) commit chunks of 128
# out of id order: a run that read up to id N may later see a chunk below N appear. So each run
# there matches again the papers of the last LOOKBACK_IDS ids below the cursor (matching is
# idempotent: unique (saved search, paper) and (hook, paper)); at 10,000 saved searches that
# costs about a second. SQLite has one writer, so ids commit in order there.
LOOKBACK_IDS = 512


@dataclass
class CompiledSearch:
    """One saved search, ready to match: its parsed query and filters."""

    id: int
    mode: str
    parsed: ParsedQuery
    units: list[str]
    filters: dict
    row: int | None = None  # its row in the query-vector matrix, when embedded


@dataclass
class MatchReport:
    papers: int = 0
    saved_searches: int = 0
    matches: int = 0
    deliveries: int = 0
    meaning_skipped: str = ""
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def compile_search(saved: SavedSearch) -> CompiledSearch:
    parsed = parse_query(saved.query)
    return CompiledSearch(
        id=saved.pk,
        mode=saved.mode,
        parsed=parsed,
        units=parsed.ranking_words() + parsed.phrases,
        filters={
            "category": saved.category or None,
            "date_from": saved.date_from,
            "date_to": saved.date_to,
            "has_code": saved.has_code,
            "authors": parsed.authors,
            "categories": parsed.categories,
        },
    )


def _document(paper) -> str:
    # What search.service._result_rows tests for "matches words".
    return f"{paper.title} {paper.authors_text} {paper.abstract}"


class WordIndex:
    """Word form → positions of the batch's papers holding it."""

    def __init__(self, papers: list):
        self.documents = [_document(paper) for paper in papers]
        self.postings: dict[str, set[int]] = defaultdict(set)
        for position, text in enumerate(self.documents):
            for form in set(forms_of(text)):
                self.postings[form].add(position)
        self.everyone = set(range(len(papers)))

    def _unit_candidates(self, unit: str) -> set[int]:
        forms = forms_of(unit)
        if not forms:
            return set()
        together = set.intersection(*(self.postings.get(form, set()) for form in forms))
        if len(forms) > 1:  # "self-play" also matches "selfplay" (rescore.forms_present)
            together |= self.postings.get("".join(forms), set())
        return together

    def holding_all(self, units: list[str]) -> set[int]:
        """Positions of papers holding every unit (exact forms, phrases in order)."""
        if not units:
            return set()
        candidates = None
        for unit in sorted(units, key=lambda u: len(self._unit_candidates(u))):
            found = self._unit_candidates(unit)
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return set()
        return {pos for pos in candidates if forms_present(units, self.documents[pos]) == 1.0}

    def holding_any(self, units: list[str]) -> set[int]:
        """Positions of papers holding at least one of `units` (the -exclusions)."""
        hit = set()
        for unit in units:
            hit |= {pos for pos in self._unit_candidates(unit) if forms_present([unit], self.documents[pos]) > 0}
        return hit


def query_vectors(searches: list[SavedSearch]) -> dict[int, np.ndarray]:
    """Each saved search's query vector, embedding those not embedded (or changed) since."""
    model = embedder_module.MODEL_NAME
    vectors, missing = {}, []
    for saved in searches:
        text = parse_query(saved.query).meaning_text
        if not text or saved.mode == "keyword":
            continue
        key = f"{model}:{text_hash(text)}"
        if saved.vector is not None and saved.vector_key == key:
            vectors[saved.pk] = np.frombuffer(bytes(saved.vector), dtype="<f4")
        else:
            missing.append((saved, text, key))
    if missing:
        embedder = embedder_module.get_embedder()
        for start in range(0, len(missing), QUERY_EMBED_BATCH):
            chunk = missing[start : start + QUERY_EMBED_BATCH]
            embedded = embedder.embed([text for _, text, _ in chunk])
            for (saved, _, key), vector in zip(chunk, embedded, strict=True):
                saved.vector, saved.vector_key = vector.astype("<f4").tobytes(), key
                vectors[saved.pk] = vector
            SavedSearch.objects.bulk_update([saved for saved, _, _ in chunk], ["vector", "vector_key"])
    return vectors


def _words_reason(units: list[str]) -> str:
    return "has your words: " + ", ".join(f"“{unit}”" for unit in units)


def _filters_reason(search: CompiledSearch) -> str:
    parts = [f"by {name} (an author in your search)" for name in search.parsed.authors]
    categories = search.parsed.categories + ([search.filters["category"]] if search.filters["category"] else [])
    parts += [f"in {name} (a category in your search)" for name in categories]
    return "; ".join(parts) or "matches your search’s filters"


def match_batch(
    papers: list, vectors: dict[int, np.ndarray], searches: list[CompiledSearch], query_matrix: np.ndarray | None
) -> list[tuple[int, int, str, str, float | None]]:
    """(saved search id, paper id, kind, reason, score) for every match in the batch."""
    if not papers or not searches:
        return []
    words = WordIndex(papers)
    similarity = None
    embedded_positions = [pos for pos, paper in enumerate(papers) if paper.pk in vectors]
    if query_matrix is not None and embedded_positions:
        paper_matrix = np.stack([vectors[papers[pos].pk] for pos in embedded_positions]).astype(np.float32)
        similarity = np.full((query_matrix.shape[0], len(papers)), -1.0, dtype=np.float32)
        for start in range(0, query_matrix.shape[0], PRODUCT_ROWS):
            block = query_matrix[start : start + PRODUCT_ROWS] @ paper_matrix.T
            similarity[start : start + PRODUCT_ROWS][:, embedded_positions] = block
    found = []
    passes_cache: dict[tuple, set[int]] = {}
    for search in searches:
        wants_words = search.mode in ("hybrid", "keyword") and bool(search.units)
        wants_meaning = search.mode in ("hybrid", "meaning") and search.row is not None and similarity is not None
        by_words = words.holding_all(search.units) if wants_words else set()
        close: dict[int, float] = {}
        if wants_meaning:
            row = similarity[search.row]
            close = {int(pos): float(row[pos]) for pos in np.nonzero(row >= MEANING_THRESHOLD)[0]}
        only_filters = not search.parsed.has_keyword_part and not search.parsed.meaning_text
        candidates = words.everyone if only_filters else by_words | set(close)
        if not candidates:
            continue
        if search.parsed.excluded:
            candidates -= words.holding_any(search.parsed.excluded)
        key = tuple(sorted((k, str(v)) for k, v in search.filters.items()))
        if key not in passes_cache:
            try:
                passes_cache[key] = {pos for pos, paper in enumerate(papers) if paper_passes(paper, **search.filters)}
            except SearchError:
                passes_cache[key] = set()
        for pos in sorted(candidates & passes_cache[key]):
            score = close.get(pos)
            if only_filters:
                kind, reason = SavedSearchMatch.FILTERS, _filters_reason(search)
            elif pos in by_words:
                kind, reason = SavedSearchMatch.WORDS, _words_reason(search.units)
                if score is not None:
                    reason += f"; close in meaning to your search (score {score:.2f})"
            else:
                kind, reason = SavedSearchMatch.MEANING, f"close in meaning to your search (score {score:.2f})"
            found.append((search.id, papers[pos].pk, kind, reason[:300], score))
    return found


class Matcher:
    """All saved searches compiled and embedded once per run, matched batch by batch."""

    def __init__(self, report: MatchReport):
        self.report = report
        saved = list(
            SavedSearch.objects.only(
                "id", "query", "mode", "category", "date_from", "date_to", "has_code", "vector", "vector_key"
            )
        )
        self.searches = [compile_search(s) for s in saved]
        report.saved_searches = len(self.searches)
        self.matrix = None
        try:
            vectors = query_vectors(saved)
        except EmbedderUnavailable as exc:
            vectors, report.meaning_skipped = {}, str(exc)
            log.warning("alerts: meaning matching skipped, embedder unavailable: %s", exc)
        rows = []
        for search in self.searches:
            if search.id in vectors:
                search.row = len(rows)
                rows.append(vectors[search.id])
        if rows:
            self.matrix = np.stack(rows).astype(np.float32)

    def run_batch(self, papers: list, now: dt.datetime) -> list[SavedSearchMatch]:
        vectors = paper_vectors([p.pk for p in papers])
        rows = match_batch(papers, vectors, self.searches, self.matrix)
        return [
            SavedSearchMatch(saved_search_id=sid, paper_id=pid, kind=kind, reason=reason, score=score, matched_at=now)
            for sid, pid, kind, reason, score in rows
        ]


def _news(papers: list) -> list:
    newest = clock.today()
    oldest = newest - dt.timedelta(days=NEWS_DAYS)
    fresh = []
    for paper in papers:
        day = paper.listing_date or paper.featured_on or (paper.published.date() if paper.published else None)
        if day is None or day >= oldest:
            fresh.append(paper)
    return fresh


def queue_webhooks(paper_ids: list[int]) -> int:
    """One pending delivery per (active hook, matched paper); the unique pair keeps it one."""
    hooks = list(Webhook.objects.filter(active=True).values_list("id", "saved_search_id"))
    if not hooks or not paper_ids:
        return 0
    by_search = defaultdict(list)
    for hook_id, search_id in hooks:
        by_search[search_id].append(hook_id)
    matches = SavedSearchMatch.objects.filter(paper_id__in=paper_ids, saved_search_id__in=list(by_search))
    rows = [
        WebhookDelivery(webhook_id=hook_id, match_id=match_id, paper_id=paper_id)
        for match_id, search_id, paper_id in matches.values_list("id", "saved_search_id", "paper_id")
        for hook_id in by_search[search_id]
    ]
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def match_new_papers(*, batch: int = BATCH) -> MatchReport:
    """Match every paper embedded since the last run against every saved search, store the
    matches and queue their webhooks; safe to re-run and to interrupt (the cursor moves in
    the same transaction as the matches it covers)."""
    report = MatchReport()
    cursor = MatchCursor.objects.filter(name="papers").first()
    if cursor is None:  # no saved search was ever made: nothing to match against
        return report
    matcher = None
    lookback = LOOKBACK_IDS if connection.vendor == "postgresql" else 0
    start = max(cursor.last_embedding_id - lookback, cursor.first_embedding_id)
    while True:
        links = list(
            PaperEmbedding.objects.filter(model=embedder_module.MODEL_NAME, id__gt=start)
            .order_by("id")
            .values_list("id", "paper_id")[:batch]
        )
        if not links:
            return report
        start = links[-1][0]
        if matcher is None:
            matcher = Matcher(report)
        papers = _news(list(Paper.objects.filter(id__in=[pid for _, pid in links], hidden=False)))
        report.papers += len(papers)
        matches = matcher.run_batch(papers, timezone.now()) if matcher.searches else []
        if lookback and matches:  # papers seen before: count (and queue) only what is new
            known = set(
                SavedSearchMatch.objects.filter(paper_id__in={m.paper_id for m in matches}).values_list(
                    "saved_search_id", "paper_id"
                )
            )
            matches = [m for m in matches if (m.saved_search_id, m.paper_id) not in known]
        with transaction.atomic():
            SavedSearchMatch.objects.bulk_create(matches, ignore_conflicts=True, batch_size=1000)
            report.deliveries += queue_webhooks(sorted({m.paper_id for m in matches}))
            newest = max(links[-1][0], cursor.last_embedding_id)
            MatchCursor.objects.filter(pk=cursor.pk).update(last_embedding_id=newest)
        cursor.last_embedding_id = newest
        report.matches += len(matches)
