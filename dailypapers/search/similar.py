"""Similar papers from the keyword index, for a paper not embedded yet.

Until `dailypapers index` reaches a paper, its page would have no similar papers at all. Its
title and the words its abstract repeats most, OR-ed through the keyword index (BM25 ranks
papers sharing more and rarer of them first), give a list that is honest to label "shares
words with this paper". The keyword query keeps the rarest words while together they match
at most keyword.posting_cap() papers (keyword.selective_words), so its cost does not grow with the
catalogue, and rare shared words are the topical ones anyway.
"""

from __future__ import annotations

from collections import Counter

from dailypapers.search.coverage import index_coverage
from dailypapers.search.keyword import HYBRID_MATCH_BUDGET, database_hits, posting_cap
from dailypapers.search.query import MAX_WORDS, STOPWORDS, ParsedQuery, words_of

# Words shorter than this ("we", "3d", "x") say little about a topic.
MIN_WORD_CHARS = 3


def topic_words(title: str, abstract: str) -> list[str]:
    """The title's words, then the abstract's by how often it repeats them, at most MAX_WORDS."""

    def useful(word: str) -> bool:
        return len(word) >= MIN_WORD_CHARS and not word.isdigit() and word.casefold() not in STOPWORDS

    chosen: dict[str, str] = {}
    for word in words_of(title):
        if useful(word):
            chosen.setdefault(word.casefold(), word)
    counts = Counter(word.casefold() for word in words_of(abstract or "") if useful(word))
    for word, _ in counts.most_common():  # most_common keeps first-seen order among equal counts
        if len(chosen) >= MAX_WORDS:
            break
        chosen.setdefault(word, word)
    return list(chosen.values())[:MAX_WORDS]


def keyword_neighbours(paper, *, limit: int) -> list[tuple[int, float]]:
    """(paper id, BM25 score) of the papers sharing most words with `paper`, itself excluded."""
    words = topic_words(paper.title, paper.abstract)
    if not words:
        return []
    parsed = ParsedQuery(text=paper.title, words=words)
    # Keyword search costs about 1.8 µs per matching paper (keyword.py). Within the hybrid budget
    # alone (a share: 20 % of the papers) this query cost 450 ms of CPU at p50 on a million
    # papers; keyword search's posting cap (15,000 on SQLite, 4,000 on PostgreSQL) bounds it.
    budget = min(HYBRID_MATCH_BUDGET, posting_cap() / max(index_coverage().papers, 1))
    hits = database_hits(parsed, None, limit=limit + 1, budget=budget)  # the index's own BM25: no rescoring of 32 words
    return [(pid, score) for pid, score in hits if pid != paper.pk][:limit]
