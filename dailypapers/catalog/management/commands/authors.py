"""`dailypapers authors rebuild`: match keys and slugs for every author, then every group of
possible name variants merged afresh (catalog/authors.py says the rules). The ingest does the
same for the names each batch adds; run this after changing the rules or loading an old
database. Each step saves as it goes, so it is safe to interrupt and re-run."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from dailypapers.catalog.authors import rebuild_authors
from dailypapers.catalog.models import Author


class Command(BaseCommand):
    help = "Give every author a page address (slug) and merge each author's name variants afresh."
    example = "dailypapers authors rebuild"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rebuild = sub.add_parser("rebuild", help="slugs where missing, then every group of variants merged afresh")
        rebuild.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")
        rebuild.add_argument("--examples", type=int, default=5, help="Merged names to print (default 5).")

    def handle(self, *args, action="rebuild", no_progress=False, examples=5, verbosity=1, **options):
        total = Author.objects.count()
        with tqdm(
            total=total, unit="name", desc="authors", disable=no_progress or verbosity == 0, smoothing=0.1
        ) as bar:
            report = rebuild_authors(progress=bar.update)
        if verbosity:
            slugs = Author.objects.exclude(slug=None).count()
            self.stdout.write(
                f"{total} authors, {slugs} with a page; {report.groups} groups of similar names examined, "
                f"{report.merged} names merged into another, {report.changed} rows changed"
            )
            for variant, canonical in report.examples[:examples]:
                self.stdout.write(f"  {variant} → {canonical}")
