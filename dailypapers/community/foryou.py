""" "For you": a personal feed learned from the member's signals, every paper with its reason.

`rank_papers` is the one ranking function: the page, the feed, the digest, the API, MCP and
`dailypapers eval recommend` all rank through it, and differ only in the candidates they give.

1. The model (taste.py; a classifier over paper embeddings trained from saves, upvotes, digest
   opens and reads, with "not interested" and unseen papers as negatives). A candidate's score
   is the model's margin plus its similarity to the nearest liked paper (both standardised
   over the candidates), plus FOLLOW_BONUS when it matches a follow. The reason names the
   liked papers nearest to it ("Like “X” and “Y” that you saved").
   With one liked paper (below taste.MIN_LIKED) the similarity alone ranks.
2. Without vectors (no liked paper, or the embedder never ran): papers matching a
   follow (an author, category, topic, keyword or organisation) or sharing an author or
   primary category with a liked paper, each saying which,
   then (with `fill`) the candidates in trending order.
Papers the member liked or marked "not interested" are never recommended. A member with no
signal and no follow gets `start_here` instead of papers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from dailypapers.catalog import clock
from dailypapers.catalog.feed import feed_papers
from dailypapers.catalog.matching import AUTHOR, CATEGORY, KEYWORD, TOPIC, author_spellings, paper_matches
from dailypapers.catalog.models import Paper
from dailypapers.catalog.windows import Window
from dailypapers.community.follows import follows_of
from dailypapers.community.models import Follow, OrganisationPaper
from dailypapers.community.signals_of import OPENED, READ, SAVED, UPVOTED, Signals, signals_of
from dailypapers.community.taste import Taste, taste_for, unit_vectors

CANDIDATE_DAYS = 30  # recent enough to be news; HF's monthly list covers the same span
MAX_CANDIDATES = 3000  # the hottest recent papers; scoring 3,000 vectors takes ~1 ms
# Weight of "close to one liked paper" beside the model's margin: a member's taste has several
# topics, which a linear model blurs and the nearest liked paper keeps. Both standardised;
# nDCG@10 on the eval profiles in docs/recommend.md.
NEAREST_WEIGHT = 1.0
FOLLOW_BONUS = 1.0  # in standard deviations of the score: a followed author or topic goes up
REASON_SIMILARITY = 0.35  # a liked paper named as the reason must be at least this close
VERBS = {SAVED: "saved", UPVOTED: "upvoted", OPENED: "opened from a digest", READ: "read"}
AUTHOR_SPELLINGS = "author_spellings"  # in the follows a ranking passes around: {name: its spellings}
TRENDING_REASON = "Trending now (save or upvote papers to teach this feed what you like)"


def _standardised(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 0 else values * 0.0


def _title(paper: Paper) -> str:
    return f"“{paper.title[:80]}”"


def like_reason(because: list[Paper], signals: Signals) -> str:
    """'Like “X” and “Y” that you saved' (grouped by the strongest signal of each)."""
    verbs = [VERBS[signals.liked[p.pk][0]] for p in because]
    if len(set(verbs)) == 1:
        return f"Like {' and '.join(_title(p) for p in because)} that you {verbs[0]}"
    return "Like " + " and ".join(f"{_title(p)}, which you {verb}" for p, verb in zip(because, verbs, strict=True))


def followed_organisations(follows: dict[str, list[str]], paper_ids: list[int]) -> dict[int, str]:
    """{paper id: organisation name} for the candidates on followed organisations' pages (one
    query; an organisation's papers are a table of ours, not a property of the paper, so not
    catalog/matching.py's)."""
    if not follows[Follow.ORG]:
        return {}
    rows = OrganisationPaper.objects.filter(organisation__slug__in=follows[Follow.ORG], paper_id__in=paper_ids)
    return dict(rows.order_by("-organisation__name").values_list("paper_id", "organisation__name"))


def follow_reason(
    paper: Paper,
    follows: dict[str, list[str]],
    liked: list[Paper],
    signals: Signals,
    organisations: dict[int, str] | None = None,
) -> str | None:
    names = {name.lower() for name in paper.author_names}
    spellings = follows.get(AUTHOR_SPELLINGS) or {}
    for author in follows[AUTHOR]:
        if paper_matches(AUTHOR, author, paper, spellings=spellings.get(author)):
            return f"By {author}, whom you follow"
    for topic in follows[TOPIC]:
        if paper_matches(TOPIC, topic, paper):
            return f"Matches topic “{topic}”, which you follow"
    for keyword in follows[KEYWORD]:
        if paper_matches(KEYWORD, keyword, paper):
            return f"Keyword “{keyword}”, which you follow"
    if organisations and paper.pk in organisations:
        return f"From {organisations[paper.pk]}, which you follow"
    for category in follows[CATEGORY]:
        if paper_matches(CATEGORY, category, paper):
            return f"In category {category}, which you follow"
    for other in liked:
        if names & {name.lower() for name in other.author_names}:
            return f"Shares an author with {_title(other)}, which you {VERBS[signals.liked[other.pk][0]]}"
    for other in liked:
        if other.primary_category and other.primary_category == paper.primary_category:
            return f"In {paper.primary_category}, like {_title(other)}, which you {VERBS[signals.liked[other.pk][0]]}"
    return None


def _by_meaning(
    taste: Taste | None, pool: list[Paper], liked: list[Paper], follows, signals: Signals, organisations, *, limit: int
) -> list[dict]:
    vectors = unit_vectors([p.pk for p in pool] + [p.pk for p in liked])
    liked = [p for p in liked if p.pk in vectors]
    scored = [p for p in pool if p.pk in vectors]
    if not scored or not liked:
        return []
    matrix = np.stack([vectors[p.pk] for p in scored])
    similarity = matrix @ np.stack([vectors[p.pk] for p in liked]).T
    score = NEAREST_WEIGHT * _standardised(similarity.max(axis=1))
    if taste is not None:
        score += _standardised(taste.score(matrix))
    reasons = [follow_reason(p, follows, [], signals, organisations) for p in scored]
    score += FOLLOW_BONUS * np.array([reason is not None for reason in reasons])
    items = []
    for index in np.argsort(-score, kind="stable")[:limit]:  # reasons only for what is shown
        paper, row = scored[index], similarity[index]
        nearest = [liked[j] for j in np.argsort(-row)[:2] if row[j] >= REASON_SIMILARITY] or [liked[int(row.argmax())]]
        reason = (
            reasons[index] if reasons[index] and reasons[index].startswith("By ") else like_reason(nearest, signals)
        )
        items.append({"paper": paper, "score": float(score[index]), "reason": reason, "because": nearest})
    return items


def _without_model(
    pool: list[Paper], liked: list[Paper], follows, signals: Signals, organisations, *, fill: bool
) -> list[dict]:
    matched, rest = [], []
    for paper in pool:
        reason = follow_reason(paper, follows, liked[:20], signals, organisations)
        if reason:
            matched.append({"paper": paper, "score": None, "reason": reason, "because": []})
        elif fill:
            rest.append({"paper": paper, "score": None, "reason": TRENDING_REASON, "because": []})
    return matched + rest


def rank_papers(
    *, user, candidates: list[Paper], limit: int, fill: bool = True, use_model: bool = True, signals=None
) -> list[dict]:
    """The member's ranking of `candidates` (best first), as {paper, score, reason, because}.
    `use_model=False` gives the fallback ranking (what a member with few signals sees)."""
    signals = signals if signals is not None else signals_of(user)
    follows = follows_of(user)
    follows = {**follows, AUTHOR_SPELLINGS: author_spellings(follows[AUTHOR])}  # merged spellings too
    pool = [p for p in candidates if p.pk not in signals.seen]
    shaping = signals.shaping
    liked = list(Paper.objects.filter(pk__in=list(shaping))) if shaping else []
    organisations = followed_organisations(follows, [p.pk for p in pool])
    items = []
    if use_model and liked:  # one liked paper ranks by closeness alone; two or more train the model
        items = _by_meaning(taste_for(user, signals), pool, liked, follows, signals, organisations, limit=limit)
    if len(items) < limit:  # papers without vectors yet, or no meaning at all: follows, then trending
        seen = {item["paper"].pk for item in items}
        rest = [p for p in pool if p.pk not in seen]
        items += _without_model(rest, liked, follows, signals, organisations, fill=fill)
    return items[:limit]


def for_you(*, user, today: dt.date | None = None, limit: int = 30, fill: bool = True) -> dict:
    """The member's "for you" feed among papers featured in the last CANDIDATE_DAYS."""
    today = today or clock.today()  # the newest listing day when the catalogue is behind
    signals = signals_of(user)
    follows = follows_of(user)
    upvoted_count = sum(1 for kinds in signals.liked.values() if UPVOTED in kinds)
    summary = {"follows": follows, "upvoted_count": upvoted_count, "liked_count": len(signals.shaping)}
    if not signals.liked and not any(follows.values()):
        return {"items": [], "start_here": True, "model": False, **summary}
    recent = Window(today - dt.timedelta(days=CANDIDATE_DAYS), today)
    candidates = list(feed_papers(recent, sort="trending")[:MAX_CANDIDATES])
    items = rank_papers(user=user, candidates=candidates, limit=limit, fill=fill, signals=signals)
    return {"items": items, "start_here": False, "model": any(item["because"] for item in items), **summary}
