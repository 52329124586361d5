"""The schedule list in settings becomes django-q2 schedules, and the scheduler runs a due job."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django_q.conf import Conf
from django_q.models import Schedule, Task

from dailypapers.digest.models import Subscription
from dailypapers.digest.schedule import ScheduleError, first_run, sync_schedule
from tests.digest.conftest import ROOT, sql_rows

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)  # a Wednesday


def test_sync_is_idempotent_and_skips_jobs_that_do_not_import(settings):
    settings.DAILYPAPERS_SCHEDULE = [
        {"name": "purge", "func": "dailypapers.digest.jobs.purge_unconfirmed", "every": "daily", "at": "03:00"},
        {"name": "weekly", "func": "dailypapers.digest.jobs.send_weekly", "every": "weekly", "at": "07:30"},
        {"name": "missing", "func": "dailypapers.nowhere.jobs.run", "every": "hourly"},
    ]
    first = sync_schedule(now=NOW)
    assert [job["name"] for job in first["scheduled"]] == ["purge", "weekly"]
    assert first["skipped"][0]["name"] == "missing"
    rows = {row.name: row for row in Schedule.objects.all()}
    assert rows["dailypapers: purge"].next_run == dt.datetime(2026, 3, 19, 3, 0, tzinfo=dt.UTC)
    assert rows["dailypapers: weekly"].next_run == dt.datetime(2026, 3, 23, 7, 30, tzinfo=dt.UTC)  # Monday
    sync_schedule(now=NOW + dt.timedelta(hours=5))
    assert Schedule.objects.count() == 2
    assert Schedule.objects.get(name="dailypapers: purge").next_run == rows["dailypapers: purge"].next_run
    settings.DAILYPAPERS_SCHEDULE = settings.DAILYPAPERS_SCHEDULE[:1]
    sync_schedule(now=NOW)
    assert list(Schedule.objects.values_list("name", flat=True)) == ["dailypapers: purge"]


def test_bad_entries_are_named(settings):
    with pytest.raises(ScheduleError, match=r"DAILYPAPERS_SCHEDULE\[0\].every"):
        sync_schedule([{"name": "x", "func": "dailypapers.digest.jobs.send_due", "every": "fortnightly"}])
    with pytest.raises(ScheduleError, match=r"DAILYPAPERS_SCHEDULE\[0\].at"):
        sync_schedule([{"name": "x", "func": "dailypapers.digest.jobs.send_due", "every": "daily", "at": "25:00"}])


def test_first_run_times():
    assert first_run({"every": "hourly", "at": "00:05"}, NOW) == dt.datetime(2026, 3, 18, 11, 5, tzinfo=dt.UTC)
    assert first_run({"every": "daily", "at": "11:00"}, NOW) == dt.datetime(2026, 3, 18, 11, 0, tzinfo=dt.UTC)


def test_the_default_schedule_lists_every_periodic_job(settings):
    funcs = {entry["func"] for entry in settings.DAILYPAPERS_SCHEDULE}
    assert {
        "dailypapers.digest.jobs.send_daily",
        "dailypapers.digest.jobs.send_weekly",
        "dailypapers.digest.jobs.purge_unconfirmed",
        "dailypapers.digest.jobs.send_due",
    } <= funcs
    assert any("ingest" in func for func in funcs) and any("embed" in func for func in funcs)


def test_a_due_schedule_runs_its_job(settings, monkeypatch):
    from django_q.scheduler import scheduler

    settings.DAILYPAPERS_SCHEDULE = [
        {"name": "purge", "func": "dailypapers.digest.jobs.purge_unconfirmed", "every": "daily"}
    ]
    sync_schedule()
    stale = Subscription.objects.create(email="old@example.org")
    Subscription.objects.filter(pk=stale.pk).update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    Schedule.objects.update(next_run=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    monkeypatch.setattr(Conf, "SYNC", True)  # run the task in this process instead of a worker
    scheduler()
    assert not Subscription.objects.filter(pk=stale.pk).exists()
    assert Task.objects.get().success


def test_worker_list_prints_the_schedule(capsys):
    call_command("worker", "--list")
    out = capsys.readouterr()
    assert "daily digest" in out.out and "dailypapers.digest.jobs.send_daily" in out.out


def test_dailypapers_worker_runs_a_due_job_in_a_child_process(scratch):
    """The real thing: `dailypapers worker` (a django-q2 cluster on the ORM broker) started on
    the scratch database picks up the due purge job and runs it."""
    run = {"env": scratch, "cwd": ROOT, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "-m", "dailypapers.cli", "worker", "--list"], **run)
    subprocess.run([sys.executable, "-m", "tests.digest.crash_child", "stale"], **run)
    stale = "SELECT count(*) FROM digest_subscription WHERE email = %s"
    assert sql_rows(scratch, stale, ["stale@example.org"]) == [(1,)]
    worker = subprocess.Popen(
        [sys.executable, "-m", "dailypapers.cli", "worker"],
        env=scratch,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while sql_rows(scratch, stale, ["stale@example.org"]) != [(0,)] and time.monotonic() < deadline:
            time.sleep(0.5)
        assert sql_rows(scratch, stale, ["stale@example.org"]) == [(0,)]
        done = "SELECT success FROM django_q_task WHERE func = %s"
        while (
            not sql_rows(scratch, done, ["dailypapers.digest.jobs.purge_unconfirmed"]) and time.monotonic() < deadline
        ):
            time.sleep(0.5)
        assert [bool(ok) for (ok,) in sql_rows(scratch, done, ["dailypapers.digest.jobs.purge_unconfirmed"])] == [True]
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
