"""`dailypapers ingest SOURCE …`: load papers from a file, the arXiv API, OAI-PMH or a HF export.

A thin shell: parse flags, call one source + `ingest_records`, print the summary, exit
0 (done), 3 (done, some records skipped) or 1 (the source failed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dailypapers.catalog.windows import FeedParameterError, parse_day

EXAMPLES = """examples:
  dailypapers ingest file ../shared/data/arxiv/papers-2025-03-to-2026-07.jsonl.gz
  dailypapers ingest file arxiv-metadata-oai-snapshot.json --limit 100000 --since 2026-01-01
  dailypapers ingest arxiv --category cs.LG --category cs.CL --days 3
  dailypapers ingest oai --from 2026-06-01 --until 2026-06-07 --set cs
  dailypapers ingest hf daily_papers.json"""


def _date(text: str) -> dt.date:
    try:
        return parse_day(text)
    except FeedParameterError as exc:
        raise argparse.ArgumentTypeError(exc.expected) from None


class Command(BaseCommand):
    help = (
        "Load papers into the catalogue from a JSON-lines file, the arXiv API, an OAI-PMH harvest or a Hugging "
        "Face daily_papers export."
    )
    example = "dailypapers ingest file papers.jsonl.gz"

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = EXAMPLES
        parser.formatter_class = __import__("argparse").RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")
        parser.add_argument("--batch-size", type=int, default=None, help="Records per transaction (default 5000).")
        sub = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")

        p = sub.add_parser(
            "file",
            help="JSON lines (ours or the arXiv metadata snapshot), plain or .gz.",
            description="e.g. dailypapers ingest file papers.jsonl.gz --since 2026-06-01",
        )
        p.add_argument("path", type=Path)
        p.add_argument("--limit", type=int, help="Stop after N records.")
        p.add_argument("--since", type=_date, help="Only papers listed on or after this day (YYYY-MM-DD).")

        p = sub.add_parser(
            "arxiv",
            help="The last listing days of categories, from the arXiv API.",
            description="e.g. dailypapers ingest arxiv --category cs.LG --days 3",
        )
        p.add_argument("--category", action="append", required=True, help="arXiv category; repeat for several.")
        p.add_argument("--days", type=int, default=3, help="Number of most recent listing days (default 3).")
        p.add_argument("--max-results", type=int, default=5000, help="Upper bound on papers per category.")

        p = sub.add_parser(
            "oai",
            help="Bulk harvest of arXiv's OAI-PMH `arXiv` metadata; resumes after interruption.",
            description="e.g. dailypapers ingest oai --from 2026-06-01 --until 2026-06-07 --set cs",
        )
        p.add_argument("--from", dest="date_from", type=_date, required=True)
        p.add_argument("--until", dest="date_until", type=_date, required=True)
        p.add_argument("--set", dest="set_spec", default="", help="OAI set, e.g. cs or physics:hep-th.")
        p.add_argument("--restart", action="store_true", help="Ignore a saved resumption token and start over.")

        p = sub.add_parser(
            "hf",
            help="A Hugging Face daily_papers JSON export (array of items).",
            description="e.g. dailypapers ingest hf daily_papers.json",
        )
        p.add_argument("path", type=Path)

    def handle(self, *args, **options):
        from dailypapers.ingest.run import ingest_records

        source = options["source"]
        progress = not options["no_progress"] and options.get("verbosity", 1) > 0
        items, total = self._items(source, options)
        from dailypapers.ingest.upsert import BATCH_SIZE

        report = ingest_records(
            items,
            total=total,
            label=f"ingest {source}",
            stderr=sys.stderr,
            progress=progress,
            batch_size=options["batch_size"] or BATCH_SIZE,
            sender=self.__class__,
        )
        self.stdout.write(report.summary())
        if report.skipped:
            self.stderr.write(
                f"{report.skipped} malformed records were skipped (see the messages above); exit status 3"
            )
            sys.exit(3)

    def _items(self, source: str, options: dict):
        if source == "file":
            from dailypapers.ingest.sources.files import count_lines, read_file

            path: Path = options["path"]
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            items = read_file(path, since=options["since"])
            # With --since most lines are passed over unparsed, so a line count would mislead the ETA.
            total = None if options["since"] else count_lines(path)
            if options["limit"]:
                items = _limit(items, options["limit"])
                total = min(total, options["limit"]) if total else options["limit"]
            return items, total
        if source == "hf":
            from dailypapers.ingest.sources.hf import read_hf_export

            path = options["path"]
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            return read_hf_export(path), None
        if source == "arxiv":
            from dailypapers.ingest.sources.arxiv_api import fetch_recent

            return fetch_recent(options["category"], days=options["days"], max_results=options["max_results"]), None
        if source == "oai":
            from dailypapers.ingest.sources.oai import harvest

            if options["date_until"] < options["date_from"]:
                raise CommandError("--until is before --from")
            return harvest(
                date_from=options["date_from"],
                date_until=options["date_until"],
                set_spec=options["set_spec"],
                restart=options["restart"],
            ), None
        raise CommandError(f"unknown source {source!r}")


def _limit(items, limit: int):
    for count, item in enumerate(items, start=1):
        yield item
        if count >= limit:
            return
