"""A member's reading state per paper: `read` (cards dim it in every list) or `not_interested`
(hidden from "for you" and the personal digest, which reads "for you"). One row per member and
paper; clearing the state deletes it. The recommender reads the rows as signals (`updated_at`
says when).

`reading_states` is the one read of the rows: cards load it once per request for all cards of
a page, and "for you" (community/signals_of.py) reads it as signals, never recommending a
"not interested" paper. `hidden_paper_ids` is the "not interested" part alone.
"""

from __future__ import annotations

from dailypapers.catalog.models import Paper
from dailypapers.library.collections import LibraryError
from dailypapers.library.models import ReadingState

STATES = {value for value, _ in ReadingState.STATES}


def set_reading_state(*, user, paper: Paper, state: str) -> ReadingState:
    if state not in STATES:
        raise LibraryError(f"state: {state[:30]!r} is not one of {', '.join(sorted(STATES))}")
    row, _ = ReadingState.objects.update_or_create(user=user, paper=paper, defaults={"state": state})
    return row


def clear_reading_state(*, user, paper: Paper) -> None:
    ReadingState.objects.filter(user=user, paper=paper).delete()


def reading_states(user, paper_ids=None) -> dict[int, str]:
    """Paper id -> state for the member (one query), for `paper_ids` or all their papers."""
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = ReadingState.objects.filter(user=user)
    if paper_ids is not None:
        rows = rows.filter(paper_id__in=list(paper_ids))
    return dict(rows.values_list("paper_id", "state"))


def hidden_paper_ids(user) -> set[int]:
    """Papers the member marked "not interested": kept out of "for you" and personal digests."""
    if not getattr(user, "is_authenticated", False):
        return set()
    rows = ReadingState.objects.filter(user=user, state=ReadingState.NOT_INTERESTED)
    return set(rows.values_list("paper_id", flat=True))
