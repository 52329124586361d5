"""`dailypapers eval DIR`: nDCG@10, Recall@100 and MRR@10 of keyword, semantic and hybrid search
on a BEIR-style benchmark folder, through the real search code in a scratch database.

The scratch database is SQLite under $DAILYPAPERS_HOME/eval/<folder name>/ (never the site's
database); it is kept between runs, so documents are loaded and embedded once (`--fresh`
starts over). `--database-url` measures on another database instead, e.g. an empty
PostgreSQL database made for it (PostgreSQL ranks keywords with ts_rank, so its numbers
differ); a database holding any paper that is not an eval document is refused. The command
runs itself again in a child process pointed at that database, so the site's own settings
and connections are never touched.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dailypapers.search.evaluation import MODES, BenchmarkError, read_qrels, read_queries
from dailypapers.search.scratch import NotAScratchDatabase, in_scratch, prepare_scratch, run_in_scratch


class Command(BaseCommand):
    help = "Measure search quality (nDCG@10, Recall@100, MRR@10 per mode) on a BEIR-style benchmark folder."
    example = "dailypapers eval ../shared/data/scifact --json"

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="folder with corpus.jsonl[.gz], queries.jsonl and qrels.tsv")
        parser.add_argument(
            "--json", action="store_true", help='print {"keyword": {"ndcg@10": …}, "semantic": …, "hybrid": …}'
        )
        parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
        parser.add_argument("--fresh", action="store_true", help="delete the scratch database first")
        parser.add_argument(
            "--runs",
            type=Path,
            default=None,
            metavar="FILE",
            help="also write each mode's ranked ids per query to FILE as JSON (for pooling judgements)",
        )
        parser.add_argument(
            "--database-url",
            default="",
            metavar="URL",
            help="measure on this scratch database (e.g. an empty PostgreSQL database) instead of SQLite",
        )

    def handle(
        self,
        *args,
        folder: Path,
        json: bool = False,
        modes=None,
        fresh=False,
        database_url="",
        runs=None,
        verbosity=1,
        **options,
    ):
        folder = folder.expanduser().resolve()
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder")
        if in_scratch():
            return self._inner(folder, modes, json, verbosity, runs)
        argv = ["eval", str(folder), "--modes", *modes, "--verbosity", str(verbosity)]
        if json:
            argv.append("--json")
        if runs:
            argv += ["--runs", str(runs.expanduser().resolve())]
        run_in_scratch(name=folder.name, database_url=database_url, fresh=fresh, argv=argv)

    def _inner(self, folder, modes, as_json, verbosity, runs_file):
        from django.core.management import call_command

        from dailypapers.search.embedder import EmbedderUnavailable
        from dailypapers.search.evaluation import run_queries
        from dailypapers.search.vectors import get_vector_index

        try:
            queries, qrels = read_queries(folder), read_qrels(folder)
            added = prepare_scratch(folder)
            if verbosity and added:
                self.stderr.write(f"loaded {added} documents into the scratch database")
            if set(modes) - {"keyword"}:
                call_command("index", verbosity=verbosity if not as_json else 0, stdout=self.stderr)
                get_vector_index().catch_up(save=True)
            runs = {} if runs_file else None
            scores = run_queries(queries, qrels, modes=modes, runs=runs)
            if runs_file:
                runs_file.write_text(json.dumps(runs))
        except (BenchmarkError, EmbedderUnavailable, NotAScratchDatabase) as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(scores))
            return
        self.stdout.write(f"{folder.name}: {sum(1 for q in qrels if q in queries)} judged queries")
        self.stdout.write(f"{'mode':10s}{'nDCG@10':>10s}{'Recall@100':>12s}{'MRR@10':>9s}")
        for mode, values in scores.items():
            self.stdout.write(
                f"{mode:10s}{values['ndcg@10']:>10.3f}{values['recall@100']:>12.3f}{values['mrr@10']:>9.3f}"
            )
