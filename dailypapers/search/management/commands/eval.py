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

import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dailypapers.search.evaluation import MODES, BenchmarkError, load_documents, read_qrels, read_queries

SCRATCH_FLAG = "DAILYPAPERS_EVAL_SCRATCH"


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
        if os.environ.get(SCRATCH_FLAG) == "1":
            return self._inner(folder, modes, json, verbosity, runs)
        scratch = Path(settings.HOME) / "eval" / folder.name
        if database_url:  # its own vector index folder: paper ids differ between databases
            scratch = scratch.with_name(
                f"{folder.name}-{hashlib.blake2b(database_url.encode(), digest_size=4).hexdigest()}"
            )
        if fresh and scratch.exists():
            shutil.rmtree(scratch)
        scratch.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            SCRATCH_FLAG: "1",
            "DAILYPAPERS_HOME": str(scratch),
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "dailypapers.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
        }
        command = [
            sys.executable,
            "-m",
            "dailypapers.cli",
            "eval",
            str(folder),
            "--modes",
            *modes,
            "--verbosity",
            str(verbosity),
        ]
        if json:
            command.append("--json")
        if runs:
            command += ["--runs", str(runs.expanduser().resolve())]
        result = subprocess.run(command, env=env)
        if result.returncode:
            raise SystemExit(result.returncode)

    def _inner(self, folder, modes, as_json, verbosity, runs_file):
        from django.core.management import call_command

        from dailypapers.search.embedder import EmbedderUnavailable
        from dailypapers.search.evaluation import run_queries
        from dailypapers.search.vectors import get_vector_index

        try:
            queries, qrels = read_queries(folder), read_qrels(folder)
            call_command("migrate", verbosity=0)
            from dailypapers.catalog.models import Paper
            from dailypapers.search.evaluation import ID_PREFIX

            others = Paper.objects.exclude(arxiv_id__startswith=ID_PREFIX).count()
            if others:
                raise CommandError(
                    f"--database-url: that database holds {others} papers that are not eval documents; "
                    "give an empty database made for the eval, never the site's"
                )
            added = load_documents(folder)
            if verbosity and added:
                self.stderr.write(f"loaded {added} documents into the scratch database")
            if set(modes) - {"keyword"}:
                call_command("index", verbosity=verbosity if not as_json else 0, stdout=self.stderr)
                get_vector_index().catch_up(save=True)
            runs = {} if runs_file else None
            scores = run_queries(queries, qrels, modes=modes, runs=runs)
            if runs_file:
                runs_file.write_text(json.dumps(runs))
        except (BenchmarkError, EmbedderUnavailable) as exc:
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
