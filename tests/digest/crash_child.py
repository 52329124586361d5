"""Run in a child process against a scratch database (see test_crash.py):

    python -m tests.digest.crash_child seed N     # papers for March 2026 and N daily trending subscribers
    python -m tests.digest.crash_child stale      # a 2020 unconfirmed subscription, and the purge job due now

The kill -9 tests cannot share pytest's database (an in-memory SQLite, or a transaction
that a child cannot see), so children work on their own database and report back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")

import django  # noqa: E402

django.setup()

from dailypapers.digest.models import OutboxMessage, Subscription  # noqa: E402
from tests.factories import make_paper  # noqa: E402


def seed(count: int) -> None:
    start = dt.date(2026, 3, 1)
    for day in range(31):
        make_paper(
            f"2603.{day:05d}",
            day=start + dt.timedelta(days=day),
            title=f"Paper of March {day + 1}",
            abstract="An abstract.",
            authors=["Ada Lovelace"],
            upvotes=day,
        )
    Subscription.objects.bulk_create(
        Subscription(email=f"reader{i}@example.org", frequency="daily", kind="trending", status="active")
        for i in range(count)
    )


def states() -> None:  # for debugging a failed crash test by hand
    rows = OutboxMessage.objects.select_related("subscription", "edition").order_by("pk")
    print(
        json.dumps(
            [
                {
                    "email": row.subscription.email,
                    "date": str(row.edition.date),
                    "state": row.state,
                    "uncertain": row.uncertain,
                    "attempts": row.attempts,
                }
                for row in rows
            ]
        )
    )


def stale() -> None:
    from django_q.models import Schedule

    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    row = Subscription.objects.create(email="stale@example.org")
    Subscription.objects.filter(pk=row.pk).update(created_at=long_ago)
    assert Schedule.objects.filter(name__contains="purge").update(next_run=long_ago) == 1


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    elif sys.argv[1] == "stale":
        stale()
    else:
        states()
