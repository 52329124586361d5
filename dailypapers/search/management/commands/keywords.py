"""`dailypapers keywords`: extract the keywords of papers that have none yet.

The embedding job (`dailypapers index`, the worker) extracts keywords of each paper it
embeds; this command fills the papers it did not: those embedded before keywords existed, or
while DAILYPAPERS_SEARCH_KEYWORDS was off. `--all` extracts every paper's again (after a change
of the extractor). Safe to interrupt and re-run: each chunk of papers commits by itself.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dailypapers.catalog.models import Paper
from dailypapers.search.embedder import EmbedderUnavailable, get_embedder
from dailypapers.search.keywords import extract_pending, pending_keyword_papers


class Command(BaseCommand):
    help = "Extract keywords (3-8 a paper, shown as topic chips) of papers that have none yet."
    example = "dailypapers keywords --limit 1000"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="extract every paper's keywords again")
        parser.add_argument("--limit", type=int, default=None, help="at most this many papers, newest first")

    def handle(self, *args, all=False, limit=None, verbosity=1, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1")
        try:
            embedder = get_embedder()
        except EmbedderUnavailable as exc:
            raise CommandError(f"cannot load the embedding model: {exc}") from exc
        total = (Paper.objects if all else pending_keyword_papers()).count()
        total = min(total, limit) if limit else total
        with tqdm(total=total, unit="paper", desc="keywords", disable=verbosity == 0 or not total) as bar:
            report = extract_pending(embedder=embedder, everything=all, limit=limit, progress=bar.update)
        if verbosity:
            self.stdout.write(f"keywords of {report.papers} papers ({report.papers_per_second:.1f}/s)")
