"""Build a `dailypapers eval recommend` folder from the shared arXiv corpus: simulated members
whose liked papers are an author's earlier papers and whose relevant papers are that author's
later ones, among other papers of the corpus as distractors.

Run once, into a scratch folder (never into the repository: the corpus is shared data):

    .venv/bin/python bench/recommend_profiles.py /tmp/recommend-arxiv --profiles 100 --size 3000
    dailypapers eval recommend /tmp/recommend-arxiv --json

An author qualifies with MIN_PAPERS..MAX_PAPERS papers in the corpus (a name on more is often
several people or a large lab). Their papers in listing order: the first half (at most
MAX_LIKED) are `liked`, the rest `relevant`. The corpus holds every profile's papers and a
random sample of the rest of the arXiv corpus up to `--size` papers, written in BEIR form
(`_id`, `title`, `text`) without authors, so the recommender is judged on what papers are
about, not on a shared name. Embedding costs about 11 papers a second on a 2-core machine,
so a few thousand papers is a few minutes; the sample is seeded and the output is the same
every run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT.parent / "shared" / "data" / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"
MIN_PAPERS, MAX_PAPERS = 6, 12
MAX_LIKED = 5


def read_snapshot(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def build(papers: list[dict], *, profiles: int, size: int, seed: int) -> tuple[list[dict], list[dict]]:
    by_author: dict[str, list[dict]] = defaultdict(list)
    for paper in papers:
        for name in dict.fromkeys(paper.get("authors") or []):
            by_author[name].append(paper)
    eligible = sorted(name for name, own in by_author.items() if MIN_PAPERS <= len(own) <= MAX_PAPERS)
    rng = random.Random(seed)
    rng.shuffle(eligible)
    chosen, used = [], set()
    for name in eligible:
        own = sorted(by_author[name], key=lambda p: (p["listing_date"], p["id"]))
        if used & {p["id"] for p in own}:  # keep profiles apart: one paper is never two profiles' answer
            continue
        used |= {p["id"] for p in own}
        half = min(MAX_LIKED, len(own) // 2)
        chosen.append({"_id": name, "liked": [p["id"] for p in own[:half]], "relevant": [p["id"] for p in own[half:]]})
        if len(chosen) == profiles:
            break
    rest = [p for p in papers if p["id"] not in used]
    distractors = rng.sample(rest, max(0, min(len(rest), size - len(used))))
    by_id = {p["id"]: p for p in papers}
    corpus = [by_id[i] for i in sorted(used)] + distractors
    corpus.sort(key=lambda p: p["id"])
    documents = [
        {"_id": p["id"], "title": " ".join(p["title"].split()), "text": " ".join((p.get("summary") or "").split())}
        for p in corpus
    ]
    return documents, chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write corpus.jsonl.gz and profiles.jsonl")
    parser.add_argument("--profiles", type=int, default=100)
    parser.add_argument("--size", type=int, default=3000, help="papers in the corpus, profiles' papers included")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    args = parser.parse_args()
    if not args.snapshot.is_file():
        raise SystemExit(f"{args.snapshot}: the shared arXiv corpus is not there (it sits beside the repository)")
    documents, profiles = build(read_snapshot(args.snapshot), profiles=args.profiles, size=args.size, seed=args.seed)
    args.folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.folder / "corpus.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(doc) + "\n" for doc in documents)
    with (args.folder / "profiles.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(profile) + "\n" for profile in profiles)
    liked = sum(len(p["liked"]) for p in profiles)
    relevant = sum(len(p["relevant"]) for p in profiles)
    print(f"{args.folder}: {len(documents)} papers, {len(profiles)} profiles ({liked} liked, {relevant} relevant)")


if __name__ == "__main__":
    main()
