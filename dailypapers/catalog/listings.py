"""What a listing is: a new submission, a cross-list or a replacement, and how its card says so.

arXiv's daily listing has three parts: new submissions, cross-lists (a paper whose primary
category is another one), and replacements (a new version of an older paper). The metadata
we ingest keeps only the paper's arXiv id, its categories (primary first) and its listing
day, so the kind is read from those:

- the arXiv id's yymm is the month the first version was submitted. A new submission is
  listed the next weekday, so in the same month, or early the next one when it was sent on a
  month's last days. The shared corpus (74,728 listings, 2025-03 to 2026-07) has 70,489
  listings in the id's month and 4,182 in the month after, 4,178 of them by the 6th (the
  New Year break is the longest gap); the other 4 (listed the 13th to the 25th) and the 57
  listed 3 to 82 months later (2008.03186 on 2026-06-15) are replacements. So: new when
  listed in the id's month, or in the next month by its LATE_LISTING_LAST_DAY-th day.
  An old-style id (hep-th/9901001) is from before 2007 and always a replacement;
- a cross-list is a new submission seen in a category feed that is not its primary category.

`listing_kind` is the rule. Whether a listing is a replacement depends only on the arXiv id
and the first listing day, which never change, so it is stored when a paper is created
(`Paper.is_replacement`, set by `set_replacement_flags` for ingested rows and by Paper.save)
and feeds sort on that column through their index; `listing_rank` adds the cross-list part,
which depends on the category a feed shows.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, IntegerField, Value, When

NEW, CROSS_LIST, REPLACEMENT = "new", "cross-list", "replacement"
RANKS = {NEW: 0, CROSS_LIST: 1, REPLACEMENT: 2}  # feed order: new first, replacements last
KINDS = {rank: kind for kind, rank in RANKS.items()}
LATE_LISTING_LAST_DAY = 7


def submitted_month(arxiv_id: str) -> date | None:
    """The first day of the month the id was handed out: 2008.03186 -> 2020-08-01."""
    digits = arxiv_id.rsplit("/", 1)[-1][:4]
    if not digits.isdigit() or not 1 <= int(digits[2:]) <= 12:
        return None
    year = int(digits[:2])
    return date((2000 if "/" not in arxiv_id or year < 91 else 1900) + year, int(digits[2:]), 1)


def listing_kind(
    *, arxiv_id: str, listing_date: date | None, primary_category: str = "", category: str | None = None
) -> str:
    """NEW, CROSS_LIST (only with a `category` feed filter) or REPLACEMENT."""
    if listing_date is not None:
        month = submitted_month(arxiv_id)
        if "/" in arxiv_id or month is None:
            return REPLACEMENT
        lag = (listing_date.year - month.year) * 12 + listing_date.month - month.month
        if not (lag == 0 or (lag == 1 and listing_date.day <= LATE_LISTING_LAST_DAY)):
            return REPLACEMENT
    return CROSS_LIST if category and primary_category != category else NEW


def is_replacement(arxiv_id: str, listing_date: date | None) -> bool:
    return listing_kind(arxiv_id=arxiv_id, listing_date=listing_date) == REPLACEMENT


def set_replacement_flags(sender=None, rows=(), **kwargs) -> None:
    """Fill in `is_replacement` of new papers' column values before the ingest inserts them
    (a `papers_creating` receiver)."""
    for row in rows:
        row["is_replacement"] = is_replacement(row["arxiv_id"], row.get("listing_date"))


def listing_rank(category: str | None = None) -> Case:
    """RANKS (new 0, cross-list 1, replacement 2) as a database expression on the stored flag."""
    new_here = Value(RANKS[NEW])
    if category:
        new_here = Case(When(primary_category=category, then=Value(RANKS[NEW])), default=Value(RANKS[CROSS_LIST]))
    return Case(
        When(is_replacement=True, then=Value(RANKS[REPLACEMENT])), default=new_here, output_field=IntegerField()
    )


def listing_label(kind: str, *, arxiv_id: str, primary_category: str) -> str:
    """What a card says about a listing: "New in cs.CV", "Cross-listed from cs.LG",
    "Replaced in cs.CE (first version August 2020)"."""
    if kind == CROSS_LIST:
        return f"Cross-listed from {primary_category}"
    if kind == REPLACEMENT:
        month = submitted_month(arxiv_id)
        since = f" (first version {month:%B %Y})" if month else ""
        return f"Replaced in {primary_category}{since}" if primary_category else f"Replaced on arXiv{since}"
    return f"New in {primary_category}" if primary_category else "New on arXiv"


def card_reason(
    *,
    stored: str,
    arxiv_id: str,
    listing_date: date | None,
    primary_category: str,
    category: str | None = None,
    rank: int | None = None,
) -> str:
    """The reason a card shows. A reason the ingest wrote from the listing ("New in cs.CE") is
    recomputed in the feed's context (a replacement, a cross-list here); a curator's or a
    member's reason ("Submitted by ada") is kept."""
    if stored and stored != listing_label(NEW, arxiv_id=arxiv_id, primary_category=primary_category):
        return stored
    kind = (
        KINDS[rank]
        if rank is not None
        else listing_kind(
            arxiv_id=arxiv_id, listing_date=listing_date, primary_category=primary_category, category=category
        )
    )
    if not stored and kind == NEW:
        return ""  # not featured from a listing: nothing to say
    return listing_label(kind, arxiv_id=arxiv_id, primary_category=primary_category)
