"""How well "for you" recommends, measured offline through the real ranking code.

A benchmark folder holds a corpus (corpus.jsonl[.gz] in BEIR form: `_id`, `title`, `text`; as
`dailypapers eval` reads it) and profiles.jsonl, one simulated member a line:
`{"_id": …, "liked": [corpus ids], "relevant": [corpus ids]}`. For each profile a member who
upvoted `liked` is made in the (scratch) database and three rankings of the rest of the corpus
are scored against `relevant`:

- `model`: `foryou.rank_papers`, exactly as the site ranks (taste model + nearest liked paper);
- `mean_embedding`: the plain baseline, cosine similarity to the mean of the liked papers' vectors;
- `fallback`: `rank_papers(use_model=False)`, what a member with too few signals sees (follows,
  then trending; eval papers have no upvotes, so the newest first).

Metrics as in search/evaluation.py: nDCG@10, Recall@50, MRR@10, averaged over profiles.
bench/recommend_profiles.py builds such a folder from the shared arXiv corpus.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dailypapers.catalog.models import Paper
from dailypapers.community.foryou import rank_papers
from dailypapers.community.models import TasteModel, Vote
from dailypapers.community.taste import unit_vectors
from dailypapers.search.evaluation import ID_PREFIX, BenchmarkError, mrr_at, ndcg_at, recall_at

RANKINGS = ("model", "mean_embedding", "fallback")
DEPTH = 50  # Recall@50 needs the top 50
MEMBER_PREFIX = "eval-profile-"


def read_profiles(folder: Path) -> list[dict]:
    path = folder / "profiles.jsonl"
    if not path.is_file():
        raise BenchmarkError(f"{folder}: profiles.jsonl not found")
    profiles = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                profile = {
                    "_id": str(record["_id"]),
                    "liked": [str(i) for i in record["liked"]],
                    "relevant": [str(i) for i in record["relevant"]],
                }
            except (ValueError, KeyError, TypeError) as exc:
                raise BenchmarkError(
                    f'{path}:{number}: expected {{"_id", "liked": [...], "relevant": [...]}} ({exc})'
                ) from None
            if not profile["liked"] or not profile["relevant"]:
                raise BenchmarkError(f"{path}:{number}: profile {profile['_id']!r} needs liked and relevant papers")
            profile["line"] = number
            profiles.append(profile)
    if not profiles:
        raise BenchmarkError(f"{path}: no profiles")
    return profiles


def _member(index: int):
    user, _ = get_user_model().objects.get_or_create(username=f"{MEMBER_PREFIX}{index}")
    return user


def _like(user, papers: list[Paper]) -> None:
    """The member's signals become exactly these upvotes (a re-run starts from the same state)."""
    with transaction.atomic():
        Vote.objects.filter(user=user).delete()
        TasteModel.objects.filter(user=user).delete()
        now = timezone.now()
        Vote.objects.bulk_create([Vote(user=user, paper=paper, created_at=now) for paper in papers])


def mean_embedding_ranking(liked: list[Paper], candidates: list[Paper], vectors: dict) -> list[Paper]:
    """The plain baseline: cosine similarity to the centroid of the liked papers' unit vectors."""
    centroid = np.mean([vectors[p.pk] for p in liked if p.pk in vectors], axis=0)
    pool = [p for p in candidates if p.pk in vectors]
    scores = np.stack([vectors[p.pk] for p in pool]) @ centroid
    return [pool[i] for i in np.argsort(-scores, kind="stable")[:DEPTH]]


def evaluate(folder: Path, *, progress: Callable[[str], None] | None = None) -> dict[str, dict[str, float]]:
    """Score the three rankings over every profile (the corpus must already be loaded and embedded)."""
    profiles = read_profiles(folder)
    papers = list(Paper.objects.filter(arxiv_id__startswith=ID_PREFIX).order_by("-pk"))  # newest first
    by_id = {p.arxiv_id.removeprefix(ID_PREFIX): p for p in papers}
    vectors = unit_vectors([p.pk for p in papers])
    if not vectors:
        raise BenchmarkError("no paper of the corpus has an embedding: the embedder did not run")
    sums = {name: np.zeros(3) for name in RANKINGS}
    for index, profile in enumerate(profiles):
        missing = [i for i in profile["liked"] + profile["relevant"] if i not in by_id]
        if missing:
            raise BenchmarkError(f"profiles.jsonl:{profile['line']}: ids not in the corpus: {', '.join(missing[:5])}")
        liked = [by_id[i] for i in profile["liked"]]
        liked_ids = {p.pk for p in liked}
        relevant = {i: 1 for i in profile["relevant"] if i not in profile["liked"]}
        candidates = [p for p in papers if p.pk not in liked_ids]
        member = _member(index)
        _like(member, liked)
        runs = {
            "model": [item["paper"] for item in rank_papers(user=member, candidates=candidates, limit=DEPTH)],
            "mean_embedding": mean_embedding_ranking(liked, candidates, vectors),
            "fallback": [
                item["paper"] for item in rank_papers(user=member, candidates=candidates, limit=DEPTH, use_model=False)
            ],
        }
        for name, ranked in runs.items():
            ids = [p.arxiv_id.removeprefix(ID_PREFIX) for p in ranked]
            sums[name] += [ndcg_at(ids, relevant, 10), recall_at(ids, relevant, DEPTH), mrr_at(ids, relevant, 10)]
        if progress and (index + 1) % 10 == 0:
            progress(f"{index + 1}/{len(profiles)} profiles")
    return {
        name: dict(
            zip(("ndcg@10", "recall@50", "mrr@10"), (round(float(v), 4) for v in total / len(profiles)), strict=True)
        )
        for name, total in sums.items()
    }
