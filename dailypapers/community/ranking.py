"""Trending: the published formula, and the lists it orders.

    hotness = log10(1 + upvotes) + (featured_time - TRENDING_EPOCH) / (TRENDING_WINDOW_HOURS * 3600 s)

The key changes only when votes change, never with the clock (Reddit 2005, Lobsters
`Story#calculated_hotness`), so it is stored in the indexed Paper.hotness column, written in
the vote's transaction, and the trending page is an index scan. A paper featured one window
later needs 10x fewer upvotes to rank level with an older one. `featured_time` is midnight
UTC of the day the paper joined the daily feed, else its first version's time, else when
the catalogue first saw it.

Top lists (day / week / month) order the papers featured in the window by upvotes, through
catalog.feed.feed_papers like every other list (ties: new submissions first, then arXiv id).
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings

from dailypapers.catalog import clock
from dailypapers.catalog.feed import feed_papers, top_feed_papers
from dailypapers.catalog.models import Paper
from dailypapers.catalog.windows import RECENT_DAYS, recent_window


def trending_epoch() -> dt.datetime:
    return dt.datetime.fromisoformat(settings.TRENDING_EPOCH)


def featured_time(
    *, featured_on: dt.date | None, published: dt.datetime | None, created_at: dt.datetime | None
) -> dt.datetime:
    if featured_on is not None:
        return dt.datetime.combine(featured_on, dt.time(0, 0), tzinfo=dt.UTC)
    return published or created_at or trending_epoch()


def hotness(
    *, upvotes: int, when: dt.datetime, epoch: dt.datetime | None = None, window_hours: float | None = None
) -> float:
    """The formula; `epoch` and `window_hours` default to the settings (a caller scoring many
    papers reads them once)."""
    epoch = trending_epoch() if epoch is None else epoch
    window_seconds = (settings.TRENDING_WINDOW_HOURS if window_hours is None else window_hours) * 3600.0
    age_term = (when - epoch).total_seconds() / window_seconds
    return round(math.log10(1 + max(upvotes, 0)) + age_term, 7)


def paper_hotness(paper: Paper, *, upvotes: int | None = None) -> float:
    when = featured_time(featured_on=paper.featured_on, published=paper.published, created_at=paper.created_at)
    return hotness(upvotes=paper.upvotes if upvotes is None else upvotes, when=when)


def set_new_hotness(rows: list[dict]) -> None:
    """Fill in `hotness` of new papers' column values (no upvotes yet), before they are inserted.

    What `paper_hotness` gives, with the settings read once for the whole batch.
    """
    epoch, window_hours = trending_epoch(), settings.TRENDING_WINDOW_HOURS
    for row in rows:
        when = featured_time(
            featured_on=row.get("featured_on"), published=row.get("published"), created_at=row.get("created_at")
        )
        row["hotness"] = hotness(upvotes=row.get("upvotes") or 0, when=when, epoch=epoch, window_hours=window_hours)


def trending_papers(*, window: str | None = "", today: dt.date | None = None, limit: int | None = None) -> list[Paper]:
    """Papers by hotness, or (window = day / week / month) by upvotes among those featured in
    the last 1 / 7 / 30 days up to the site's today (catalog.clock: the newest listing day
    when the catalogue is behind the calendar). Raises FeedParameterError for another window."""
    limit = limit or settings.TRENDING_PAGE_SIZE
    if not window:
        return list(feed_papers(sort="trending")[:limit])
    return top_feed_papers(recent_window(window, today=today or clock.today()), limit=limit)


def trending_page(*, window: str = "", today: dt.date | None = None, limit: int | None = None) -> dict:
    """The data of /papers/trending."""
    today = today or clock.today()
    papers = trending_papers(window=window, today=today, limit=limit)
    if window:
        span = recent_window(window, today=today)
        order = f"upvotes, among papers featured {span.start.isoformat()} to {span.end.isoformat()}"
    else:
        order = "hotness: log10(1 + upvotes) + featured time / window (see /about/ranking)"
    return {"window": window, "windows": list(RECENT_DAYS), "order": order, "today": today, "papers": papers}


def ranking_constants() -> dict:
    return {
        "window_hours": settings.TRENDING_WINDOW_HOURS,
        "epoch": settings.TRENDING_EPOCH,
        "page_size": settings.TRENDING_PAGE_SIZE,
    }
