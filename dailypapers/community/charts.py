"""Upvotes over time as a small server-rendered SVG (no JavaScript, no chart library).

The series is cumulative upvotes per day from the votes table; the picture is a polyline in
a fixed viewBox, so it scales with the page and costs one grouped query.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncDate

from dailypapers.community.models import Vote

WIDTH, HEIGHT, PAD = 240, 60, 4


def upvote_series(*, paper_id: int) -> list[tuple[dt.date, int]]:
    """(day, cumulative upvotes) for each day with votes, oldest first."""
    rows = (
        Vote.objects.filter(paper_id=paper_id)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    total, series = 0, []
    for row in rows:
        total += row["n"]
        series.append((row["day"], total))
    return series


def upvote_chart(*, paper_id: int) -> dict:
    """Data for community/_upvote_chart.html: the polyline points and the labels."""
    series = upvote_series(paper_id=paper_id)
    if not series:
        return {"points": "", "series": [], "first": None, "last": None, "total": 0}
    if len(series) == 1:
        series = [(series[0][0] - dt.timedelta(days=1), 0), *series]
    first_day, last_day = series[0][0], series[-1][0]
    span = max((last_day - first_day).days, 1)
    top = max(total for _, total in series)
    points = []
    for day, total in series:
        x = PAD + (WIDTH - 2 * PAD) * (day - first_day).days / span
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * total / top
        points.append(f"{x:.1f},{y:.1f}")
    return {
        "points": " ".join(points),
        "series": series,
        "first": first_day,
        "last": last_day,
        "total": series[-1][1],
        "width": WIDTH,
        "height": HEIGHT,
    }
