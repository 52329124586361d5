"""What goes into a digest: the window an edition covers and the papers of each subscription.

An edition covers the feed days since the previous edition of its kind, so consecutive
editions never repeat a paper:
- daily, sent on a weekday D: the days after the previous weekday up to D-1 (Monday's
  edition covers Friday to Sunday);
- weekly, sent on D: D-7 to D-1.

`PaperPicker` answers per subscription but computes each distinct list once per edition
(trending once, each category / author / topic once), so building the outbox costs a number
of queries that grows with the distinct preferences, not with the subscribers.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q

from dailypapers.catalog.models import Paper
from dailypapers.digest.models import Subscription

log = logging.getLogger("dailypapers.digest")


def edition_window(kind: str, date: dt.date) -> tuple[dt.date, dt.date]:
    """First and last feed day (inclusive) that the edition of `kind` sent on `date` covers."""
    last = date - dt.timedelta(days=1)
    if kind == Subscription.WEEKLY:
        return date - dt.timedelta(days=7), last
    # The previous daily edition went out on the previous weekday P and covered up to P-1.
    previous = date - dt.timedelta(days=1)
    while previous.weekday() >= 5:  # Saturday, Sunday: no daily edition
        previous -= dt.timedelta(days=1)
    return previous, last


def papers_in_window(first: dt.date, last: dt.date):
    """Visible papers featured in the window (or, when not featured, listed in it)."""
    return Paper.objects.filter(hidden=False).filter(
        Q(featured_on__gte=first, featured_on__lte=last)
        | Q(featured_on__isnull=True, listing_date__gte=first, listing_date__lte=last)
    )


def _topic_ids(query: str, window, limit: int) -> list[int]:
    """Papers of the window matching a saved search. Keyword mode on purpose: "new papers
    about X" must be empty when nothing matches (a meaning search always finds neighbours),
    and it needs no embedder on the worker."""
    papers = papers_in_window(*window)
    try:  # the search app's service (FTS5 / tsvector, BM25), when installed
        from dailypapers.search.service import search_papers  # noqa: PLC0415
    except ImportError:
        search_papers = None
    if search_papers is not None:
        try:
            # The search filters on listing_date; a featured paper may have been listed up to
            # a few weeks before it joined the feed, so look back further and intersect.
            found = search_papers(query, mode="keyword", date_from=window[0] - dt.timedelta(days=30), date_to=window[1], limit=100)
            ranked = [row["paper"].pk for row in found["results"]]
            in_window = set(papers.filter(pk__in=ranked).values_list("pk", flat=True))
            return [pk for pk in ranked if pk in in_window][:limit]
        except Exception:  # a missing index must not cost subscribers their digest
            log.warning("search service failed for a topic digest; using a title/abstract match", exc_info=True)
    match = Q()
    for word in query.split():
        match &= Q(title__icontains=word) | Q(abstract__icontains=word)
    return list(papers.filter(match).order_by("-upvotes", "-hotness", "id").values_list("pk", flat=True)[:limit])


def _for_you_ids(subscription: Subscription, window, limit: int) -> list[int]:
    """The member's "for you" feed (community app), limited to papers featured in the window."""
    if subscription.user is None:
        return []
    from dailypapers.community.foryou import for_you  # noqa: PLC0415  (community imports search; load lazily)

    feed = for_you(user=subscription.user, today=window[1], limit=limit * 5)
    ranked = [item["paper"].pk for item in feed["items"]]
    in_window = set(papers_in_window(*window).filter(pk__in=ranked).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in in_window][:limit]


class PaperPicker:
    """Paper ids per subscription for one edition, each distinct list computed once."""

    def __init__(self, *, kind: str, date: dt.date, limit: int | None = None):
        self.window = edition_window(kind, date)
        self.limit = limit or settings.DIGEST_MAX_PAPERS
        self._cache: dict[tuple[str, str], list[int]] = {}

    def paper_ids(self, subscription: Subscription) -> list[int]:
        key = (subscription.kind, subscription.value.lower())
        if subscription.kind == Subscription.FOR_YOU:
            return _for_you_ids(subscription, self.window, self.limit)  # personal: never shared
        if key not in self._cache:
            self._cache[key] = self._compute(subscription.kind, subscription.value)
        return self._cache[key]

    def _compute(self, kind: str, value: str) -> list[int]:
        papers = papers_in_window(*self.window)
        if kind == Subscription.TRENDING:
            papers = papers.order_by("-upvotes", "-hotness", "id")
        elif kind == Subscription.CATEGORY:
            papers = papers.filter(category_rows__category=value).order_by("-upvotes", "-hotness", "id")
        elif kind == Subscription.AUTHOR:
            papers = papers.filter(authorships__author__name__iexact=value).order_by("-upvotes", "-hotness", "id")
        elif kind == Subscription.TOPIC:
            return _topic_ids(value, self.window, self.limit)
        else:
            return []
        return list(papers.values_list("pk", flat=True).distinct()[: self.limit])
