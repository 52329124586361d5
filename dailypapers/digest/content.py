"""What goes into a digest: the window an edition covers and the papers of each subscription.

An edition covers the feed days since the previous edition of its kind, so consecutive
editions never repeat a paper:
- daily, sent on a weekday D: the days after the previous weekday up to D-1 (Monday's
  edition covers Friday to Sunday);
- weekly, sent on D: D-7 to D-1.

`PaperPicker` answers per subscription but computes each distinct list once per edition
(trending once, each category / author / topic once), so building the outbox costs a number
of queries that grows with the distinct preferences, not with the subscribers. The papers are
the daily feed's (catalog.feed.feed_papers, most upvoted first) and a category, author or
topic matches as everywhere else (catalog/matching.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from dailypapers.alerts.sections import digest_sections
from dailypapers.catalog import clock
from dailypapers.catalog.feed import feed_papers
from dailypapers.catalog.matching import matching
from dailypapers.catalog.windows import Window
from dailypapers.community.orgs import in_organisation
from dailypapers.digest.models import Subscription


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


def default_edition_date(kind: str) -> dt.date:
    """The edition `digest send` and the worker send without a date: today's, or, when the
    catalogue is behind the calendar (an offline corpus, a paused harvester), the first edition
    that covers its newest listing day: the next day (weekly) or weekday (daily)."""
    newest = clock.catalogue_behind()
    if newest is None:
        return clock.calendar_today()
    date = newest + dt.timedelta(days=1)
    while kind == Subscription.DAILY and date.weekday() >= 5:
        date += dt.timedelta(days=1)
    return date


def papers_in_window(first: dt.date, last: dt.date):
    """The daily feed's papers of the window, most upvoted first (catalog.feed.feed_papers)."""
    return feed_papers(Window(first, last))


def _for_you_ids(subscription: Subscription, window, limit: int) -> list[int]:
    """The member's "for you" feed (community app), limited to papers featured in the window."""
    if subscription.user is None:
        return []
    from dailypapers.community.foryou import for_you  # noqa: PLC0415  (community imports search; load lazily)

    feed = for_you(user=subscription.user, today=window[1], limit=limit * 5, fill=False)  # personal papers only
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

    def saved_sections(self, subscription: Subscription) -> list[dict]:
        """The member's saved searches' new matches in this edition's window (alerts app): a
        section of their personal ("for you") digest."""
        if subscription.kind != Subscription.FOR_YOU or subscription.user is None:
            return []
        return digest_sections(user=subscription.user, first=self.window[0], last=self.window[1], limit=self.limit)

    def _compute(self, kind: str, value: str) -> list[int]:
        papers = papers_in_window(*self.window)
        if kind in (Subscription.CATEGORY, Subscription.AUTHOR, Subscription.TOPIC):
            papers = matching(papers, kind, value)  # the same match as curation rules and follows
        elif kind == Subscription.ORG:
            papers = in_organisation(papers, value)  # the papers its page and feed list
        elif kind != Subscription.TRENDING:
            return []
        return list(papers.values_list("pk", flat=True)[: self.limit])
