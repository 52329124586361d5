"""What a member has told us about their taste, gathered in one place for "for you".

Positive signals, strongest first: a paper saved in one of their collections or upvoted,
opened from one of their digests, marked read. "Not interested" is the one negative signal
and such a paper is never recommended. Papers the member removed from "what we think you
like" (TasteMute) keep their upvote or place in a collection but stop shaping the model.
Five queries, whatever the member's history.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from dailypapers.catalog.models import visible_filter
from dailypapers.community.models import DigestOpen, TasteMute, Vote
from dailypapers.library.models import CollectionItem, ReadingState
from dailypapers.library.reading import reading_states

SAVED, UPVOTED, OPENED, READ = "saved", "upvoted", "opened", "read"
# Weight of each signal in the model's training loss. Saving and upvoting are deliberate
# (as Scholar Inbox's thumbs-up); an open from a digest says "looked interesting", a read mark
# says little about wanting more of the same, so they count less.
WEIGHTS = {SAVED: 1.0, UPVOTED: 1.0, OPENED: 0.5, READ: 0.3}
# Per signal, the most recent this many count: an old account's taste drifts, and training
# stays a few milliseconds.
MAX_PER_SIGNAL = 300


@dataclass
class Signals:
    liked: dict[int, tuple[str, ...]] = field(default_factory=dict)  # paper id -> signals, strongest first
    not_interested: set[int] = field(default_factory=set)
    muted: set[int] = field(default_factory=set)

    def weight(self, paper_id: int) -> float:
        return max(WEIGHTS[kind] for kind in self.liked[paper_id])

    @property
    def shaping(self) -> dict[int, float]:
        """Liked papers that train the model, with their weights (muted ones left out)."""
        return {pk: self.weight(pk) for pk in self.liked if pk not in self.muted and pk not in self.not_interested}

    @property
    def seen(self) -> set[int]:
        """Papers never recommended: the member already has them, or said no."""
        return set(self.liked) | self.not_interested

    def fingerprint(self) -> str:
        text = repr((sorted(self.shaping.items()), sorted(self.not_interested)))
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def __bool__(self) -> bool:
        return bool(self.liked or self.not_interested)


def signals_of(user) -> Signals:
    signals = Signals()
    found: dict[int, list[str]] = {}

    def add(kind: str, ids) -> None:
        for pk in ids:
            found.setdefault(pk, []).append(kind)

    visible = visible_filter("paper__")
    add(
        SAVED,
        CollectionItem.objects.filter(visible, collection__owner=user)
        .order_by("-added_at")
        .values_list("paper_id", flat=True)[:MAX_PER_SIGNAL],
    )
    add(
        UPVOTED,
        Vote.objects.filter(visible, user=user)
        .order_by("-created_at")
        .values_list("paper_id", flat=True)[:MAX_PER_SIGNAL],
    )
    add(
        OPENED,
        DigestOpen.objects.filter(visible, user=user)
        .order_by("-opened_at")
        .values_list("paper_id", flat=True)[:MAX_PER_SIGNAL],
    )
    for pk, state in reading_states(user).items():  # the library's one read of the states
        if state == ReadingState.NOT_INTERESTED:
            signals.not_interested.add(pk)
        elif state == ReadingState.READ:
            add(READ, [pk])
    order = [SAVED, UPVOTED, OPENED, READ]
    signals.liked = {pk: tuple(sorted(set(kinds), key=order.index)) for pk, kinds in found.items()}
    signals.muted = set(TasteMute.objects.filter(user=user).values_list("paper_id", flat=True))
    return signals
