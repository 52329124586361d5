"""`dailypapers index`: embed pending papers, then bring the vector index file up to date.

Safe to interrupt and re-run: each batch commits by itself, and the next run embeds only
what is still pending. The demo runs it in the background while the site serves; the web
processes pick up new vectors on their own.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dailypapers.search.embedder import EmbedderUnavailable, get_embedder
from dailypapers.search.indexing import EMBED_BATCH_SIZE, embed_pending, pending_papers
from dailypapers.search.vectors import get_vector_index


class Command(BaseCommand):
    help = "Embed papers that have no embedding of their current text yet, and update the vector index."
    example = "dailypapers index --batch-size 32"

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=None, help=f"papers per model call (default: {EMBED_BATCH_SIZE})"
        )
        parser.add_argument("--limit", type=int, default=None, help="embed at most this many papers, then stop")
        parser.add_argument(
            "--rebuild", action="store_true", help="rebuild the vector index file from the stored embeddings"
        )
        parser.add_argument(
            "--watch",
            type=float,
            default=0,
            metavar="SECONDS",
            help="keep running: look for new papers every SECONDS (for the demo and small sites)",
        )

    def handle(self, *args, batch_size=None, limit=None, rebuild=False, watch=0, verbosity=1, **options):
        batch_size = batch_size or EMBED_BATCH_SIZE
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            embedder = get_embedder()
        except EmbedderUnavailable as exc:
            raise CommandError(f"cannot load the embedding model: {exc}") from exc
        if rebuild:
            index = get_vector_index(caught_up=False)
            index.path.unlink(missing_ok=True)
            index.meta_path.unlink(missing_ok=True)
            from dailypapers.search.vectors import reset_vector_indexes

            reset_vector_indexes()
        # Ctrl-C: the `dailypapers` shell reports it; every finished batch is already committed.
        while True:
            self._once(embedder, batch_size, limit, verbosity)
            if not watch:
                break
            time.sleep(watch)

    def _once(self, embedder, batch_size, limit, verbosity):
        total = pending_papers(embedder.name).count()
        if limit:
            total = min(total, limit)
        if total:
            with tqdm(total=total, unit="paper", desc="embedding", disable=verbosity == 0, smoothing=0.1) as bar:
                report = embed_pending(embedder=embedder, batch_size=batch_size, limit=limit, progress=bar.update)
            if verbosity:
                self.stdout.write(
                    f"embedded {report.embedded} papers ({report.papers_per_second:.1f}/s), "
                    f"linked {report.linked} already-embedded texts"
                )
        state = get_vector_index(caught_up=False).catch_up(save=True)
        if verbosity and (total or state["added"] or state["removed"]):
            self.stdout.write(f"vector index: {state['size']} vectors (+{state['added']} −{state['removed']})")
