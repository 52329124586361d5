"""Trending: the published formula, and the lists it orders.

    hotness = log10(1 + upvotes) + (featured_time - TRENDING_EPOCH) / (TRENDING_WINDOW_HOURS * 3600 s)

The key changes only when votes change, never with the clock (Reddit 2005, Lobsters
`Story#calculated_hotness`), so it is stored in the indexed Paper.hotness column, written in
the vote's transaction, and the trending page is an index scan. A paper featured one window
later needs 10x fewer upvotes to rank level with an older one. `featured_time` is midnight
UTC of the day the paper joined the daily feed, else its first version's time, else when
the catalogue first saw it.

Top lists (day / week / month) order the papers featured in the window by upvotes.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dailypapers.catalog.models import Paper

WINDOWS = {"day": 1, "week": 7, "month": 30}


def trending_epoch() -> dt.datetime:
    return dt.datetime.fromisoformat(settings.TRENDING_EPOCH)


def featured_time(*, featured_on: dt.date | None, published: dt.datetime | None, created_at: dt.datetime | None) -> dt.datetime:
    if featured_on is not None:
        return dt.datetime.combine(featured_on, dt.time(0, 0), tzinfo=dt.timezone.utc)
    return published or created_at or trending_epoch()


def hotness(*, upvotes: int, when: dt.datetime, epoch: dt.datetime | None = None, window_hours: float | None = None) -> float:
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
        when = featured_time(featured_on=row.get("featured_on"), published=row.get("published"), created_at=row.get("created_at"))
        row["hotness"] = hotness(upvotes=row.get("upvotes") or 0, when=when, epoch=epoch, window_hours=window_hours)


def listed_papers():
    return Paper.objects.filter(hidden=False, featured_on__isnull=False)


def trending_papers(*, window: str | None = "", today: dt.date | None = None, limit: int | None = None) -> list[Paper]:
    """Papers by hotness, or (window = day / week / month) by upvotes among those featured in it."""
    limit = limit or settings.TRENDING_PAGE_SIZE
    window = window or ""
    if window and window not in WINDOWS:
        raise ValueError(f"window: expected one of {', '.join(WINDOWS)}, got {window!r}")
    if not window:
        return list(listed_papers().order_by("-hotness", "-id")[:limit])
    today = today or timezone.localdate()
    return top_by_upvotes(days=[today - dt.timedelta(days=n) for n in range(WINDOWS[window])], limit=limit)


def top_by_upvotes(*, days: list[dt.date], limit: int) -> list[Paper]:
    """The `limit` most upvoted papers featured on `days`, most upvotes first (ties: oldest id).

    One index range per day on (featured_on, -upvotes), each reading at most `limit` rows,
    then a merge: a month with 1,000 papers a day costs 30 short index reads instead of
    sorting 30,000 rows (45 ms -> 4 ms on SQLite with 1M papers; bench/trending.py).
    """
    # One statement, one round trip: a UNION ALL of the per-day index reads (the ORM cannot
    # slice the parts of a union on SQLite), so a month costs one query, not 31.
    sql, params = top_by_upvotes_sql(days=days, limit=limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        candidates: list[tuple[int, int]] = cursor.fetchall()
    candidates.sort(key=lambda pair: (-pair[0], pair[1]))
    ids = [paper_id for _, paper_id in candidates[:limit]]
    papers = Paper.objects.in_bulk(ids)
    return [papers[paper_id] for paper_id in ids if paper_id in papers]


def top_by_upvotes_sql(*, days: list[dt.date], limit: int) -> tuple[str, list]:
    per_day = (f"SELECT upvotes, id FROM (SELECT upvotes, id FROM {Paper._meta.db_table} "
               "WHERE featured_on = %s AND NOT hidden ORDER BY upvotes DESC, id ASC LIMIT %s) AS day{n}")
    return " UNION ALL ".join(per_day.format(n=n) for n in range(len(days))), [v for day in days for v in (day, limit)]


def window_start(window: str, *, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today - dt.timedelta(days=WINDOWS[window] - 1)


def trending_page(*, window: str = "", today: dt.date | None = None, limit: int | None = None) -> dict:
    """The data of /papers/trending."""
    today = today or timezone.localdate()
    papers = trending_papers(window=window, today=today, limit=limit)
    if window:
        order = f"upvotes, among papers featured {window_start(window, today=today).isoformat()} to {today.isoformat()}"
    else:
        order = "hotness: log10(1 + upvotes) + featured time / window (see /about/ranking)"
    return {"window": window, "windows": list(WINDOWS), "order": order, "today": today, "papers": papers}


def ranking_constants() -> dict:
    return {
        "window_hours": settings.TRENDING_WINDOW_HOURS,
        "epoch": settings.TRENDING_EPOCH,
        "page_size": settings.TRENDING_PAGE_SIZE,
    }
