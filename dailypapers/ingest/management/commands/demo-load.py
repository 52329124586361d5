"""`dailypapers demo-load`: fill a demo site — from a file, from arXiv when reachable, or
explain how when neither is possible (exit 0 so `make demo` still serves).

The file is loaded most recent listing days first (the newest `--recent-days`), so the home
page has its latest feed within seconds. The rate of that first slice predicts the rest: if
the whole file would take longer than `--foreground-seconds` (40 s), the rest is loaded by a
background `dailypapers ingest file` (log in $DAILYPAPERS_HOME/ingest.log) and the command
returns, so `make demo` starts serving; otherwise it is loaded here. Re-running is cheap:
the ingest is idempotent, and an interrupted background load is finished by the next run.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import requests
from django.core.management.base import BaseCommand, CommandError

HOW_TO = """No papers loaded: no --file given and export.arxiv.org is not reachable.
To load papers:
  dailypapers ingest file PATH.jsonl.gz                 (our JSON lines or the arXiv metadata snapshot)
  make demo DATA=../shared/data/arxiv/papers-2025-03-to-2026-07.jsonl.gz
  dailypapers ingest arxiv --category cs.LG --days 3    (when online)"""


class Command(BaseCommand):
    help = "Load demo papers: a corpus file, else the last listing days from arXiv, else print how to load papers."
    example = "dailypapers demo-load --file ../shared/data/arxiv/papers-2025-03-to-2026-07.jsonl.gz"

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="JSON-lines corpus (plain or .gz) to load instead of arXiv.")
        parser.add_argument(
            "--categories", nargs="+", default=None, help="arXiv categories (default: settings.ARXIV_CATEGORIES)."
        )
        parser.add_argument("--days", type=int, default=3, help="Listing days to fetch from arXiv (default 3).")
        parser.add_argument(
            "--recent-days", type=int, default=7, help="With --file: load the newest N listing days first."
        )
        parser.add_argument(
            "--foreground-seconds",
            type=float,
            default=40.0,
            help="Load the rest of the file in the background when it would take longer than this.",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        from django.conf import settings

        from dailypapers.ingest.run import ingest_records

        progress = not options["no_progress"]
        skipped = 0
        if options["file"]:
            from dailypapers.ingest.sources.files import count_lines, read_file

            path = options["file"]
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            total = count_lines(path)
            newest = _newest_listing_day(path)
            if newest and options["recent_days"] > 0:
                since = newest - dt.timedelta(days=options["recent_days"])
                first = ingest_records(
                    read_file(path, since=since), label="recent days", progress=progress, sender=self.__class__
                )
                self.stdout.write(f"recent listing days (since {since}): {first.summary()}")
                if first.stats.created > 200 and first.seconds:
                    expected = (total - first.stats.seen) / (first.stats.created / first.seconds)
                    if expected > options["foreground_seconds"]:
                        self._load_rest_in_background(path, expected)
                        return
            report = ingest_records(
                read_file(path), total=total, label="whole file", progress=progress, sender=self.__class__
            )
            self.stdout.write(f"whole file: {report.summary()}")
            skipped = report.skipped
        else:
            if not _arxiv_reachable():
                self.stdout.write(HOW_TO)
                return
            from dailypapers.ingest.sources.arxiv_api import fetch_recent

            categories = options["categories"] or list(settings.ARXIV_CATEGORIES)
            report = ingest_records(
                fetch_recent(categories, days=options["days"]), label="arXiv", progress=progress, sender=self.__class__
            )
            self.stdout.write(f"arXiv {', '.join(categories)}, last {options['days']} listing days: {report.summary()}")
            skipped = report.skipped
        if skipped:
            self.stderr.write(f"{skipped} malformed records were skipped")
            sys.exit(3)

    def _load_rest_in_background(self, path: Path, expected: float) -> None:
        import subprocess

        from django.conf import settings

        log_path = Path(settings.HOME) / "ingest.log"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "dailypapers.cli", "ingest", "--no-progress", "file", str(path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.stdout.write(
            f"The rest of {path.name} (about {expected:.0f} s) is loading in the background (pid {process.pid}, "
            f"log {log_path}); the site is browsable now. If it is interrupted, run: dailypapers ingest file {path}"
        )


def _arxiv_reachable(timeout: float = 3.0) -> bool:
    try:
        requests.head("https://export.arxiv.org/api/query", timeout=timeout)
    except requests.RequestException:
        return False
    return True


def _newest_listing_day(path: Path) -> dt.date | None:
    """Newest listing day in the file; corpora are in listing order, so read the tail cheaply."""
    from dailypapers.ingest.sources.files import BrokenFile, listing_day_text, read_lines

    newest = None
    try:
        for line in read_lines(path):
            # Only the key we need; a full parse of every line would double the load time.
            text = listing_day_text(line)
            if text is not None:
                try:
                    day = dt.date.fromisoformat(text.decode("ascii"))
                except (ValueError, UnicodeDecodeError):
                    continue
                newest = day if newest is None or day > newest else newest
    except BrokenFile:
        pass  # the ingest reports it
    return newest
