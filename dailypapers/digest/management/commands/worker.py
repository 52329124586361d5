"""`dailypapers worker`: run every periodic job of settings.DAILYPAPERS_SCHEDULE (arXiv ingest,
embedding, digests, purges) with a django-q2 cluster on the ORM broker (see digest/schedule.py
for why). Safe to start twice: due schedules are claimed in one transaction and every job is
idempotent. Ctrl-C (SIGINT/SIGTERM) stops it after the running jobs."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dailypapers.digest.schedule import ScheduleError, sync_schedule


class Command(BaseCommand):
    help = "Run the periodic jobs (ingest, embedding, digests, purges) from the schedule in settings."
    example = "dailypapers worker"

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="Sync and print the schedule, then exit without running jobs."
        )

    def handle(self, *args, list: bool, **options):
        try:
            result = sync_schedule()
        except ScheduleError as exc:
            raise CommandError(str(exc), returncode=2) from None
        for job in result["scheduled"]:
            self.stdout.write(
                f"scheduled  {job['name']:<34} {job['every']:<8} next {job['next_run']:%Y-%m-%d %H:%M} UTC  "
                f"({job['func']})"
            )
        for job in result["skipped"]:
            self.stderr.write(f"skipped    {job['name']:<34} {job['func']} does not import: {job['reason']}")
        if list:
            return
        # django-q2's cluster first looks at the schedule 30 s after it starts; queue what is
        # already due now, so a worker restarted after downtime catches up at once.
        from django_q.scheduler import scheduler

        scheduler()
        call_command("qcluster")
