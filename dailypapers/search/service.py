"""Search as library functions other apps call: search_papers, similar_papers, more_like_this,
paper_vectors, embed_query.

Every result list has one shape: dicts with `paper`, `score`, `matched_by` ("keyword",
"meaning" or "both"), `pinned` and an HTML-safe `snippet`. Hybrid ranking is weighted
reciprocal-rank fusion (k = 7) of the keyword and meaning lists, after which papers whose
title holds every query word come first, and an exact title first of all. An arXiv id or URL
answers with that paper alone; an author's name with their papers (authors.py); a word no
paper has is split or corrected (spelling.py). `matched_by` says what is true of the paper
itself: "keyword" when it holds at least half of the query's words, "meaning" when its
embedding is at least SIMILARITY_FLOOR from the query's. When the embedder is missing, broken
or slower than SEARCH_EMBED_TIMEOUT, keyword results answer and `notices` says so; a missing
or stale vector index is caught up from the database, never an error.
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

from dailypapers.catalog.arxiv_ids import InvalidArxivId, parse_arxiv_id
from dailypapers.catalog.models import Paper
from dailypapers.search import embedder as embedder_module
from dailypapers.search.authors import author_cards, author_named, papers_by
from dailypapers.search.coverage import index_coverage
from dailypapers.search.embedder import EmbedderUnavailable
from dailypapers.search.filters import SearchError, filtered_papers, parse_day, visible_ids
from dailypapers.search.keyword import HYBRID_MATCH_BUDGET, keyword_hits, matching_ids
from dailypapers.search.query import ParsedQuery, parse_query, words_of
from dailypapers.search.rescore import WordsPresent
from dailypapers.search.similar import keyword_neighbours
from dailypapers.search.snippets import snippet
from dailypapers.search.spelling import respell
from dailypapers.search.vectors import get_vector_index, vectors_of_papers

log = logging.getLogger("dailypapers.search")

MODES = ("hybrid", "keyword", "meaning")
MODE_ALIASES = {"semantic": "meaning", "lexical": "keyword"}
SORTS = ("relevance", "newest", "upvotes")
MAX_LIMIT = 100
EMBEDDER_DOWN = "Search by meaning is unavailable right now ({reason}); showing keyword matches only."
EMBEDDER_SLOW = "Search by meaning took too long; showing keyword matches only."
# The first query in a process loads the model (about a second); it gets this long.
FIRST_LOAD_SECONDS = 30.0
# Reciprocal-rank fusion: score = Σ weight / (RRF_K + rank) over the best FUSION_DEPTH hits of
# each list. k = 60 (Cormack et al. 2009) spreads the weight over ranks a list is unsure of;
# a small k lets each list's first few hits decide, which is where both lists are right.
# Hybrid nDCG@10 by k, SciFact test claims on SQLite: 60 0.713, 30 0.715, 20 0.719, 15 0.723,
# 10 0.727, 5 0.729; on PostgreSQL: 60 0.707, 10 0.7196, 5 0.721; researcher benchmark
# (bench/data/arxiv-queries): 60 0.772, 10 0.780, 5 0.782 (plain RRF at k 60: 0.645). After the
# posting cap and the spelling changes (2 Dec, evening), k 5 / 7 / 10: SciFact SQLite 0.730 /
# 0.734 / 0.728, PostgreSQL 0.720 / 0.722 / 0.715, researcher 0.782 / 0.784 / 0.780: 7.
# Meaning weight 0.8: SciFact tuning half (even-indexed claims) hybrid nDCG@10
# 0.674 at 1.0, 0.676 at 0.8, 0.675 at 0.7; researcher benchmark 0.775 at 1.0, 0.778 at 0.8.
RRF_K = 7
KEYWORD_WEIGHT = 1.0
MEANING_WEIGHT = 0.8
FUSION_DEPTH = 100
# all-MiniLM-L6-v2 cosine similarity below which a paper is not "about" the query: without a
# floor every query had 100 meaning hits ("sourdough bread baking recipes" showed 148 results).
# Hybrid nDCG@10 at floors none / 0.2 / 0.3: researcher benchmark 0.782 / 0.782 / 0.778,
# SciFact 0.711 (0.1) / 0.717 / 0.719; 0.3 keeps the off-topic page short at little cost.
SIMILARITY_FLOOR = 0.30
# A result is a strong match when it holds every query word or is this similar; a page
# without one says so.
STRONG_SIMILARITY = 0.45
NO_STRONG_MATCHES = "No strong matches: these papers share only some of your words or a loosely related topic."

__all__ = [
    "SearchError",
    "search_papers",
    "similar_papers",
    "more_like_this",
    "paper_vectors",
    "embed_query",
    "rrf_fuse",
]

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="embed-query")
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_cache_lock = Lock()
CACHE_SIZE = 2048


def embed_query(text: str, *, timeout: float | None = None) -> np.ndarray:
    """The unit vector of a query text. Raises EmbedderUnavailable when the model cannot be
    loaded or run, TimeoutError when it takes longer than `timeout` (default: the setting)."""
    return _start_query_embedding(text, timeout=timeout)()


def _start_query_embedding(
    text: str, *, timeout: float | None = None, then: Callable[[np.ndarray], object] | None = None
) -> Callable:
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


def forget_caches() -> None:
    """Forget what search remembers per process: query vectors, and the counts it keeps for
    minutes keyed by the database's name (document frequencies, average lengths, spelling). For
    tests, whose databases share a name, and benchmarks that time first-time searches again."""
    from dailypapers.search import keyword, rescore, spelling

    for remembered in (
        _cache,
        keyword._df_cache,
        rescore._averages,
        spelling._closest_cache,
        spelling._stems_cache,
        spelling._spelled_cache,
    ):
        remembered.clear()


def paper_vectors(paper_ids) -> dict[int, np.ndarray]:
    """Stored embeddings of these papers' current texts (papers not yet embedded are absent)."""
    return vectors_of_papers(paper_ids)


def rrf_fuse(lists: list[tuple[list[int], float]], *, k: int) -> list[tuple[int, float]]:
    """Weighted reciprocal-rank fusion: score(d) = sum over lists of w / (k + rank), rank from 1."""
    scores: dict[int, float] = {}
    for ids, weight in lists:
        for rank, paper_id in enumerate(ids, start=1):
            scores[paper_id] = scores.get(paper_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


# Neighbours a short meaning list (similar papers: 5) asks the index for beyond what it shows:
# hidden papers are dropped after the index search, and the list came out one short for each.
# Search's lists (100 deep) ask for none.
SPARE_NEIGHBOURS = 5


def _neighbours_wanted(allowed, depth: int) -> int:
    # Filters apply after the nearest-neighbour search, so ask for more when some are set.
    return depth * (5 if allowed is not None else 1) + 1


def _meaning_hits(
    vector: np.ndarray, parsed: ParsedQuery, allowed, *, depth: int, exclude: int | None = None
) -> list[tuple[int, float]]:
    """(paper id, cosine to `vector`) of the nearest papers, best first."""
    nearest = get_vector_index().search(vector, limit=_neighbours_wanted(allowed, depth) + SPARE_NEIGHBOURS)
    return _visible_meaning_hits(nearest, parsed, allowed, depth=depth, exclude=exclude)


def _visible_meaning_hits(
    nearest, parsed: ParsedQuery, allowed, *, depth: int, exclude: int | None = None
) -> list[tuple[int, float]]:
    """The nearest papers the filters and -exclusions let through, hidden ones never (without
    filters, looked up in the index of hidden papers, not in every hit's row)."""
    hits = [(pid, score) for pid, score in nearest if pid != exclude]
    ids = [pid for pid, _ in hits]
    keep = visible_ids(ids, allowed) if allowed is not None else set(ids) - Paper.objects.hidden_among(ids)
    if parsed.excluded:
        keep -= matching_ids(parsed.excluded, keep)
    return [(pid, score) for pid, score in hits if pid in keep][:depth]


def _arxiv_id(parsed: ParsedQuery) -> str | None:
    """The arXiv id the whole query is (an id, arXiv:id, an abs/pdf URL), or None."""
    try:
        return parse_arxiv_id(parsed.text).id
    except InvalidArxivId:
        return None


def _same_title(a: str, b: str) -> bool:
    return [w.casefold() for w in words_of(a)] == [w.casefold() for w in words_of(b)]


def _result_rows(
    ranked: list[tuple[int, float]],
    sources: dict[int, set],
    pinned: set,
    parsed: ParsedQuery,
    similarity: dict[int, float] | None = None,
    shares: dict[int, float] | None = None,
) -> list[dict]:
    """Result dicts; `matched_by` from the paper's own text and, when the query was embedded,
    its similarity (`similarity`: paper id → cosine, for the papers that have one). `shares`:
    the share of query words papers hold, where the keyword rescorer counted them already."""
    papers = Paper.objects.in_bulk([pid for pid, _ in ranked])
    terms = parsed.highlight_terms()
    present = WordsPresent(parsed.ranking_words() + parsed.phrases)
    shares = shares or {}
    rows = []
    for pid, score in ranked:
        paper = papers.get(pid)
        if paper is None:
            continue
        share = shares.get(pid)
        if share is None:
            share = present(f"{paper.title} {paper.authors_text} {paper.abstract}")
        close = similarity.get(pid, 0.0) >= SIMILARITY_FLOOR if similarity is not None else False
        by_words = share >= 0.5
        if by_words and close:
            matched_by = "both"
        elif by_words or close:
            matched_by = "keyword" if by_words else "meaning"
        else:  # neither holds half the words nor is close: say where it came from
            matched_by = "keyword" if "keyword" in sources.get(pid, ()) else "meaning"
        strong = share == 1.0 or (similarity is not None and similarity.get(pid, 0.0) >= STRONG_SIMILARITY)
        rows.append(
            {
                "paper": paper,
                "score": round(score, 6),
                "matched_by": matched_by,
                "pinned": pid in pinned,
                "snippet": snippet(paper.abstract, terms),
                "strong": strong or pid in pinned,
            }
        )
    return rows


def _sort_key(sort: str):
    def newest(item):
        paper = item["paper"]
        day = paper.listing_date or (paper.published.date() if paper.published else dt.date.min)
        return (not item["pinned"], -day.toordinal(), -item["score"])

    def upvotes(item):
        return (not item["pinned"], -item["paper"].upvotes, -item["score"])

    return {"newest": newest, "upvotes": upvotes}[sort]


def search_papers(
    query,
    *,
    mode="hybrid",
    category=None,
    date_from=None,
    date_to=None,
    has_code=None,
    sort="relevance",
    limit=20,
    offset=0,
) -> dict:
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
    allowed = filtered_papers(
        category=category,
        date_from=date_from,
        date_to=date_to,
        has_code=has_code,
        authors=parsed.authors,
        categories=parsed.categories,
    )
    answer = {
        "query": parsed.text,
        "mode": mode,
        "sort": sort,
        "limit": limit,
        "offset": offset,
        "filters": {"category": category or "", "date_from": date_from, "date_to": date_to, "has_code": has_code},
        "results": [],
        "total": 0,
        "notices": [],
    }
    arxiv_id = _arxiv_id(parsed)
    if arxiv_id is not None:  # that paper and nothing else: "https arxiv org abs" are not search words
        base = allowed if allowed is not None else Paper.objects.visible()
        found = list(base.filter(arxiv_id=arxiv_id).values_list("id", flat=True)[:1])
        if not found:
            where = " with these filters" if allowed is not None else ""
            answer["notices"].append(f"No paper arXiv:{arxiv_id} here{where}.")
        answer["total"] = len(found)
        answer["results"] = _result_rows([(pid, 1.0) for pid in found][offset : offset + limit], {}, set(found), parsed)
        return answer
    authors = author_named(parsed)
    if authors:
        found = papers_by(authors, allowed)
        if sort == "upvotes":
            votes = dict(Paper.objects.filter(id__in=found).values_list("id", "upvotes"))
            found.sort(key=lambda pid: -votes.get(pid, 0))
        answer["total"] = len(found)
        answer["notices"].append(f"Papers by {', '.join(a.name for a in authors)}, newest first.")
        answer["authors"] = author_cards(authors)
        answer["results"] = _result_rows([(pid, 1.0) for pid in found[offset : offset + limit]], {}, set(), parsed)
        return answer
    if parsed.words:
        parsed, corrected = respell(parsed)
        if corrected:
            answer["notices"].append(f"Few papers spell some of those words so; showing results for “{corrected}”.")
    depth = max(FUSION_DEPTH, offset + limit)
    keyword, meaning, title_complete, shares, titles = [], [], set(), {}, {}
    vector_of_query = query_vector = None
    meaning_weight = MEANING_WEIGHT
    if parsed.meaning_text and mode in ("hybrid", "meaning"):
        index = get_vector_index()  # here: catching up reads the database, in this thread's connection
        wanted = _neighbours_wanted(allowed, depth)
        vector_of_query = _start_query_embedding(
            parsed.meaning_text, then=lambda vector: (vector, index.search(vector, limit=wanted))
        )
    if parsed.has_keyword_part and mode in ("hybrid", "keyword"):
        # Hybrid leaves a long query's commonest words to the meaning half (see keyword.py);
        # without a query vector to fuse with, keyword hits stand alone and keep them all.
        budget = HYBRID_MATCH_BUDGET if vector_of_query is not None else None
        keyword, title_complete, shares, titles = keyword_hits(parsed, allowed, limit=depth, budget=budget)
    if vector_of_query is not None:
        try:
            query_vector, nearest = vector_of_query()
            visible = _visible_meaning_hits(nearest, parsed, allowed, depth=depth)
            meaning = [hit for hit in visible if hit[1] >= SIMILARITY_FLOOR]
        except EmbedderUnavailable as exc:
            log.warning("embedder unavailable: %s", exc)
            answer["notices"].append(EMBEDDER_DOWN.format(reason=exc))
            answer["keyword_only"] = True
        except TimeoutError:
            answer["notices"].append(EMBEDDER_SLOW)
            answer["keyword_only"] = True
        if query_vector is None and parsed.has_keyword_part:  # keyword hits now stand alone: all the words
            keyword, title_complete, shares, titles = keyword_hits(parsed, allowed, limit=depth)
        elif query_vector is not None:  # meaning answered, from the papers embedded so far (coverage.py)
            coverage = index_coverage().held(len(index))
            meaning_weight *= coverage.share
            if coverage.notice():
                answer["notices"].append(coverage.notice())
    if not parsed.has_keyword_part and not parsed.meaning_text:
        if parsed.text and not (parsed.authors or parsed.categories or parsed.excluded):
            answer["notices"].append("Nothing to search for in that query: type some words.")
            return answer
        if allowed is None:
            return answer  # empty query, no filters: the page shows the search form
        # Only filters (author:, cat:, dates, …): list what they let through.
        ranked_qs = (
            allowed.order_by("-listing_date", "-id") if sort != "upvotes" else allowed.order_by("-upvotes", "-id")
        )
        answer["total"] = ranked_qs.count()
        page = list(ranked_qs.values_list("id", flat=True)[offset : offset + limit])
        answer["results"] = _result_rows([(pid, 0.0) for pid in page], {}, set(), parsed)
        return answer

    ranked, sources, pinned = _fuse(
        parsed, mode, keyword, meaning, title_complete, titles, meaning_weight=meaning_weight
    )
    answer["total"] = len(ranked)
    similarity = _similarities(query_vector, meaning, ranked, offset, limit, sort)
    if sort == "relevance":
        answer["results"] = _result_rows(ranked[offset : offset + limit], sources, pinned, parsed, similarity, shares)
    else:
        rows = _result_rows(ranked, sources, pinned, parsed, similarity, shares)
        rows.sort(key=_sort_key(sort))
        answer["results"] = rows[offset : offset + limit]
    if answer["results"] and offset == 0 and not any(row["strong"] for row in answer["results"]):
        answer["notices"].append(NO_STRONG_MATCHES)
    return answer


def _fuse(
    parsed: ParsedQuery,
    mode: str,
    keyword,
    meaning,
    title_complete: set,
    titles: dict[int, str],
    *,
    meaning_weight: float = MEANING_WEIGHT,
) -> tuple[list, dict, set]:
    """The ranking of one search: fused lists, then papers whose title holds every query word
    (fusion put 9 of 12 "self-improv…" titles at ranks 15–33 for "self-improving language
    model"), then an exact title first (`titles`: the keyword hits' titles). Returns (ranked,
    sources, pinned ids)."""
    sources: dict[int, set] = {}
    for name, hits in (("keyword", keyword), ("meaning", meaning)):
        for pid, _ in hits:
            sources.setdefault(pid, set()).add(name)
    if mode == "keyword" or not meaning:
        ranked = keyword
    elif mode == "meaning" or not keyword:
        ranked = meaning
    else:
        ranked = rrf_fuse(
            [([p for p, _ in keyword], KEYWORD_WEIGHT), ([p for p, _ in meaning], meaning_weight)], k=RRF_K
        )
    if mode != "meaning" and title_complete:
        first = [item for item in ranked if item[0] in title_complete]
        ranked = first + [item for item in ranked if item[0] not in title_complete]
    pinned: set[int] = set()
    top = [pid for pid, _ in keyword[:20]] if mode != "meaning" else []
    for pid in top:
        if _same_title(titles.get(pid, ""), parsed.text):
            pinned.add(pid)
            ranked = [item for item in ranked if item[0] == pid] + [item for item in ranked if item[0] != pid]
            break
    return ranked, sources, pinned


def _similarities(query_vector, meaning, ranked, offset: int, limit: int, sort: str) -> dict[int, float] | None:
    """Cosine similarity to the query of the papers shown (from the meaning hits, else as the
    vector index scores them); None when the query was not embedded."""
    if query_vector is None:
        return None
    similarity = dict(meaning)
    shown = [pid for pid, _ in (ranked[offset : offset + limit] if sort == "relevance" else ranked)]
    missing = [pid for pid in shown if pid not in similarity]
    if missing:
        similarity.update(get_vector_index(caught_up=False).similarities(query_vector, missing))
    return similarity


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
    """ "More like this" as a search answer (same shape as search_papers)."""
    rows = similar_papers(paper, limit=min(MAX_LIMIT, offset + limit))
    answer = {
        "query": "",
        "mode": "meaning",
        "sort": "relevance",
        "limit": limit,
        "offset": offset,
        "like": paper,
        "filters": {},
        "results": rows[offset:],
        "total": len(rows),
        "notices": [],
    }
    if rows and rows[0]["matched_by"] == "keyword":
        answer["notices"].append("This paper's meaning is not indexed yet: showing papers that share its words.")
    return answer
