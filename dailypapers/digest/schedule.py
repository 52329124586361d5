"""The periodic jobs: settings.DAILYPAPERS_SCHEDULE (one list) turned into django-q2 Schedule
rows that `dailypapers worker` (a django-q2 cluster) runs.

Why django-q2 with its ORM broker: the queue and the schedule live in our own database, so
it works on the SQLite default and on PostgreSQL with no extra service; it is maintained,
runs plain functions named by dotted path, and its scheduler claims due schedules inside one
transaction (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions serialise
it), so two workers do not start the same run twice. Our jobs are idempotent anyway (the
digest sender lock, the outbox's unique rows), so an overlap costs time, never a duplicate.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

PREFIX = "dailypapers: "
EVERY = {"minutes": Schedule.MINUTES, "hourly": Schedule.HOURLY, "daily": Schedule.DAILY, "weekly": Schedule.WEEKLY}


class ScheduleError(ValueError):
    """A schedule entry in settings is malformed; the message names the entry and field."""


def first_run(entry: dict, now: dt.datetime) -> dt.datetime:
    """The next moment at or after `now` matching the entry's `at` (UTC): weekly jobs on
    Mondays (the weekly digest's day), hourly jobs at the minute, others at the time of day."""
    hour, minute = (int(part) for part in entry.get("at", "00:00").split(":"))
    every = entry["every"]
    if every == "minutes":
        return now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if every == "hourly":
        start = now.replace(minute=minute, second=0, microsecond=0)
        return start if start >= now else start + dt.timedelta(hours=1)
    start = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if start < now:
        start += dt.timedelta(days=1)
    if every == "weekly":
        start += dt.timedelta(days=(7 - start.weekday()) % 7)
    return start


def validate(entry: dict, index: int) -> None:
    where = f"DAILYPAPERS_SCHEDULE[{index}]"
    for key in ("name", "func", "every"):
        if not entry.get(key):
            raise ScheduleError(f"{where}: missing {key!r}")
    if entry["every"] not in EVERY:
        raise ScheduleError(f"{where}.every: expected one of {', '.join(EVERY)}, got {entry['every']!r}")
    at = entry.get("at", "00:00")
    try:
        hour, minute = (int(part) for part in at.split(":"))
        assert 0 <= hour < 24 and 0 <= minute < 60
    except (ValueError, AssertionError):
        raise ScheduleError(f"{where}.at: expected HH:MM, got {at!r}") from None


def sync_schedule(entries: list[dict] | None = None, *, now: dt.datetime | None = None) -> dict:
    """Make the Schedule rows match the settings list; returns what is scheduled and what was
    skipped because its function does not import (yet). Keeps next_run of unchanged jobs."""
    entries = settings.DAILYPAPERS_SCHEDULE if entries is None else entries
    now = now or timezone.now()
    scheduled, skipped, names = [], [], set()
    for index, entry in enumerate(entries):
        validate(entry, index)
        try:
            import_string(entry["func"])
        except ImportError as exc:
            skipped.append({"name": entry["name"], "func": entry["func"], "reason": str(exc)})
            continue
        name = PREFIX + entry["name"]
        names.add(name)
        wanted = {
            "func": entry["func"],
            "schedule_type": EVERY[entry["every"]],
            "minutes": entry.get("minutes"),
            "repeats": -1,
        }
        row = Schedule.objects.filter(name=name).first()
        if row is None or any(getattr(row, key) != value for key, value in wanted.items()):
            Schedule.objects.update_or_create(name=name, defaults={**wanted, "next_run": first_run(entry, now)})
            row = Schedule.objects.get(name=name)
        scheduled.append(
            {"name": entry["name"], "func": entry["func"], "every": entry["every"], "next_run": row.next_run}
        )
    Schedule.objects.filter(name__startswith=PREFIX).exclude(name__in=names).delete()
    return {"scheduled": scheduled, "skipped": skipped}
