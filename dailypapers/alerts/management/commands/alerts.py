"""`dailypapers alerts match|deliver`: run the saved-search matcher or the webhook sender by
hand (the worker runs both in its "embed new papers" job and "webhook retries" every minute).

Both are safe to interrupt and re-run: the matcher's cursor moves with the matches it stored,
and the webhook outbox resumes where a killed sender stopped without sending anything twice.
Exit status: 0 done, 1 another sender holds the lock, 3 done but some deliveries failed for good.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from dailypapers.alerts.locks import SenderBusy
from dailypapers.alerts.matching import match_new_papers
from dailypapers.alerts.webhooks import deliver_due


class Command(BaseCommand):
    help = "Match newly embedded papers against saved searches; deliver due webhooks."
    example = "dailypapers alerts deliver --wait 30"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("match", help="Match papers embedded since the last run against every saved search.")
        deliver = sub.add_parser("deliver", help="Deliver due webhooks (resumes after a crash).")
        deliver.add_argument(
            "--wait", type=float, default=0.0, help="Seconds to wait for another running sender (default 0: exit)."
        )

    def handle(self, *args, action, **options):
        if action == "match":
            self.stdout.write(json.dumps(match_new_papers().as_dict()))
            return
        try:
            report = deliver_due(wait=options["wait"])
        except SenderBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        self.stdout.write(json.dumps(report.as_dict()))
        if report.failed:
            raise CommandError(f"{report.failed} deliveries failed for good", returncode=3)
