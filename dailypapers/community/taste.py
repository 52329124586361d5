"""A member's "for you" model: a logistic-regression classifier over paper embeddings, one per
member, as arxiv-sanity-lite (an SVM per query over tf-idf) and Scholar Inbox (a linear model
per user over embeddings) do.

Positives are the papers the member liked (signals_of.py, weighted by signal); negatives are
the papers they marked "not interested" and a sample of papers they have not seen (the
"everything else" arxiv-sanity uses, sampled so training takes milliseconds). The classes are
balanced and the weights L2-regularised; training is Newton's method in numpy (at 384
dimensions and a few hundred examples it converges in under ten steps).

The model is stored per member (TasteModel) with a fingerprint of the signals it learnt from:
`taste_for` retrains when the fingerprint no longer matches (lazily, on the next "for you"),
and the worker's `retrain_changed` job retrains members whose signals changed since, so the
page rarely waits. Below MIN_LIKED liked papers with vectors there is no model: "for you"
falls back to follows and trending.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone

from dailypapers.catalog.models import Paper
from dailypapers.community.models import DigestOpen, TasteModel, TasteMute, Vote
from dailypapers.community.signals_of import Signals, signals_of
from dailypapers.library.models import CollectionItem, ReadingState
from dailypapers.search.embedder import MODEL_NAME
from dailypapers.search.service import paper_vectors

log = logging.getLogger(__name__)

MIN_LIKED = 2  # one liked paper is a query, not a taste: "more like this" answers it better
# Unseen papers sampled as negatives, from the NEGATIVE_POOL most recent: 500 measured as well
# as 1,000 and 2,000 on the eval profiles (docs/recommend.md) at a quarter of the time.
NEGATIVE_SAMPLE = 500
NEGATIVE_POOL = 20_000
NOT_INTERESTED_WEIGHT = 3.0  # an explicit "no" counts as three unseen papers
# L2 penalty on the weights (not the bias). 0.1 beat 1.0 and 0.01 in nDCG@10 on the eval profiles.
L2 = 0.1
# At most this many Newton steps: 8 (tolerance 1e-4) and 25 (1e-5) gave the same eval scores to 4 digits.
NEWTON_STEPS = 8


@dataclass
class Taste:
    """A trained model: score(vectors) is the classifier's margin (higher: more their taste)."""

    weights: np.ndarray
    bias: float
    positives: int
    negatives: int
    trained_at: dt.datetime

    def score(self, matrix: np.ndarray) -> np.ndarray:
        return matrix @ self.weights + self.bias


def unit_vectors(ids) -> dict[int, np.ndarray]:
    """Unit-length stored embeddings of these papers (papers not yet embedded are absent)."""
    out = {}
    for pk, vector in paper_vectors(list(ids)).items():
        vector = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        if norm > 0:
            out[int(pk)] = vector / norm
    return out


def fit_logistic(
    examples: np.ndarray, labels: np.ndarray, weights: np.ndarray, *, l2: float = L2
) -> tuple[np.ndarray, float]:
    """Weighted, L2-regularised logistic regression by Newton's method: (weights, bias)."""
    rows, dims = examples.shape
    design = np.hstack([examples.astype(np.float64), np.ones((rows, 1))])
    penalty = np.full(dims + 1, l2)
    penalty[-1] = 1e-6  # the bias is free (a tiny term keeps the Hessian invertible)
    theta = np.zeros(dims + 1)
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -30, 30)))
        gradient = design.T @ (weights * (p - labels)) + penalty * theta
        hessian = (design * (weights * p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if float(np.abs(step).max()) < 1e-4:
            break
    return theta[:-1].astype(np.float32), float(theta[-1])


def negative_sample(*, exclude: set[int], seed: str, size: int = NEGATIVE_SAMPLE) -> list[int]:
    """Unseen papers as negatives: a sample of the most recent visible papers, the same for the
    same signals (seeded), so a retrain on unchanged signals gives the same model."""
    pool = list(Paper.objects.visible().order_by("-pk").values_list("pk", flat=True)[:NEGATIVE_POOL])
    pool = [pk for pk in pool if pk not in exclude]
    return random.Random(seed).sample(pool, min(size, len(pool)))


def train(signals: Signals, *, negatives: list[int] | None = None) -> Taste | None:
    """A model from these signals, or None below MIN_LIKED liked papers with vectors."""
    shaping = signals.shaping
    if negatives is None:
        negatives = negative_sample(exclude=signals.seen | signals.muted, seed=signals.fingerprint())
    vectors = unit_vectors([*shaping, *signals.not_interested, *negatives])
    liked = [pk for pk in shaping if pk in vectors]
    if len(liked) < MIN_LIKED:
        return None
    disliked = [pk for pk in signals.not_interested if pk in vectors]
    unseen = [pk for pk in negatives if pk in vectors and pk not in shaping]
    if not unseen and not disliked:
        return None
    negative_weights = [NOT_INTERESTED_WEIGHT] * len(disliked) + [1.0] * len(unseen)
    positive_weights = np.array([shaping[pk] for pk in liked])
    positive_weights *= sum(negative_weights) / positive_weights.sum()  # balanced classes
    examples = np.stack([vectors[pk] for pk in [*liked, *disliked, *unseen]])
    labels = np.r_[np.ones(len(liked)), np.zeros(len(disliked) + len(unseen))]
    weights, bias = fit_logistic(examples, labels, np.r_[positive_weights, negative_weights])
    return Taste(weights, bias, len(liked), len(disliked) + len(unseen), timezone.now())


def _stored(row: TasteModel) -> Taste:
    return Taste(np.frombuffer(bytes(row.weights), dtype="<f4"), row.bias, row.positives, row.negatives, row.trained_at)


def taste_for(user, signals: Signals | None = None) -> Taste | None:
    """The member's model, retrained first when their signals changed since it was stored."""
    signals = signals if signals is not None else signals_of(user)
    fingerprint = signals.fingerprint()
    row = TasteModel.objects.filter(user=user).first()
    if row is not None and row.fingerprint == fingerprint and row.embedder == MODEL_NAME:
        return _stored(row) if row.positives else None
    taste = train(signals)
    values = {"embedder": MODEL_NAME, "fingerprint": fingerprint, "trained_at": timezone.now()}
    if taste is None:  # remember "too few signals" too, so the next page does not try again
        values.update(weights=b"", bias=0.0, positives=0, negatives=0)
    else:
        values.update(
            weights=taste.weights.astype("<f4").tobytes(),
            bias=taste.bias,
            positives=taste.positives,
            negatives=taste.negatives,
        )
    try:
        with transaction.atomic():
            TasteModel.objects.update_or_create(user=user, defaults=values)
    except IntegrityError:  # two pages trained at once and the other stored first: the same model
        pass
    return taste


def changed_members(since: dt.datetime | None) -> set[int]:
    """Ids of members with a signal newer than `since` (all with any signal when None)."""
    sources = [
        (Vote.objects, "created_at", "user_id"),
        (CollectionItem.objects, "added_at", "collection__owner_id"),
        (ReadingState.objects, "updated_at", "user_id"),
        (DigestOpen.objects, "opened_at", "user_id"),
        (TasteMute.objects, "created_at", "user_id"),
    ]
    ids: set[int] = set()
    for manager, moment, member in sources:
        rows = manager.filter(**{f"{moment}__gt": since}) if since else manager.all()
        ids.update(rows.values_list(member, flat=True).distinct())
    return ids


# The worker job runs every 10 minutes (settings.DAILYPAPERS_SCHEDULE); looking back an hour
# covers runs that were late or failed. A member whose model is current costs five queries.
LOOKBACK = dt.timedelta(hours=1)


def retrain_changed(*, limit: int = 500) -> dict:
    """Worker job: retrain the models of members with a signal in the last LOOKBACK whose
    fingerprint changed, and of members with signals but no model yet. (A removed signal, such
    as an unvote, is caught by the fingerprint on the member's next page.) At most `limit`
    members a run; the next run goes on."""
    from django.contrib.auth import get_user_model

    wanted = changed_members(timezone.now() - LOOKBACK)
    wanted |= changed_members(None) - set(TasteModel.objects.values_list("user_id", flat=True))
    retrained = 0
    for user in get_user_model().objects.filter(pk__in=sorted(wanted)[:limit]):
        before = TasteModel.objects.filter(user=user).values_list("fingerprint", flat=True).first()
        taste_for(user)
        retrained += TasteModel.objects.filter(user=user).values_list("fingerprint", flat=True).first() != before
    return {"checked": min(len(wanted), limit), "retrained": retrained, "waiting": max(0, len(wanted) - limit)}
