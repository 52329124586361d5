"""How long "for you" takes per member: training the taste model (taste.train) and ranking the
candidates through `rank_papers` with a stored model, on the scratch database that
`dailypapers eval recommend FOLDER` loaded and embedded. Prints medians and p95 in ms.

Run after the eval (SQLite scratch database under $DAILYPAPERS_HOME/eval/recommend-<folder>/):

    DAILYPAPERS_HOME=var .venv/bin/python bench/recommend_speed.py /tmp/rec-arxiv --members 30

Every member is an eval profile (its liked papers upvoted), so the numbers are for 2–5 liked
papers and all other papers of the corpus as candidates (3,000 for the folder in docs/recommend.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="benchmark folder already loaded by `dailypapers eval recommend`")
    parser.add_argument("--members", type=int, default=30)
    args = parser.parse_args()
    folder = args.folder.expanduser().resolve()
    home = Path(os.environ.get("DAILYPAPERS_HOME", ROOT / "var")).resolve()
    os.environ["DAILYPAPERS_HOME"] = str(home / "eval" / f"recommend-{folder.name}")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    os.environ["DATABASE_URL"] = ""
    import django

    django.setup()
    from dailypapers.catalog.models import Paper
    from dailypapers.community.foryou import rank_papers
    from dailypapers.community.recommend_eval import _like, _member, read_profiles
    from dailypapers.community.signals_of import signals_of
    from dailypapers.community.taste import taste_for, train
    from dailypapers.search.evaluation import ID_PREFIX

    papers = list(Paper.objects.filter(arxiv_id__startswith=ID_PREFIX).order_by("-pk"))
    by_id = {p.arxiv_id.removeprefix(ID_PREFIX): p for p in papers}
    if not papers:
        raise SystemExit(f"{os.environ['DAILYPAPERS_HOME']}: no eval papers; run `dailypapers eval recommend` first")
    training, ranking = [], []
    for index, profile in enumerate(read_profiles(folder)[: args.members]):
        member = _member(index)
        liked = [by_id[i] for i in profile["liked"]]
        _like(member, liked)
        signals = signals_of(member)
        started = time.perf_counter()
        train(signals)
        training.append((time.perf_counter() - started) * 1000)
        taste_for(member, signals)  # stored: ranking below reads it
        candidates = [p for p in papers if p.pk not in {x.pk for x in liked}]
        started = time.perf_counter()
        rank_papers(user=member, candidates=candidates, limit=30)
        ranking.append((time.perf_counter() - started) * 1000)

    def line(name, values):
        p95 = sorted(values)[max(0, int(len(values) * 0.95) - 1)]
        return f"{name:28s} median {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms   (n={len(values)})"

    print(f"{len(papers)} papers, {len(training)} members")
    print(line("train the model", training))
    print(line(f"rank {len(papers) - 5}+ candidates", ranking))


if __name__ == "__main__":
    main()
