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

`listing_kind` is the Python predicate and `listing_rank` the same rule as a database
expression (feeds sort on it); tests/catalog/test_listings.py checks that they agree.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear, Substr
from django.db.models.lookups import Exact, LessThanOrEqual

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


def listing_kind(*, arxiv_id: str, listing_date: date | None, primary_category: str = "",
                 category: str | None = None) -> str:
    """NEW, CROSS_LIST (only with a `category` feed filter) or REPLACEMENT."""
    if listing_date is not None:
        month = submitted_month(arxiv_id)
        if "/" in arxiv_id or month is None:
            return REPLACEMENT
        lag = (listing_date.year - month.year) * 12 + listing_date.month - month.month
        if not (lag == 0 or (lag == 1 and listing_date.day <= LATE_LISTING_LAST_DAY)):
            return REPLACEMENT
    return CROSS_LIST if category and primary_category != category else NEW


def listing_rank(category: str | None = None) -> Case:
    """`listing_kind` as a database expression giving RANKS (new 0, cross-list 1, replacement 2).

    CASE branches are tried in order, so the integer casts of the id's yymm only ever see
    new-style ids (PostgreSQL refuses to cast "he" of hep-th/9901001).
    """
    new_here = Value(RANKS[NEW])
    if category:
        new_here = Case(When(primary_category=category, then=Value(RANKS[NEW])), default=Value(RANKS[CROSS_LIST]))
    id_month = (Cast(Substr("arxiv_id", 1, 2), IntegerField()) * 12 + Cast(Substr("arxiv_id", 3, 2), IntegerField()))
    listed_month = (ExtractYear("listing_date") - 2000) * 12 + ExtractMonth("listing_date")
    lag = listed_month - id_month
    in_time = Q(Exact(lag, 0)) | Q(Exact(lag, 1), LessThanOrEqual(ExtractDay("listing_date"), LATE_LISTING_LAST_DAY))
    return Case(
        When(listing_date__isnull=True, then=new_here),
        When(arxiv_id__contains="/", then=Value(RANKS[REPLACEMENT])),
        When(in_time, then=new_here),
        default=Value(RANKS[REPLACEMENT]),
        output_field=IntegerField(),
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


def card_reason(*, stored: str, arxiv_id: str, listing_date: date | None, primary_category: str,
                category: str | None = None, rank: int | None = None) -> str:
    """The reason a card shows. A reason the ingest wrote from the listing ("New in cs.CE") is
    recomputed in the feed's context (a replacement, a cross-list here); a curator's or a
    member's reason ("Submitted by ada") is kept."""
    if stored and stored != listing_label(NEW, arxiv_id=arxiv_id, primary_category=primary_category):
        return stored
    kind = KINDS[rank] if rank is not None else listing_kind(
        arxiv_id=arxiv_id, listing_date=listing_date, primary_category=primary_category, category=category)
    if not stored and kind == NEW:
        return ""  # not featured from a listing: nothing to say
    return listing_label(kind, arxiv_id=arxiv_id, primary_category=primary_category)

