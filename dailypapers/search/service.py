"""Search as library functions other apps call: search_papers, similar_papers, more_like_this,
paper_vectors, embed_query.

Every result list has one shape: dicts with `paper`, `score`, `matched_by` ("keyword",
"meaning" or "both"), `pinned` and an HTML-safe `snippet`. Hybrid ranking is weighted
reciprocal-rank fusion (k = 60) of the keyword and meaning lists. When the embedder is
missing, broken or slower than SEARCH_EMBED_TIMEOUT, keyword results answer and `notices`
says so; a missing or stale vector index is caught up from the database, never an error.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from threading import Lock

import numpy as np
from django.conf import settings
from django.db import connection

from dailypapers.catalog.arxiv_ids import InvalidArxivId, parse_arxiv_id
from dailypapers.catalog.models import Paper
from dailypapers.search import embedder as embedder_module
from dailypapers.search.coverage import index_coverage
from dailypapers.search.embedder import EmbedderUnavailable
from dailypapers.search.filters import SearchError, filtered_papers, parse_day, visible_ids
from dailypapers.search.keyword import HYBRID_MATCH_BUDGET, keyword_hits, matching_ids
from dailypapers.search.query import ParsedQuery, parse_query, words_of
from dailypapers.search.similar import keyword_neighbours
from dailypapers.search.snippets import snippet
from dailypapers.search.vectors import get_vector_index

log = logging.getLogger("dailypapers.search")

MODES = ("hybrid", "keyword", "meaning")
MODE_ALIASES = {"semantic": "meaning", "lexical": "keyword"}
SORTS = ("relevance", "newest", "upvotes")
MAX_LIMIT = 100
EMBEDDER_DOWN = "Search by meaning is unavailable right now ({reason}); showing keyword matches only."
EMBEDDER_SLOW = "Search by meaning took too long; showing keyword matches only."
# The first query in a process loads the model (about a second); it gets this long.
FIRST_LOAD_SECONDS = 30.0

__all__ = ["SearchError", "search_papers", "similar_papers", "more_like_this", "paper_vectors", "embed_query", "rrf_fuse"]

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="embed-query")
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_cache_lock = Lock()
CACHE_SIZE = 2048


def embed_query(text: str, *, timeout: float | None = None) -> np.ndarray:
    """The unit vector of a query text. Raises EmbedderUnavailable when the model cannot be
    loaded or run, TimeoutError when it takes longer than `timeout` (default: the setting)."""
    return _start_query_embedding(text, timeout=timeout)()


def _start_query_embedding(text: str, *, timeout: float | None = None, then: Callable[[np.ndarray], object] | None = None) -> Callable:
    """Start embedding `text` in the background; the returned function waits for the vector,
    or, with `then`, for then(vector) computed in the background too (the nearest papers).
    Hybrid search runs its keyword query meanwhile (onnxruntime, usearch and SQLite release
    the GIL), so the meaning half is ready when the keyword half is."""
    text = " ".join(text.split())
    with _cache_lock:
        if text in _cache:
            _cache.move_to_end(text)
            cached = _cache[text]
            return (lambda: then(cached)) if then else (lambda: cached)
    loaded = embedder_module._embedder is not None
    limit = timeout if timeout is not None else settings.SEARCH_EMBED_TIMEOUT

    def job():
        vector = embedder_module.get_embedder().embed([text])[0]
        return vector, (then(vector) if then else None)

    future = _pool.submit(job)

    def wait():
        try:
            vector, result = future.result(timeout=limit if loaded else max(limit, FIRST_LOAD_SECONDS))
        except FutureTimeout:
            raise TimeoutError(f"query embedding took over {limit:g} s") from None
        except EmbedderUnavailable:
            raise
        except Exception as exc:  # onnxruntime errors: report as unavailable, never a 500
            raise EmbedderUnavailable(f"{type(exc).__name__}: {exc}") from exc
        vector.setflags(write=False)
        with _cache_lock:
            _cache[text] = vector
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return result if then else vector

    return wait


def paper_vectors(paper_ids) -> dict[int, np.ndarray]:
    """Stored embeddings of these papers' current texts (papers not yet embedded are absent)."""
    ids = [int(i) for i in paper_ids]
    found: dict[int, np.ndarray] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        if not chunk:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pe.paper_id, e.vector FROM search_paperembedding pe "
                "JOIN search_embedding e ON e.model = pe.model AND e.text_hash = pe.text_hash "
                f"WHERE pe.model = %s AND pe.paper_id IN ({', '.join(['%s'] * len(chunk))})",
                [embedder_module.MODEL_NAME, *chunk],
            )
            for paper_id, blob in cursor.fetchall():
                found[paper_id] = np.frombuffer(bytes(blob), dtype="<f4")
    return found


def rrf_fuse(lists: list[tuple[list[int], float]], *, k: int) -> list[tuple[int, float]]:
    """Weighted reciprocal-rank fusion: score(d) = sum over lists of w / (k + rank), rank from 1."""
    scores: dict[int, float] = {}
    for ids, weight in lists:
        for rank, paper_id in enumerate(ids, start=1):
            scores[paper_id] = scores.get(paper_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def _neighbours_wanted(allowed, depth: int) -> int:
    # Filters apply after the nearest-neighbour search, so ask for more when some are set.
    return depth * (5 if allowed is not None else 1) + 1


def _meaning_hits(vector: np.ndarray, parsed: ParsedQuery, allowed, *, depth: int, exclude: int | None = None) -> list[tuple[int, float]]:
    nearest = get_vector_index().search(vector, limit=_neighbours_wanted(allowed, depth))
    return _visible_meaning_hits(nearest, parsed, allowed, depth=depth, exclude=exclude)


def _visible_meaning_hits(nearest, parsed: ParsedQuery, allowed, *, depth: int, exclude: int | None = None) -> list[tuple[int, float]]:
    """The nearest papers the filters, hidden flags and -exclusions let through."""
    hits = [(pid, score) for pid, score in nearest if pid != exclude]
    keep = visible_ids([pid for pid, _ in hits], allowed)
    if parsed.excluded:
        keep -= matching_ids(parsed.excluded, keep)
    return [(pid, score) for pid, score in hits if pid in keep][:depth]


def _pinned_id(parsed: ParsedQuery) -> int | None:
    try:
        arxiv_id = parse_arxiv_id(parsed.text).id
    except InvalidArxivId:
        return None
    return Paper.objects.visible().filter(arxiv_id=arxiv_id).values_list("id", flat=True).first()


def _same_title(a: str, b: str) -> bool:
    return [w.casefold() for w in words_of(a)] == [w.casefold() for w in words_of(b)]


def _result_rows(ranked: list[tuple[int, float]], sources: dict[int, set], pinned: set, parsed: ParsedQuery) -> list[dict]:
    papers = Paper.objects.in_bulk([pid for pid, _ in ranked])
    terms = parsed.highlight_terms()
    rows = []
    for pid, score in ranked:
        paper = papers.get(pid)
        if paper is None:
            continue
        found_by = sources.get(pid, set())
        matched_by = "both" if len(found_by) == 2 else (next(iter(found_by)) if found_by else "keyword")
        rows.append({"paper": paper, "score": round(score, 6), "matched_by": matched_by, "pinned": pid in pinned,
                     "snippet": snippet(paper.abstract, terms)})
    return rows


def _sort_key(sort: str):
    def newest(item):
        paper = item["paper"]
        day = paper.listing_date or (paper.published.date() if paper.published else dt.date.min)
        return (not item["pinned"], -day.toordinal(), -item["score"])

    def upvotes(item):
        return (not item["pinned"], -item["paper"].upvotes, -item["score"])

    return {"newest": newest, "upvotes": upvotes}[sort]


def search_papers(query, *, mode="hybrid", category=None, date_from=None, date_to=None, has_code=None,
                  sort="relevance", limit=20, offset=0) -> dict:
    """Search papers. Raises SearchError (a message naming the parameter) for bad parameters;
    any query text is accepted."""
    mode = MODE_ALIASES.get(mode, mode)
    if mode not in MODES:
        raise SearchError(f"mode: expected one of {', '.join(MODES)}, got {mode!r}")
    if sort not in SORTS:
        raise SearchError(f"sort: expected one of {', '.join(SORTS)}, got {sort!r}")
    try:
        limit, offset = int(limit), int(offset)
    except (TypeError, ValueError):
        raise SearchError("limit and offset must be whole numbers") from None
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise SearchError(f"limit must be 1..{MAX_LIMIT} and offset ≥ 0")
    date_from, date_to = parse_day(date_from, "date_from"), parse_day(date_to, "date_to")
    parsed = parse_query(query if isinstance(query, str) else "")
    allowed = filtered_papers(category=category, date_from=date_from, date_to=date_to, has_code=has_code,
                              authors=parsed.authors, categories=parsed.categories)
    answer = {"query": parsed.text, "mode": mode, "sort": sort, "limit": limit, "offset": offset,
              "filters": {"category": category or "", "date_from": date_from, "date_to": date_to, "has_code": has_code},
              "results": [], "total": 0, "notices": []}
    depth = max(settings.SEARCH_FUSION_DEPTH, offset + limit)
    pinned_id = _pinned_id(parsed)
    keyword, meaning = [], []
    vector_of_query = None
    semantic_weight = settings.SEARCH_SEMANTIC_WEIGHT
    if parsed.meaning_text and mode in ("hybrid", "meaning") and pinned_id is None:
        index = get_vector_index()  # here: catching up reads the database, in this thread's connection
        wanted = _neighbours_wanted(allowed, depth)
        vector_of_query = _start_query_embedding(parsed.meaning_text, then=lambda vector: index.search(vector, limit=wanted))
    if parsed.has_keyword_part and mode in ("hybrid", "keyword"):
        # Hybrid leaves a long query's commonest words to the meaning half (see keyword.py);
        # without a query vector to fuse with, keyword hits stand alone and keep them all.
        budget = HYBRID_MATCH_BUDGET if vector_of_query is not None else None
        keyword = keyword_hits(parsed, allowed, limit=depth, budget=budget)
    if vector_of_query is not None:
        try:
            meaning = _visible_meaning_hits(vector_of_query(), parsed, allowed, depth=depth)
        except EmbedderUnavailable as exc:
            log.warning("embedder unavailable: %s", exc)
            answer["notices"].append(EMBEDDER_DOWN.format(reason=exc))
        except TimeoutError:
            answer["notices"].append(EMBEDDER_SLOW)
        if answer["notices"] and parsed.has_keyword_part:  # keyword hits now stand alone: all the words
            keyword = keyword_hits(parsed, allowed, limit=depth)
        elif not answer["notices"]:  # meaning answered, from the papers embedded so far (coverage.py)
            coverage = index_coverage()
            semantic_weight *= coverage.share
            if coverage.notice():
                answer["notices"].append(coverage.notice())
    if not parsed.has_keyword_part and not parsed.meaning_text and pinned_id is None:
        if parsed.text and not (parsed.authors or parsed.categories or parsed.excluded):
            answer["notices"].append("Nothing to search for in that query: type some words.")
            return answer
        if allowed is None:
            return answer  # empty query, no filters: the page shows the search form
        # Only filters (author:, cat:, dates, …): list what they let through.
        ranked_qs = allowed.order_by("-listing_date", "-id") if sort != "upvotes" else allowed.order_by("-upvotes", "-id")
        answer["total"] = ranked_qs.count()
        page = list(ranked_qs.values_list("id", flat=True)[offset : offset + limit])
        answer["results"] = _result_rows([(pid, 0.0) for pid in page], {}, set(), parsed)
        return answer

    sources: dict[int, set] = {}
    for name, hits in (("keyword", keyword), ("meaning", meaning)):
        for pid, _ in hits:
            sources.setdefault(pid, set()).add(name)
    if mode == "keyword" or not meaning:
        ranked = keyword
    elif mode == "meaning" or not keyword:
        ranked = meaning
    else:
        ranked = rrf_fuse([([p for p, _ in keyword], settings.SEARCH_KEYWORD_WEIGHT),
                           ([p for p, _ in meaning], semantic_weight)], k=settings.SEARCH_RRF_K)
    pinned: set[int] = set()
    if pinned_id is not None and pinned_id in visible_ids([pinned_id], allowed):
        pinned.add(pinned_id)
        ranked = [(pinned_id, 1.0)] + [item for item in ranked if item[0] != pinned_id]
    else:
        # An exact title among the best keyword hits goes first.
        top = [pid for pid, _ in keyword[:20]]
        titles = dict(Paper.objects.filter(id__in=top).values_list("id", "title")) if top else {}
        for pid in top:
            if _same_title(titles.get(pid, ""), parsed.text):
                pinned.add(pid)
                ranked = [item for item in ranked if item[0] == pid] + [item for item in ranked if item[0] != pid]
                break
    answer["total"] = len(ranked)
    if sort == "relevance":
        answer["results"] = _result_rows(ranked[offset : offset + limit], sources, pinned, parsed)
    else:
        rows = _result_rows(ranked, sources, pinned, parsed)
        rows.sort(key=_sort_key(sort))
        answer["results"] = rows[offset : offset + limit]
    return answer


def similar_papers(paper, *, limit: int = 5) -> list[dict]:
    """Nearest papers by embedding, excluding the paper itself; until it is embedded, the papers
    sharing most of its words (rows `matched_by` "keyword")."""
    vector = paper_vectors([paper.pk]).get(paper.pk)
    if vector is None:
        hits = keyword_neighbours(paper, limit=limit)
        return _result_rows(hits, {pid: {"keyword"} for pid, _ in hits}, set(), parse_query(""))
    hits = _meaning_hits(vector, parse_query(""), None, depth=limit, exclude=paper.pk)
    rows = _result_rows(hits, {pid: {"meaning"} for pid, _ in hits}, set(), parse_query(""))
    return rows[:limit]


def more_like_this(paper, *, limit: int = 20, offset: int = 0) -> dict:
    """"More like this" as a search answer (same shape as search_papers)."""
    rows = similar_papers(paper, limit=min(MAX_LIMIT, offset + limit))
    answer = {"query": "", "mode": "meaning", "sort": "relevance", "limit": limit, "offset": offset, "like": paper,
              "filters": {}, "results": rows[offset:], "total": len(rows), "notices": []}
    if rows and rows[0]["matched_by"] == "keyword":
        answer["notices"].append("This paper's meaning is not indexed yet: showing papers that share its words.")
    return answer

