"""`dailypapers digest send|preview|purge`: run one digest edition by hand, print one, purge
unconfirmed subscriptions. A thin shell over `dailypapers.digest.sending`.

Running `digest send` twice at once is safe: the second waits `--wait` seconds for the sender
lock, then exits 1 without sending; rerunning after a crash resumes the same edition. Exit 3:
done, but some messages failed permanently (refused addresses; see the outbox in the admin).
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from dailypapers.catalog.windows import FeedParameterError, parse_day
from dailypapers.digest.content import default_edition_date
from dailypapers.digest.models import Subscription
from dailypapers.digest.sending import SenderBusy, send_edition
from dailypapers.digest.subscriptions import SubscriptionError, import_subscribers, purge_unconfirmed


def _date(raw: str) -> dt.date:
    try:
        return parse_day(raw, "--date")  # says "--date: no such day: …, got '2026-02-30'"
    except FeedParameterError as exc:
        raise CommandError(str(exc), returncode=2) from None


class Command(BaseCommand):
    help = "Send a digest edition (daily or weekly); import subscribers; purge unconfirmed subscriptions."
    example = "dailypapers digest send --kind daily --dry-run"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="Build the edition's outbox and deliver it (resumes after a crash).")
        send.add_argument("--kind", choices=[Subscription.DAILY, Subscription.WEEKLY], required=True)
        send.add_argument(
            "--date",
            type=_date,
            default=None,
            help="Edition date YYYY-MM-DD (default: today, or the first edition after the newest listing "
            "day when the catalogue is behind the calendar).",
        )
        send.add_argument(
            "--dry-run", action="store_true", help="Count the messages the edition would queue; send nothing."
        )
        send.add_argument(
            "--wait", type=float, default=0.0, help="Seconds to wait for another running sender (default 0: exit)."
        )
        sub.add_parser("purge", help="Delete subscriptions unconfirmed for DIGEST_PURGE_UNCONFIRMED_DAYS.")
        imp = sub.add_parser(
            "import", help="Add addresses that opted in elsewhere (one per line); never resubscribes anyone who left."
        )
        imp.add_argument("file", help="Text file, one address per line ('-' for stdin).")
        imp.add_argument("--frequency", choices=[Subscription.DAILY, Subscription.WEEKLY], default=Subscription.DAILY)
        imp.add_argument(
            "--kind",
            choices=[Subscription.TRENDING, Subscription.TOPIC, Subscription.CATEGORY, Subscription.AUTHOR],
            default=Subscription.TRENDING,
        )
        imp.add_argument("--value", default="", help="Topic query, category or author for those kinds.")

    def handle(self, *args, action, **options):
        if action == "purge":
            self.stdout.write(f"purged {purge_unconfirmed()} unconfirmed subscriptions")
            return
        if action == "import":
            return self._import(**options)
        # Without --date, the edition of the site's today: the newest listing day when the
        # catalogue is behind the calendar (an offline corpus), so the edition is not empty.
        kind, date = options["kind"], options["date"] or default_edition_date(options["kind"])
        if kind == Subscription.DAILY and date.weekday() >= 5:
            raise CommandError(f"--date {date}: daily digests go out on weekdays only", returncode=2)
        try:
            result = send_edition(kind=kind, date=date, dry_run=options["dry_run"], wait=options["wait"])
        except SenderBusy as exc:
            raise CommandError(f"{exc}; it will deliver this edition (run again later to check)") from None
        self.stdout.write(json.dumps(result, default=str))
        if result.get("failed"):
            raise CommandError(
                f"done, but {result['failed']} messages failed permanently; see the outbox in the admin", returncode=3
            )

    def _import(self, *, file, frequency, kind, value, **options):
        try:
            handle = sys.stdin if file == "-" else open(file, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from None
        with handle:
            rows = [
                (number, line.strip())
                for number, line in enumerate(handle, 1)
                if line.strip() and not line.startswith("#")
            ]
        try:
            result = import_subscribers(rows, frequency=frequency, kind=kind, value=value)
        except SubscriptionError as exc:
            raise CommandError(str(exc), returncode=2) from None
        for problem in result["problems"]:
            self.stderr.write(f"{file}: {problem}")
        self.stdout.write(
            f"imported {result['created']}, skipped {result['skipped']} (already subscribed, unsubscribed or "
            "suppressed), "
            f"{len(result['problems'])} bad lines"
        )
        if result["problems"]:
            sys.exit(3)
