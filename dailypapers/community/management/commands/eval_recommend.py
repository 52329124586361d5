"""`dailypapers eval recommend DIR`: nDCG@10, Recall@50 and MRR@10 of "for you" (the model, the
mean-embedding baseline and the fallback) on simulated members, through the real ranking code
in a scratch database (community/recommend_eval.py says what DIR holds).

As `dailypapers eval` does for search: the scratch database is SQLite under
$DAILYPAPERS_HOME/eval/recommend-<folder name>/, never the site's; it is kept between runs so
the corpus is loaded and embedded once (`--fresh` starts over); `--database-url` measures on an
empty database made for it instead. The command runs itself again in a child process pointed
at the scratch database, so the site's settings and connections are never touched.
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

from dailypapers.search.evaluation import ID_PREFIX, BenchmarkError, load_documents
from dailypapers.search.management.commands.eval import SCRATCH_FLAG


class Command(BaseCommand):
    help = 'Measure "for you" (nDCG@10, Recall@50, MRR@10: model, mean embedding, fallback) on simulated members.'
    example = "dailypapers eval_recommend /tmp/recommend-arxiv --json  (or: dailypapers eval recommend DIR)"

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="folder with corpus.jsonl[.gz] and profiles.jsonl")
        parser.add_argument(
            "--json", action="store_true", help='print {"model": {"ndcg@10": …}, "mean_embedding": …, "fallback": …}'
        )
        parser.add_argument("--fresh", action="store_true", help="delete the scratch database first")
        parser.add_argument(
            "--database-url", default="", metavar="URL", help="measure on this empty scratch database instead of SQLite"
        )

    def handle(self, *args, folder: Path, json=False, fresh=False, database_url="", verbosity=1, **options):
        folder = folder.expanduser().resolve()
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder")
        if os.environ.get(SCRATCH_FLAG) == "1":
            return self._inner(folder, json, verbosity)
        scratch = Path(settings.HOME) / "eval" / f"recommend-{folder.name}"
        if database_url:  # its own vector index folder: paper ids differ between databases
            scratch = scratch.with_name(
                f"{scratch.name}-{hashlib.blake2b(database_url.encode(), digest_size=4).hexdigest()}"
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
            "eval_recommend",
            str(folder),
            "--verbosity",
            str(verbosity),
        ]
        result = subprocess.run(command + (["--json"] if json else []), env=env)
        if result.returncode:
            raise SystemExit(result.returncode)

    def _inner(self, folder: Path, as_json: bool, verbosity: int):
        from django.core.management import call_command

        from dailypapers.catalog.models import Paper
        from dailypapers.community.recommend_eval import evaluate, read_profiles
        from dailypapers.search.embedder import EmbedderUnavailable

        try:
            profiles = read_profiles(folder)  # a bad profiles file fails before the long part
            call_command("migrate", verbosity=0)
            others = Paper.objects.exclude(arxiv_id__startswith=ID_PREFIX).count()
            if others:
                raise CommandError(
                    f"--database-url: that database holds {others} papers that are not eval documents; "
                    "give an empty database made for the eval, never the site's"
                )
            added = load_documents(folder)
            if verbosity and added:
                self.stderr.write(f"loaded {added} documents into the scratch database")
            call_command("index", verbosity=verbosity if not as_json else 0, stdout=self.stderr)
            progress = self.stderr.write if verbosity and not as_json else None
            scores = evaluate(folder, progress=progress)
        except (BenchmarkError, EmbedderUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(scores))
            return
        self.stdout.write(f"{folder.name}: {len(profiles)} profiles")
        self.stdout.write(f"{'ranking':16s}{'nDCG@10':>10s}{'Recall@50':>11s}{'MRR@10':>9s}")
        for name, values in scores.items():
            self.stdout.write(
                f"{name:16s}{values['ndcg@10']:>10.3f}{values['recall@50']:>11.3f}{values['mrr@10']:>9.3f}"
            )
