""" "For you": a personal feed learned from the member's upvotes, every paper with its reason.

1. Meaning (when the search app can give paper embeddings): the centroid of the member's
   upvoted papers' unit vectors scores recent featured papers by cosine similarity, as
   arxiv-sanity ranks by an SVM over tf-idf; the reason names the upvoted paper nearest to
   the candidate ("because you upvoted …").
2. Follows and upvote neighbours (always): papers in followed categories, by followed
   authors, matching followed topics, carrying followed keywords, of followed organisations
   (community.orgs; a table of ours, not a property of the paper, so not catalog/matching.py's),
   or sharing an author or primary category with an upvoted paper.
A member with neither upvotes nor follows gets `start_here` instead of papers.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np

from dailypapers.catalog import clock
from dailypapers.catalog.feed import feed_papers
from dailypapers.catalog.matching import AUTHOR, CATEGORY, KEYWORD, TOPIC, paper_matches
from dailypapers.catalog.windows import Window
from dailypapers.community.follows import follows_of
from dailypapers.community.models import Follow, OrganisationPaper, Vote
from dailypapers.library.reading import hidden_paper_ids
from dailypapers.search.service import paper_vectors

log = logging.getLogger(__name__)
CANDIDATE_DAYS = 30  # recent enough to be news; HF's monthly list covers the same span
MAX_CANDIDATES = 3000  # the hottest recent papers; scoring 3,000 vectors takes ~1 ms
MAX_UPVOTED = 200  # the member's most recent upvotes that shape the centroid


def _vectors(ids: list[int]) -> dict[int, np.ndarray]:
    """Unit vectors of `ids` from the search app; {} when it has none (embedder absent)."""
    try:
        found = paper_vectors(ids)
    except Exception:  # the feed must answer even when the vector index is broken
        log.exception("paper_vectors failed; 'for you' falls back to follows")
        return {}
    pairs = found.items() if isinstance(found, dict) else zip(*found, strict=False) if isinstance(found, tuple) else []
    out = {}
    for pid, vec in pairs:
        v = np.asarray(vec, dtype=np.float32)
        norm = float(np.linalg.norm(v))
        if norm > 0:
            out[int(pid)] = v / norm
    return out


def _by_meaning(upvoted, candidates, limit: int) -> list[dict]:
    vectors = _vectors([p.pk for p in upvoted] + [p.pk for p in candidates])
    liked = [p for p in upvoted if p.pk in vectors]
    pool = [p for p in candidates if p.pk in vectors]
    if not liked or not pool:
        return []
    liked_matrix = np.stack([vectors[p.pk] for p in liked])
    pool_matrix = np.stack([vectors[p.pk] for p in pool])
    centroid = liked_matrix.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    scores = pool_matrix @ centroid
    nearest = (pool_matrix @ liked_matrix.T).argmax(axis=1)
    items = []
    for index in np.argsort(-scores)[:limit]:
        because = liked[int(nearest[index])]
        items.append(
            {
                "paper": pool[int(index)],
                "score": float(scores[index]),
                "reason": f"Because you upvoted “{because.title[:80]}”",
                "because": because,
            }
        )
    return items


def _followed_organisations(follows: dict[str, list[str]], paper_ids: list[int]) -> dict[int, str]:
    """{paper id: organisation name} for the candidates on followed organisations' pages (one query)."""
    if not follows[Follow.ORG]:
        return {}
    rows = OrganisationPaper.objects.filter(organisation__slug__in=follows[Follow.ORG], paper_id__in=paper_ids)
    return dict(rows.order_by("-organisation__name").values_list("paper_id", "organisation__name"))


def _follow_reason(paper, follows: dict[str, list[str]], upvoted, organisations: dict[int, str]) -> str | None:
    if paper.pk in organisations:
        return f"From {organisations[paper.pk]}, which you follow"
    names = {name.lower() for name in paper.author_names}
    for category in follows[CATEGORY]:
        if paper_matches(CATEGORY, category, paper):
            return f"In category {category}, which you follow"
    for author in follows[AUTHOR]:
        if paper_matches(AUTHOR, author, paper):
            return f"By {author}, whom you follow"
    for topic in follows[TOPIC]:
        if paper_matches(TOPIC, topic, paper):
            return f"Matches topic “{topic}”"
    for keyword in follows[KEYWORD]:
        if paper_matches(KEYWORD, keyword, paper):
            return f"Keyword “{keyword}”, which you follow"
    for liked in upvoted:
        shared = names & {name.lower() for name in liked.author_names}
        if shared:
            return f"Shares an author with “{liked.title[:80]}”, which you upvoted"
    for liked in upvoted:
        if liked.primary_category and liked.primary_category == paper.primary_category:
            return f"In {paper.primary_category}, like “{liked.title[:80]}”, which you upvoted"
    return None


def for_you(*, user, today: dt.date | None = None, limit: int = 30) -> dict:
    today = today or clock.today()  # the newest listing day when the catalogue is behind
    upvoted = [
        v.paper for v in Vote.objects.filter(user=user).select_related("paper").order_by("-created_at")[:MAX_UPVOTED]
    ]
    follows = follows_of(user)
    has_follows = any(follows.values())
    if not upvoted and not has_follows:
        return {"items": [], "start_here": True, "follows": follows, "upvoted_count": 0}
    voted_ids = {p.pk for p in upvoted} | hidden_paper_ids(user)  # "not interested" never comes back
    recent = Window(today - dt.timedelta(days=CANDIDATE_DAYS), today)
    candidates = [p for p in feed_papers(recent, sort="trending")[:MAX_CANDIDATES] if p.pk not in voted_ids]
    items = _by_meaning(upvoted, candidates, limit) if upvoted else []
    seen = {item["paper"].pk for item in items}
    organisations = _followed_organisations(follows, [p.pk for p in candidates])
    for paper in candidates:
        if len(items) >= limit:
            break
        if paper.pk in seen:
            continue
        reason = _follow_reason(paper, follows, upvoted[:20], organisations)
        if reason:
            items.append({"paper": paper, "score": None, "reason": reason, "because": None})
            seen.add(paper.pk)
    return {"items": items, "start_here": False, "follows": follows, "upvoted_count": len(upvoted)}
