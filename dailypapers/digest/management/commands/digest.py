"""`dailypapers digest send|preview|purge`: run one digest edition by hand, print one, purge
unconfirmed subscriptions. A thin shell over `dailypapers.digest.sending`.

Running `digest send` twice at once is safe: the second waits `--wait` seconds for the sender
lock, then exits 1 without sending; rerunning after a crash resumes the same edition.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dailypapers.digest.models import Subscription
from dailypapers.digest.sending import SenderBusy, send_edition
from dailypapers.digest.subscriptions import purge_unconfirmed


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--date: expected YYYY-MM-DD, got {raw!r}", returncode=2) from None


class Command(BaseCommand):
    help = "Send a digest edition (daily or weekly), or purge unconfirmed subscriptions."
    example = "dailypapers digest send --kind daily --dry-run"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="Build the edition's outbox and deliver it (resumes after a crash).")
        send.add_argument("--kind", choices=[Subscription.DAILY, Subscription.WEEKLY], required=True)
        send.add_argument("--date", type=_date, default=None, help="Edition date YYYY-MM-DD (default today, UTC).")
        send.add_argument("--dry-run", action="store_true", help="Count the messages the edition would queue; send nothing.")
        send.add_argument("--wait", type=float, default=0.0, help="Seconds to wait for another running sender (default 0: exit).")
        sub.add_parser("purge", help="Delete subscriptions unconfirmed for DIGEST_PURGE_UNCONFIRMED_DAYS.")

    def handle(self, *args, action, **options):
        if action == "purge":
            self.stdout.write(f"purged {purge_unconfirmed()} unconfirmed subscriptions")
            return
        kind, date = options["kind"], options["date"] or timezone.now().date()
        if kind == Subscription.DAILY and date.weekday() >= 5:
            raise CommandError(f"--date {date}: daily digests go out on weekdays only", returncode=2)
        try:
            result = send_edition(kind=kind, date=date, dry_run=options["dry_run"], wait=options["wait"])
        except SenderBusy as exc:
            raise CommandError(f"{exc}; it will deliver this edition (run again later to check)") from None
        self.stdout.write(json.dumps(result, default=str))
        if result.get("failed"):
            raise CommandError(f"{result['failed']} messages failed permanently; see the outbox in the admin")
