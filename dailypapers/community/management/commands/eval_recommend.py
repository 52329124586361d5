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

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dailypapers.search.evaluation import BenchmarkError
from dailypapers.search.scratch import NotAScratchDatabase, in_scratch, prepare_scratch, run_in_scratch


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
        if in_scratch():
            return self._inner(folder, json, verbosity)
        argv = ["eval_recommend", str(folder), "--verbosity", str(verbosity)] + (["--json"] if json else [])
        run_in_scratch(name=f"recommend-{folder.name}", database_url=database_url, fresh=fresh, argv=argv)

    def _inner(self, folder: Path, as_json: bool, verbosity: int):
        from django.core.management import call_command

        from dailypapers.community.recommend_eval import evaluate, read_profiles
        from dailypapers.search.embedder import EmbedderUnavailable

        try:
            profiles = read_profiles(folder)  # a bad profiles file fails before the long part
            added = prepare_scratch(folder)
            if verbosity and added:
                self.stderr.write(f"loaded {added} documents into the scratch database")
            call_command("index", verbosity=verbosity if not as_json else 0, stdout=self.stderr)
            progress = self.stderr.write if verbosity and not as_json else None
            scores = evaluate(folder, progress=progress)
        except (BenchmarkError, EmbedderUnavailable, NotAScratchDatabase) as exc:
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
