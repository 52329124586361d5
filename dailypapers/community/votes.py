"""Casting votes: the one function that writes Vote rows and the counters derived from them.

States and transitions (one row per member and paper, unique constraint `vote_one_per_member`):

    | before   | cast_vote(up=True)   | cast_vote(up=False) |
    | no vote  | insert the row       | nothing             |
    | voted    | nothing (idempotent) | delete the row      |

After either, in the same transaction, Paper.upvotes is recounted from the votes table (never
incremented, so it cannot drift) and Paper.hotness is recomputed from it. The paper row is
locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions hold the
database write lock), so concurrent votes on one paper serialise: twenty clicks by one member
end as one vote, and votes by many members are all counted.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dailypapers.catalog.models import Paper, visible_filter
from dailypapers.catalog.pagecache import papers_changed
from dailypapers.community.members import ensure_can_act
from dailypapers.community.models import Vote
from dailypapers.community.ranking import paper_hotness


def cast_vote(*, user, paper_id: int, up: bool = True, now=None) -> dict:
    """Add (`up`) or remove the member's vote; return {"upvotes", "voted", "hotness"}."""
    ensure_can_act(user)
    with transaction.atomic():
        paper = Paper.objects.select_for_update().only("id", "featured_on", "published", "created_at").get(pk=paper_id)
        if up:
            # INSERT … ON CONFLICT DO NOTHING (PostgreSQL) / INSERT OR IGNORE (SQLite): a vote
            # that exists stays one row, with no savepoint or extra round trip.
            Vote.objects.bulk_create(
                [Vote(user=user, paper=paper, created_at=now or timezone.now())], ignore_conflicts=True
            )
        else:
            Vote.objects.filter(user=user, paper=paper).delete()
        upvotes = Vote.objects.filter(paper=paper).count()
        hot = paper_hotness(paper, upvotes=upvotes)
        Paper.objects.filter(pk=paper.pk).update(upvotes=upvotes, hotness=hot)
        papers_changed()
    return {"upvotes": upvotes, "voted": up, "hotness": hot}


def refresh_paper_counters(paper_ids) -> int:
    """Recount upvotes and recompute hotness of `paper_ids` (after a featured date changes)."""
    done = 0
    for paper_id in paper_ids:
        with transaction.atomic():
            paper = Paper.objects.select_for_update().get(pk=paper_id)
            upvotes = Vote.objects.filter(paper=paper).count()
            Paper.objects.filter(pk=paper.pk).update(upvotes=upvotes, hotness=paper_hotness(paper, upvotes=upvotes))
            papers_changed()
            done += 1
    return done


def voted_paper_ids(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return set(Vote.objects.filter(user=user).values_list("paper_id", flat=True))


def upvoted_papers(user, *, limit: int | None = None) -> list[Paper]:
    """The visible papers `user` upvoted, latest vote first (their profile, their BibTeX export)."""
    votes = Vote.objects.filter(visible_filter("paper__"), user=user).select_related("paper").order_by("-created_at")
    return [vote.paper for vote in (votes[:limit] if limit else votes)]
