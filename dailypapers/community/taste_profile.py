""" "What we think you like": the papers that shape a member's "for you" model, most typical of
their taste first, and the edits a member makes to it (remove a paper from the model, put it
back). Removing one keeps the upvote or the saved copy; it only stops training the model, and
the model is retrained on the next "for you" (its signals' fingerprint changed).
"""

from __future__ import annotations

from collections import Counter

from dailypapers.catalog.models import Paper
from dailypapers.community.members import ensure_can_act
from dailypapers.community.models import TasteMute
from dailypapers.community.signals_of import signals_of
from dailypapers.community.taste import MIN_LIKED, taste_for, unit_vectors

# Words that say nothing about a topic in paper titles (beyond English stop words).
_PLAIN = set(
    "a an and are as at by for from in into is of on or the to with via using towards toward we our "
    "its it this that not can be do does how what when why new learning model models based approach".split()
)
TOP_WORDS = 12


def _words(title: str) -> set[str]:
    return {w.strip(".,:;()[]{}\"'?!").lower() for w in title.split()} - _PLAIN - {""}


def taste_profile(*, user) -> dict:
    """The member's liked papers with their signals and how typical each is of the model (`fit`,
    the classifier's margin), the papers they removed, and words recurring in liked titles."""
    signals = signals_of(user)
    taste = taste_for(user, signals)
    papers = Paper.objects.in_bulk(list(set(signals.liked) | signals.muted))
    shaping = [papers[pk] for pk in signals.shaping if pk in papers]
    fit: dict[int, float] = {}
    if taste is not None and shaping:
        vectors = unit_vectors([p.pk for p in shaping])
        fit = {pk: float(taste.score(vector[None, :])[0]) for pk, vector in vectors.items()}
    shaping.sort(key=lambda p: (-fit.get(p.pk, float("-inf")), p.title))
    words = Counter(word for paper in shaping for word in _words(paper.title))
    return {
        "items": [{"paper": p, "signals": signals.liked[p.pk], "fit": fit.get(p.pk)} for p in shaping],
        "muted": [papers[pk] for pk in sorted(signals.muted) if pk in papers],
        "words": [word for word, count in words.most_common(TOP_WORDS) if count > 1],
        "model": taste,
        "min_liked": MIN_LIKED,
        "not_interested_count": len(signals.not_interested),
    }


def stop_using(*, user, paper: Paper) -> None:
    """Remove the paper from what the model learns from (the upvote or saved copy stays)."""
    ensure_can_act(user)
    TasteMute.objects.get_or_create(user=user, paper=paper)


def use_again(*, user, paper: Paper) -> None:
    ensure_can_act(user)
    TasteMute.objects.filter(user=user, paper=paper).delete()
