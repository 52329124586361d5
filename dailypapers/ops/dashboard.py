"""The operator's dashboard (/admin/dashboard/, staff only): papers, votes, subscribers and
emails per day as small server-drawn bar charts, and the state of every scheduled job.

Each series is one grouped query over an indexed date column; the page costs a handful of
queries whatever the size of the site.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncDate

from dailypapers.catalog import clock
from dailypapers.catalog.models import Paper
from dailypapers.community.models import Vote
from dailypapers.digest.models import OutboxMessage, Subscription

CHART_HEIGHT, BAR_WIDTH = 60, 8


def _by_day(queryset, field: str, *, start: dt.date) -> dict[dt.date, int]:
    """{day: rows} for rows whose `field` (a date or a datetime) falls on or after `start`."""
    is_date = queryset.model._meta.get_field(field).get_internal_type() == "DateField"
    day = models.F(field) if is_date else TruncDate(field)
    since = start if is_date else dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
    rows = queryset.filter(**{f"{field}__gte": since}).values(day=day)
    return {row["day"]: row["n"] for row in rows.annotate(n=Count("id")).order_by()}


def bar_chart(counts: dict[dt.date, int], *, start: dt.date, end: dt.date, title: str) -> dict:
    """Geometry of one inline-SVG bar chart, one bar per day from start to end."""
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    tallest = max([counts.get(day, 0) for day in days] + [1])
    bars = []
    for index, day in enumerate(days):
        count = counts.get(day, 0)
        height = max(round(CHART_HEIGHT * count / tallest), 1)
        bars.append({"day": day, "count": count, "x": index * BAR_WIDTH, "y": CHART_HEIGHT - height, "height": height})
    return {
        "title": title,
        "bars": bars,
        "width": len(days) * BAR_WIDTH,
        "height": CHART_HEIGHT,
        "bar_width": BAR_WIDTH - 2,
        "total": sum(counts.get(day, 0) for day in days),
        "tallest": tallest,
    }


def job_status() -> list[dict]:
    """Every scheduled job with its next run and the outcome of its last run."""
    from django_q.models import Schedule, Task

    schedules = list(Schedule.objects.order_by("name"))
    last_tasks = {task.id: task for task in Task.objects.filter(id__in=[s.task for s in schedules if s.task])}
    jobs = []
    for schedule in schedules:
        task = last_tasks.get(schedule.task)
        jobs.append(
            {
                "name": schedule.name,
                "func": schedule.func,
                "next_run": schedule.next_run,
                "last_started": task.started if task else None,
                "last_stopped": task.stopped if task else None,
                "last_ok": task.success if task else None,
                "last_result": (str(task.result)[:200] if task and task.result is not None else ""),
            }
        )
    return jobs


def dashboard_data(*, days: int = 60, today: dt.date | None = None) -> dict:
    end = today or clock.today()  # the newest listing day when the catalogue stopped (an offline corpus)
    start = end - dt.timedelta(days=days - 1)
    papers = _by_day(Paper.objects.all(), "listing_date", start=start)
    votes = _by_day(Vote.objects.all(), "created_at", start=start)
    confirmed = _by_day(Subscription.objects.filter(confirmed_at__isnull=False), "confirmed_at", start=start)
    sent = _by_day(OutboxMessage.objects.filter(state=OutboxMessage.SENT), "sent_at", start=start)
    return {
        "start": start,
        "end": end,
        "charts": [
            bar_chart(papers, start=start, end=end, title="Papers per listing day"),
            bar_chart(votes, start=start, end=end, title="Upvotes per day"),
            bar_chart(confirmed, start=start, end=end, title="Subscriptions confirmed per day"),
            bar_chart(sent, start=start, end=end, title="Digest emails sent per day"),
        ],
        "totals": {
            "papers": Paper.objects.count(),
            "votes": Vote.objects.count(),
            "active subscribers": Subscription.objects.filter(status=Subscription.ACTIVE).count(),
            "emails pending": OutboxMessage.objects.filter(
                state__in=[OutboxMessage.PENDING, OutboxMessage.SENDING]
            ).count(),
            "emails failed": OutboxMessage.objects.filter(state=OutboxMessage.FAILED).count(),
        },
        "jobs": job_status(),
    }
