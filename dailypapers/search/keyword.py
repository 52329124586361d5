"""Keyword search: BM25 over SQLite FTS5, or ts_rank over a PostgreSQL tsvector.

Both rank title matches above abstract matches (FTS5 column weights; tsvector weights A/C).
Plain words are OR-ed (BM25 ranks papers with more of them first, as BEIR's BM25 does),
phrases are required, exclusions remove. Every user word reaches the database quoted or as
a bound parameter. Filters come in as a queryset of allowed papers.
"""

from __future__ import annotations

import math
import time

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from dailypapers.catalog.models import Paper
from dailypapers.search import rescore
from dailypapers.search.query import ParsedQuery
from dailypapers.search.term_statistics import PG_COUNT, store_frequency, stored_frequencies, stored_frequency

# bm25() weights per FTS5 column (title, authors_text, abstract): a title word counts three
# abstract words. Chosen on the even-indexed half of SciFact's queries (nDCG@10 0.651 at 1,
# 0.662 at 2 and 3, 0.660 at 5, 0.653 at 10); the other half, held out, scores 0.721 at 3.
FTS_WEIGHTS = (3.0, 1.0, 1.0)
# ts_rank weights for {D, C, B, A}: abstract C, authors B, title A. With the idf-weighted sum
# below, SciFact keyword nDCG@10 on PostgreSQL: title:abstract 5:1 0.580, 3:1 0.628, 2:1 0.660,
# 1:1 0.667; 2:1 keeps the title above the abstract for 0.007 less.
PG_WEIGHTS = "{0.1, 0.5, 0.5, 1.0}"


# Long queries OR-ing words found in a large share of papers ("learning", "models") made
# FTS5 score most of the corpus: a query costs about 1.8 µs per matching paper (BM25 reads
# each one's column sizes), 120 ms at p95 on 74,728 papers. Such words add little to BM25
# (their idf is small), so a query of 3+ words leaves out those in more than COMMON_SHARE of
# the papers, keeping at least KEEP_AT_LEAST words. Hybrid search goes further: it keeps the
# rarest words while together they are in at most HYBRID_MATCH_BUDGET of the papers (a paper
# counted once per word), because the meaning half of the fusion finds what the dropped
# common words would have added. Measured with budgets of none / 0.3 / 0.2: SciFact hybrid
# nDCG@10 0.711 / 0.705 / 0.703; on the 74,728-paper corpus, a title without its first and
# last words finds its paper with MRR 0.878 / 0.878 / 0.878, at p95 88 / 60 / 44 ms.
# Only for corpora of MIN_PAPERS or more, where it matters. Document frequencies are
# cached per process.
COMMON_SHARE = 0.20
HYBRID_MATCH_BUDGET = 0.2
KEEP_AT_LEAST = 2
MIN_PAPERS = 2000
DF_CACHE_SECONDS = 600.0
# Candidates the database hands to rescore.py per list (any words, all words). A paper the
# database ranks below 100 for a 2-word query rarely belongs in the top 10 once rescored.
CANDIDATES = 100
# A keyword search whose lists hold fewer papers than a page of results (search_papers' default
# limit) while the posting cap left out a word in at most twice the cap is filled from that word
# (keyword_hits). Filling every list under CANDIDATES, from any word left out (its newest papers
# when commoner), took 136 of the bench's 500 queries at a million papers (the bench's copies of
# a title share its rare words) and cost 11-16 ms at p95; now 23 of them, and 5 at 75k.
FILL_BELOW = 20
# The database's own ranking scores every paper a query matches (FTS5 bm25 about 1.5 µs a paper,
# PostgreSQL's idf-weighted ts_rank about 2 µs plus 0.25 µs a word: 12 ms for 2,629 papers and
# twelve words, 17 ms before the stored lengths of migration 0006), so a ranked candidate list never matches more
# than MAX_POSTINGS papers, whatever the catalogue's size: the cheapest words to rank are kept
# while, added up, they stay within it (rare words carry a query anyway; ranking_cost). Where
# even the papers holding every word are more, the database hands over the newest of them (and,
# on SQLite, the newest with every word in the title) unranked, which costs a few hundred rows'
# reading: rescore.py ranks them all the same. At 75k papers 15,000 gave keyword p95 51 ms of
# CPU on SQLite, 6,000 38 ms. Its cost in quality, measured by scaling the cap to the
# benchmarks' sizes (4,000 of 75,000 papers is 371 of the researcher benchmark's 6,926 and 277
# of SciFact's 5,183), hybrid nDCG@10 researcher / SciFact: uncapped 0.782 / 0.730, 15,000
# 0.777 / 0.730, 6,000 0.776 / 0.736, 4,000 0.781 / 0.732, 2,500 0.761 / 0.717. 4,000 on both
# databases; below it quality falls.
MAX_POSTINGS = 4_000
# What a unit costs the index to match, beyond ranking: FTS5 reads every posting of every word
# a query names, with no skipping (at a million papers "sdiglm" alone took 1.2 ms, AND-ed with
# "models" 15 ms: 817,000 postings read at about 18 ns each), and a hyphenated unit or phrase
# reads each of its words' postings with positions ("cross task" 30 ms, its 3,044 matches
# aside). Ranking a matched paper costs about 1.5 µs, READ_SHARE of that per posting read.
READ_SHARE = 1 / 75
# The papers holding every word are found by AND-ing the query's units with the fewest
# postings to read while together they read at most ALL_WORDS_READS (about 5 ms at a million
# papers; the rest of the words are checked by the rescorer, which scores every word). At
# 75,000 papers the commonest words have about 60,000 postings, so nothing changes there.
ALL_WORDS_READS = 250_000


def posting_cap() -> int:
    return MAX_POSTINGS


_df_cache: dict[tuple[str, str], tuple[float, int]] = {}


def _df_key(unit: str) -> tuple[str, str]:
    return (str(connection.settings_dict.get("NAME")), unit.casefold())


def _remembered(key: tuple[str, str]) -> int | None:
    """A document frequency counted less than DF_CACHE_SECONDS ago, or None."""
    cached = _df_cache.get(key)
    return cached[1] if cached and time.monotonic() - cached[0] < DF_CACHE_SECONDS else None


def document_frequency(unit: str) -> int:
    """Papers holding the unit (a word, a hyphenated unit or phrase; "" for all papers),
    remembered per process for DF_CACHE_SECONDS."""
    key = _df_key(unit)
    if (cached := _remembered(key)) is not None:
        return cached
    count = stored_frequency(unit) if unit else None
    if count is None:
        count = _count_papers(unit)
        if connection.vendor == "postgresql" and " " in unit.strip():
            store_frequency(unit, count)
    _remember(key, count)
    return count


# Words PostgreSQL's English configuration indexes no lexeme for (its stopwords: "not", "no",
# "between", "there", more than query.STOPWORDS names), per database, as the parser said.
_unindexed_cache: dict[tuple[str, str], bool] = {}


def unindexed(words: list[str]) -> set[str]:
    """Those of `words` (single words) the keyword index cannot hold: on PostgreSQL, its text
    configuration's stopwords, asked of the parser itself (remembered per process); FTS5 indexes
    every word. Such a word is in no paper by the index's count, yet in most abstracts: the
    rescorer gave it the idf of a word in no paper, the highest there is, and SciFact's "There is no
    association between HNF4A mutations and diabetes risks" ranked its paper 27th, behind
    abstracts saying "no" and "between" (1st on SQLite)."""
    if connection.vendor != "postgresql":
        return set()
    name = str(connection.settings_dict.get("NAME"))
    single = {word for word in words if word and " " not in word}
    unknown = sorted({word.casefold() for word in single if (name, word.casefold()) not in _unindexed_cache})
    if unknown:
        with connection.cursor() as cursor:
            cursor.execute("SELECT w, length(to_tsvector('english', w)) = 0 FROM unnest(%s::text[]) AS w", [unknown])
            found = cursor.fetchall()
        if len(_unindexed_cache) > 50_000:
            _unindexed_cache.clear()
        _unindexed_cache.update({(name, word): dropped for word, dropped in found})
    return {word for word in single if _unindexed_cache.get((name, word.casefold()))}


def _word_frequencies(unit: str) -> list[int]:
    """Document frequencies of a unit's words that are in some paper (stopwords are in none)."""
    return [n for n in (document_frequency(word) for word in unit.split()) if n > 0]


def prefetch_frequencies(units: list[str]) -> None:
    """Look up the document frequencies of a query's units and their words in the term statistics
    at once, instead of one query per word; those not there are counted as asked."""
    wanted = {word for unit in units for word in [unit, *unit.split()] if word}
    missing = [word for word in wanted if _remembered(_df_key(word)) is None]
    for unit, count in stored_frequencies(missing).items():
        _remember(_df_key(unit), count)


def _remember(key: tuple[str, str], count: int) -> None:
    if len(_df_cache) > 50_000:
        _df_cache.clear()
    _df_cache[key] = (time.monotonic(), count)


# PostgreSQL counts a phrase or hyphenated unit by intersecting its words' postings and checking
# every paper in the intersection (575 ms for "fine-tuned" at a million papers; at 75k,
# "multi-task" checked the 8,465 papers holding both words in 22 ms for 856 matches), and FTS5
# reads its words' postings with their positions (35 ms for "multi-scale" at a million). When each
# of its words is in more than EXACT_PHRASE_BELOW papers, the unit is counted among the newest
# PHRASE_SAMPLE papers instead and scaled to the catalogue (5.5 ms for those 5,000 at any size on
# PostgreSQL, about 1 ms on SQLite; "multi-task" came out at 672). Checking a paper the GIN index
# found costs about 2.5 times one read in id order, so below 2,000 papers per word an exact count
# costs no more than the sample. EXACT_PHRASE_BELOW was 20,000: counting the hyphenated units of
# 200 bench queries after a refresh of the term statistics took 690 ms, up to 22 ms a unit (530 ms
# and 7 ms now).
PHRASE_SAMPLE = 5_000
EXACT_PHRASE_BELOW = 2_000
# FTS5 counts a word's papers at 30-95 ns a posting (for a word the term statistics lack): "model" took
# 27-78 ms at a million papers (817,000 postings), once per word and web process every
# DF_CACHE_SECONDS. So the count stops at EXACT_COUNT_BELOW + 1 papers holding the word (about
# 2 ms); a word in more papers is estimated from how densely the newest EXACT_COUNT_BELOW + 1 of
# them lie among the newest papers: their number over the ids they span, times the catalogue.
# At a million papers the estimates were within 2.3 % ("model" 835,359 for 816,948, "agent"
# 135,710 for 133,949); at 75k only words in over a quarter of the papers are estimated, within
# 4 %; the benchmarks' corpora (at most 7,000 papers) are counted exactly.
EXACT_COUNT_BELOW = 20_000


def _count_papers(unit: str) -> int:
    """Papers holding the unit (all papers for ""), counted in the keyword index; estimated from
    the newest papers where counting costs more (a phrase of common words, a common word on
    SQLite)."""
    phrase_words = _word_frequencies(unit) if " " in unit.strip() else []
    with connection.cursor() as cursor:
        if phrase_words and connection.vendor == "postgresql" and _edge_unindexed(unit):
            # Its hyphenated spelling, which PostgreSQL indexes as one word (see _edge_unindexed).
            cursor.execute(
                "SELECT COUNT(*) FROM search_paperdocument WHERE document @@ plainto_tsquery('english', %s)",
                ["-".join(unit.split())],
            )
            return cursor.fetchone()[0]
        if unit == "":
            cursor.execute("SELECT COUNT(*) FROM catalog_paper")
            return cursor.fetchone()[0]
        if len(phrase_words) > 1 and min(phrase_words) > EXACT_PHRASE_BELOW:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT COUNT(*) FROM (SELECT document FROM search_paperdocument ORDER BY paper_id DESC "
                    "LIMIT %s) s WHERE document @@ phraseto_tsquery('english', %s)",
                    [PHRASE_SAMPLE, unit],
                )
            else:
                cursor.execute(
                    "SELECT COUNT(*) FROM search_paper_fts WHERE search_paper_fts MATCH %s AND rowid >= "
                    "COALESCE((SELECT id FROM catalog_paper ORDER BY id DESC LIMIT 1 OFFSET %s), 0)",
                    [_fts_string(unit), PHRASE_SAMPLE - 1],
                )
            found, papers = cursor.fetchone()[0], document_frequency("")
            sample = max(1, min(papers, PHRASE_SAMPLE))
            # None in the sample: rarer than one in PHRASE_SAMPLE, taken as half that.
            return min(round(max(found, 0.5) * papers / sample), *phrase_words)
        if connection.vendor == "postgresql":
            cursor.execute(PG_COUNT.format(unit="%s"), [unit])
            return cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM search_paper_fts WHERE search_paper_fts MATCH %s LIMIT %s)",
            [_fts_string(unit), EXACT_COUNT_BELOW + 1],
        )
        found = cursor.fetchone()[0]
        if found <= EXACT_COUNT_BELOW:
            return found
        # Read newest first only now: a descending read costs half as much again as an ascending one.
        cursor.execute(
            "SELECT COUNT(*), MIN(rowid), (SELECT MAX(id) FROM catalog_paper) FROM (SELECT rowid FROM search_paper_fts "
            "WHERE search_paper_fts MATCH %s ORDER BY rowid DESC LIMIT %s)",
            [_fts_string(unit), EXACT_COUNT_BELOW + 1],
        )
        found, oldest, newest = cursor.fetchone()
    papers = document_frequency("")
    span = max(1, min(papers, (newest or 0) - oldest + 1))  # papers from the oldest of them on
    return max(found, min(papers, round(found * papers / span)))


def recount(units: list[str]) -> None:
    """Count phrases afresh, as a search would, and store their counts for every process
    (term_statistics.refresh_term_statistics, for the phrases stored before it)."""
    prefetch_frequencies(units)  # their words, in one statement
    for unit in units:
        store_frequency(unit, _count_papers(unit))


def _edge_unindexed(unit: str) -> bool:
    """Whether a phrase's first or last word has no lexeme on PostgreSQL, so that its tsquery
    leaves it out: "few-shot" is 'shot', "in-context" 'context', "off-policy" 'policy' (a word
    inside a phrase is kept as a gap: "state of the art" is 'state' <3> 'art'). Such a unit is
    counted by its hyphenated spelling, which PostgreSQL's parser indexes as one word besides its
    parts ('few-shot', 'in-context', 'out-of-distribut'), so the term statistics hold its count:
    by the tsquery's count "in-context" was in 11,558 of 74,728 papers (those holding "context"),
    "off-policy" in 3,962; hyphenated, they are in 1,008 and 103 (FTS5's phrase count, which also
    finds "in context" written apart: 1,121 and 135)."""
    words = unit.split()
    return bool(unindexed([words[0], words[-1]]))


def _index_matches(unit: str) -> int:
    """The papers the index matches for a unit: what the database's ranking weighs it by and what
    ranking it costs. Its document_frequency, except on PostgreSQL for a phrase whose first or last
    word has no lexeme, whose tsquery matches the rest ('shot' for "few shot"; an upper bound where
    the rest is a phrase). Weighed as the rarer "few-shot", every paper with
    "shot" rose in the ranked list, and "reward model over-optimization" kept 3 of its 8 judged
    papers among 100 candidates instead of 8: what the tsquery matches is weighed by its own count,
    and the rescorer scores the phrase as written."""
    if (
        connection.vendor == "postgresql"
        and " " in unit
        and (rest := _word_frequencies(unit))
        and _edge_unindexed(unit)
    ):
        return min(rest)
    return document_frequency(unit)


def selective_words(words: list[str], *, budget: float | None = None) -> list[str]:
    """The words worth OR-ing (see COMMON_SHARE); with `budget`, the rarest words while they
    are in at most that share of the papers together."""
    if len(words) < 3:
        return words
    papers = document_frequency("")
    if papers < MIN_PAPERS:
        return words
    frequency = {w: _index_matches(w) for w in words}  # what OR-ing the word makes the index match
    keep: set[str] = set()
    postings = 0
    for word in sorted((w for w in words if frequency[w] > 0), key=frequency.get):  # rarest first
        fits = frequency[word] <= COMMON_SHARE * papers and (
            budget is None or postings + frequency[word] <= budget * papers
        )
        if not fits and len(keep) >= KEEP_AT_LEAST:
            break
        keep.add(word)
        postings += frequency[word]
    return [w for w in words if w in keep] or words


def postings_read(unit: str) -> int:
    """Postings the index reads to match a unit: a word's own; a hyphenated unit's or phrase's,
    those of each of its words."""
    if " " not in unit:
        return document_frequency(unit)
    return sum(document_frequency(word) for word in unit.split())


def ranking_cost(unit: str) -> float:
    """A unit's cost in a ranked list, in papers ranked: its matches, plus what finding a
    hyphenated unit's or phrase's matches costs. FTS5 reads its words' postings (READ_SHARE
    of a ranked paper each); PostgreSQL's GIN index finds the papers holding all its words and
    checks each one's positions, about what ranking a paper costs."""
    if " " not in unit:
        return document_frequency(unit)
    if connection.vendor == "postgresql":  # what its tsquery matches; a word without a lexeme finds nothing
        return _index_matches(unit) + min(_word_frequencies(unit), default=0)
    return document_frequency(unit) + READ_SHARE * postings_read(unit)


def _cheapest(units: list[str], cost, cap: float, *, at_least_one: bool) -> list[str]:
    """The cheapest `units` by `cost` while their costs add up to at most `cap` (with
    `at_least_one`, the cheapest even when it alone costs more), in query order."""
    keep: set[str] = set()
    spent = 0.0
    for unit in sorted(units, key=cost):
        spent += cost(unit)
        if spent > cap and (keep or not at_least_one):
            break
        keep.add(unit)
    return [u for u in units if u in keep]


def within_postings(words: list[str], cap: int | None = None) -> list[str]:
    """The cheapest of `words` to rank (ranking_cost: the rarest, mostly) while together they
    cost at most `cap` papers ranked (posting_cap()), in query order; possibly none."""
    return _cheapest(words, ranking_cost, posting_cap() if cap is None else cap, at_least_one=False)


def fewest_reads(units: list[str], cap: int = ALL_WORDS_READS) -> list[str]:
    """The units with the fewest postings to read while together they read at most `cap`, at
    least one, in query order: what an AND of all the units needs the index to read."""
    return _cheapest(units, postings_read, cap, at_least_one=True)


def _fts_string(words: str) -> str:
    """A double-quoted FTS5 string: inside quotes every character is literal."""
    return '"' + words.replace('"', '""') + '"'


def _fts_unit(unit: str) -> str:
    """A word, or a hyphenated unit ("over optimization") that also matches its joined spelling
    ("overoptimization"): arXiv abstracts write both."""
    if " " in unit and unit.replace(" ", "").isalpha():
        return f"({_fts_string(unit)} OR {_fts_string(unit.replace(' ', ''))})"
    return _fts_string(unit)


def fts5_expression(
    parsed: ParsedQuery,
    *,
    prune: bool = False,
    budget: float | None = None,
    require_all: bool = False,
    words: list[str] | None = None,
    title_only: bool = False,
) -> str | None:
    """The FTS5 query: `words` (default: the query's, pruned with `prune`) OR-ed, or AND-ed with
    `require_all`, and every phrase; with `title_only` they must be in the title."""
    positive = []
    if words is None:
        words = selective_words(parsed.ranking_words(), budget=budget) if prune else parsed.ranking_words()
    if words:
        positive.append("(" + (" AND " if require_all else " OR ").join(_fts_unit(w) for w in words) + ")")
    positive += [_fts_string(p) for p in parsed.phrases]
    if not positive:
        return None
    expression = " AND ".join(positive)
    if title_only:
        expression = f"title : ({expression})"
    if parsed.excluded:
        expression = f"({expression}) NOT (" + " OR ".join(_fts_string(x) for x in parsed.excluded) + ")"
    return expression


_PG_PHRASE = "phraseto_tsquery('english', %s)"
# ts_rank's normalization 1 (rank / log2(length + 1)), applied once to the sum of a query's ranks
# from the stored length (migration 0006), not counted again by each word's ts_rank call: the same
# score, about 2.4 ms less for a six-word query over 1,441 papers.
_PG_LENGTH_NORM = "(ln(greatest(d.length, 1) + 1) / ln(2))"


def _pg_unit(unit: str) -> str:
    # A hyphenated unit ("self play") must match as adjacent words, as in FTS5.
    return _PG_PHRASE if " " in unit else "plainto_tsquery('english', %s)"


def _pg_match(unit: str) -> tuple[str, list]:
    """The tsquery of a unit; a hyphenated one also matches its joined spelling (see _fts_unit)."""
    if " " in unit and unit.replace(" ", "").isalpha():
        return f"({_PG_PHRASE} || plainto_tsquery('english', %s))", [unit, unit.replace(" ", "")]
    return _pg_unit(unit), [unit]


def _pg_tsquery(
    parsed: ParsedQuery, *, budget: float | None = None, require_all: bool = False, words: list[str] | None = None
) -> tuple[str, list, str, list] | None:
    """(match tsquery SQL, its params, score SQL, its params) for PostgreSQL.

    ts_rank alone knows no document frequencies, so "learning" counted as much as "negotiation"
    (SciFact keyword nDCG@10 0.508 against FTS5 BM25's 0.693). The score is therefore a sum
    over the query's words of BM25's idf times ts_rank of that word alone (title weighted A,
    abstract C), divided by the log of the paper's length, which brings back what BM25 gets from idf.
    """
    if words is not None:
        kept = words
    else:
        kept = parsed.ranking_words() if require_all else selective_words(parsed.ranking_words(), budget=budget)
    words = [(w, _pg_unit(w)) for w in kept]
    phrases = [(p, _PG_PHRASE) for p in parsed.phrases]
    parts, params = [], []
    if words:
        matches = [_pg_match(w) for w, _ in words]
        parts.append("(" + (" && " if require_all else " || ").join(sql for sql, _ in matches) + ")")
        params += [param for _, unit_params in matches for param in unit_params]
    for phrase, tsquery in phrases:
        parts.append(tsquery)
        params.append(phrase)
    if not parts:
        return None
    sql = " && ".join(parts)
    for excluded in parsed.excluded:
        sql = f"({sql}) && !! {_PG_PHRASE}"
        params.append(excluded)
    papers = max(document_frequency(""), 1)
    terms, score_params = [], []
    for unit, tsquery in words + phrases:
        frequency = _index_matches(unit)
        idf = math.log(1 + (papers - frequency + 0.5) / (frequency + 0.5))
        terms.append(f"%s * ts_rank('{PG_WEIGHTS}', d.document, {tsquery}, 0)")
        score_params += [idf, unit]
    return sql, params, f"({' + '.join(terms)}) / {_PG_LENGTH_NORM}", score_params


def keyword_hits(
    parsed: ParsedQuery, allowed: QuerySet | None, *, limit: int, budget: float | None = None
) -> rescore.Rescored:
    """(paper id, score) best first, the ids whose title holds every query word, each
    candidate's share of the query words it holds, and the candidates' titles.

    The database finds candidates: the best `limit` papers with any of the query's words (a
    long query's commonest left out, see selective_words; `budget` bounds them further in
    hybrid search) and the best `limit` with all of them, so a budget never loses the paper
    that has every word. rescore.py ranks them by word forms, the same on both databases.
    `allowed` is a queryset of papers the filters let through; None means all visible papers."""
    typed = parsed.ranking_words()
    dropped = unindexed(typed)  # matched by no index entry: chosen, counted and scored as nothing
    words = [word for word in typed if word not in dropped] or typed
    prefetch_frequencies(words + list(parsed.phrases))
    selective = selective_words(words, budget=budget)
    rare = within_postings(selective)
    candidates: dict[int, tuple] = {}

    def add(**how) -> None:
        for row in candidate_texts(parsed, allowed, **how):
            candidates.setdefault(row[0], row)

    if rare or (parsed.phrases and not words):
        add(limit=max(limit, CANDIDATES), words=rare)
    # Papers holding every word: AND-ing the units cheapest to read finds them (the rescorer
    # checks the others), ranked when they are few enough; else the newest papers holding every
    # word, unranked (read newest first, so the index stops after the first hundred).
    required = fewest_reads(words) if words else []
    checked = required + list(parsed.phrases)
    fits = bool(checked) and (
        min(_index_matches(unit) for unit in checked) <= posting_cap()
        or _matches_at_most(parsed, required, posting_cap())
    )
    if len(words) > 1 or not fits:
        if fits:
            for row in _all_words_candidates(parsed, allowed, required):
                candidates.setdefault(row[0], row)
        else:
            add(limit=CANDIDATES, require_all=True, order="newest")
        if not fits and connection.vendor != "postgresql":
            add(limit=CANDIDATES, require_all=True, order="newest", title_only=True)
    # The posting cap left out a word just over it and the lists hold less than a page: "reward
    # model overoptimization" listed the 4 papers holding "overoptimization" at 75k papers on
    # SQLite ("reward", in 4,001, was one paper over the cap) and 100 on PostgreSQL (in 3,996
    # there). The rarest word left out fills the list with its best papers by the database's
    # ranking, when it is in at most twice the cap; the rescorer ranks them all. A commoner word
    # is no cliff: ranking it costs what the cap bounds. Hybrid search has the meaning half.
    left_out = [word for word in selective if word not in rare]
    if left_out and budget is None and len(candidates) < FILL_BELOW:
        filler = min(left_out, key=ranking_cost)
        if ranking_cost(filler) <= 2 * posting_cap():
            add(limit=CANDIDATES, words=[filler])
    papers = max(document_frequency(""), 1)
    query_units = rescore.units(typed + parsed.phrases, document_frequency, papers, unweighted=dropped)
    scored = rescore.rescore(list(candidates.values()), query_units)
    return scored._replace(ranked=scored.ranked[:limit])


def _all_words_candidates(parsed: ParsedQuery, allowed: QuerySet | None, words: list[str]) -> list[tuple]:
    """candidate_texts of the best CANDIDATES papers holding all of `words` (and the phrases).

    Most queries' words are together in a few papers, and then ranking them is wasted: FTS5's
    bm25() first counts the papers holding each word over its whole posting list, for the idf
    the rescorer computes anyway (4.8 ms on average for the bench's titles at 75k papers, 1.3 ms
    unranked, for 0.6 papers). So up to CANDIDATES + 1 of them are read in id order first (the
    index's own order: newest first cost half as much again), and only when there are more are
    the best CANDIDATES ranked. PostgreSQL's ts_rank reads no posting list, and ranking a few
    papers cost what reading them unranked did (1.6 against 1.4-1.6 ms on average at 75k and a
    million papers), so there they are ranked at once, in one statement."""
    if connection.vendor == "postgresql":
        return candidate_texts(parsed, allowed, limit=CANDIDATES, require_all=True, words=words)
    built = _hits_sql(parsed, allowed, limit=CANDIDATES + 1, require_all=True, words=words, order="id")
    if built is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*built)
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) > CANDIDATES:
        return candidate_texts(parsed, allowed, limit=CANDIDATES, require_all=True, words=words)
    return _texts_of(ids) if ids else []


def _matches_at_most(parsed: ParsedQuery, words: list[str], cap: int) -> bool:
    """Whether at most `cap` papers hold all of `words` and the query's phrases (filters aside):
    common words can be rare together ("benchmarks", "code", "generation" are each in over
    15,000 of 75,000 papers, together in far fewer), and then ranking them all is cheap. Counts
    no further than cap + 1."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            built = _pg_tsquery(parsed, require_all=True, words=words)
            if built is None:
                return False
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM search_paperdocument WHERE document @@ ({built[0]}) LIMIT %s) x",
                [*built[1], cap + 1],
            )
        else:
            expression = fts5_expression(parsed, require_all=True, words=words)
            if expression is None:
                return False
            cursor.execute(
                "SELECT COUNT(*) FROM (SELECT 1 FROM search_paper_fts WHERE search_paper_fts MATCH %s LIMIT %s)",
                [expression, cap + 1],
            )
        return cursor.fetchone()[0] <= cap


# "+ 0": ordered by the key itself, PostgreSQL may walk the primary key and test every paper until
# enough match (8.2 ms on average for the all-words lists of 40 bench queries at 75k, 20.8 at
# worst, against 1.4 and 3.1 through the GIN index). The newest papers holding common words are
# meant to be read that way: they are many, and the walk stops early.
_PG_ORDER = {"rank": "score DESC, d.paper_id", "newest": "d.paper_id DESC", "id": "d.paper_id + 0"}
_FTS_ORDER = {"rank": "f.rank", "newest": "f.rowid DESC", "id": "f.rowid"}


def _hits_sql(
    parsed: ParsedQuery,
    allowed: QuerySet | None,
    *,
    limit: int,
    budget: float | None = None,
    require_all: bool = False,
    words: list[str] | None = None,
    order: str = "rank",
    title_only: bool = False,
) -> tuple[str, list] | None:
    """`SELECT id, score … ORDER BY … LIMIT` for database_hits (its arguments), or None when the
    query has nothing to match."""
    unranked = order in ("newest", "id")  # the newest first, or the oldest (FTS5's own order)
    if connection.vendor == "postgresql":
        built = _pg_tsquery(parsed, budget=budget, require_all=require_all, words=words)
        if built is None:
            return None
        tsquery, params, score, score_params = built
        if unranked:
            score, score_params = "0", []
        # No join with catalog_paper per matching row (for its hidden flag): hidden papers are
        # dropped from the hits afterwards, as on SQLite.
        sql = (
            f"SELECT d.paper_id AS id, {score} AS score "
            f"FROM search_paperdocument d CROSS JOIN (SELECT {tsquery} AS query) q "
            "WHERE d.document @@ q.query"
        )
        return _ordered(
            sql,
            [*score_params, *params],
            id_column="d.paper_id",
            order_by=_PG_ORDER[order],
            allowed=allowed,
            limit=limit,
        )
    expression = fts5_expression(
        parsed, prune=not require_all, budget=budget, require_all=require_all, words=words, title_only=title_only
    )
    if expression is None:
        return None
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    # FTS5's own `rank` column, ordered inside the FTS module, and no join per matching row:
    # 80 ms instead of 380 ms for a 4-word query matching 46,746 of 74,728 papers.
    # bm25 is lower-is-better (negative); negate so every list sorts descending.
    if unranked:
        sql = "SELECT f.rowid AS id, 0.0 AS score FROM search_paper_fts f WHERE search_paper_fts MATCH %s"
    else:
        sql = (
            "SELECT f.rowid AS id, -f.rank AS score FROM search_paper_fts f "
            f"WHERE search_paper_fts MATCH %s AND f.rank MATCH 'bm25({weights})'"
        )
    return _ordered(sql, [expression], id_column="f.rowid", order_by=_FTS_ORDER[order], allowed=allowed, limit=limit)


def database_hits(parsed: ParsedQuery, allowed: QuerySet | None, *, limit: int, **how) -> list[tuple[int, float]]:
    """The database's own ranking (FTS5 bm25 / idf-weighted ts_rank), best first, higher is better;
    with order="newest" the newest matching papers, unranked (score 0), which costs the rows
    read, not every match scored; order="id" the same in the index's own order, oldest first.
    `words` replaces the query's (pruned) words; `title_only` (SQLite) matches titles only;
    `budget` and `require_all` as in keyword_hits. None for `allowed` means all visible papers
    (hidden ones are dropped from the hits instead of a subquery)."""
    built = _hits_sql(parsed, allowed, limit=limit, **how)
    if built is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*built)
        rows = [(row[0], float(row[1])) for row in cursor.fetchall()]
    if allowed is None and rows:  # hidden papers are rare: drop them from the page, not from every match
        hidden = Paper.objects.hidden_among(pid for pid, _ in rows)
        rows = [row for row in rows if row[0] not in hidden]
    return rows


def candidate_texts(parsed: ParsedQuery, allowed: QuerySet | None, *, limit: int, **how) -> list[tuple]:
    """(id, title, authors_text, abstract) of the visible papers among database_hits (same
    arguments), in no particular order: what rescore.py ranks, read in the query that finds them
    (a query apiece for the hits, their visibility and their texts cost 3 ms a search on
    PostgreSQL)."""
    built = _hits_sql(parsed, allowed, limit=limit, **how)
    if built is None:
        return []
    return _texts_of(RawSQL(f"SELECT hits.id FROM ({built[0]}) hits", built[1]))


def _texts_of(ids) -> list[tuple]:
    """(id, title, authors_text, abstract) of the visible papers among `ids` (a list or a subquery):
    the rows rescore.py ranks."""
    return list(Paper.objects.visible().filter(id__in=ids).values_list("id", "title", "authors_text", "abstract"))


def _ordered(
    sql: str, params: list, *, id_column: str, order_by: str, allowed: QuerySet | None, limit: int
) -> tuple[str, list]:
    """A `SELECT id, score … WHERE …` with the filters' allowed ids, the order and the limit."""
    params = list(params)
    if allowed is not None:
        allowed_sql, allowed_params = allowed.values("id").query.sql_with_params()
        sql += f" AND {id_column} IN ({allowed_sql})"
        params += list(allowed_params)
    return f"{sql} ORDER BY {order_by} LIMIT %s", [*params, limit]


def matching_ids(phrases: list[str], ids) -> set[int]:
    """Those of `ids` whose text contains any of the phrases (for -exclusions on meaning hits)."""
    ids = list(ids)
    if not phrases or not ids:
        return set()
    placeholders = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        tsquery = " || ".join(["phraseto_tsquery('english', %s)"] * len(phrases))
        sql = (
            f"SELECT paper_id FROM search_paperdocument WHERE document @@ ({tsquery}) AND paper_id IN ({placeholders})"
        )
        params = [*phrases, *ids]
    else:
        sql = f"SELECT rowid FROM search_paper_fts WHERE search_paper_fts MATCH %s AND rowid IN ({placeholders})"
        params = [" OR ".join(_fts_string(p) for p in phrases), *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}
