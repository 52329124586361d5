"""Keyword quality against author-assigned keywords, and extraction speed.

Run: `python bench/keywords_quality.py [--yake] [--limit N]` (no database; reads the shared corpus at
../shared/data/arxiv/). The benchmark is built from our data: abstracts that end with the authors'
own keyword list ("Keywords: …", "Index Terms—…"), 62 of the corpus's 74,728. The list is cut off
the abstract, the extractor reads the title and the rest, and its keywords are compared with the
authors' after normalising both (lower case, one space, a plural "s" dropped):
- exact P/R/F1: a keyword counts when it equals an author keyword (the usual keyphrase
  measure, strict: "llm agents" for "LLM-based agents" scores nothing);
- "present" recall: recall against the author keywords that occur in the text at all, the
  most an extractor that copies phrases can find;
- word P: the share of extracted keywords with a word in common with some author keyword.
`--yake` adds YAKE (pip install yake; LGPLv3), with the same count of keywords per paper as
ours, so precision compares like with like.

`--sharing N` answers another question: do topic pages gather papers? It extracts the keywords
of N consecutive corpus papers (a few listing days) and prints how many distinct keywords
there are, how many chips open a topic page with at least 2 / 5 of those papers, and the
commonest keywords.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "data" / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"
_SECTION = re.compile(r"(?i)\b(?:keywords|key words|index terms)\s*[:—–-]+\s*(.*)$")


def normalise(phrase: str) -> str:
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", phrase.lower())
    return " ".join(re.sub(r"(?<=[a-z]{3})(es|s)$", "", w) for w in words)


def author_keyword_papers(limit: int | None = None) -> list[dict]:
    """Papers whose abstract ends with the authors' keywords, the list cut off the abstract."""
    found = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            abstract = " ".join(record["summary"].split())
            match = _SECTION.search(abstract)
            if not match:
                continue
            parts = [p.strip(" .") for p in re.split(r"[;,·•]|\s-\s|\s—\s", match.group(1))]
            gold = {normalise(p) for p in parts if 0 < len(p.split()) <= 6}
            gold.discard("")
            if len(gold) >= 2:
                text = abstract[: match.start()].strip()
                found.append({"id": record["id"], "title": record["title"], "abstract": text, "gold": gold})
            if limit and len(found) >= limit:
                break
    return found


def score(papers: list[dict], predicted: list[list[str]]) -> dict:
    tp = n_pred = n_gold = present_hits = present = word_hits = 0
    for paper, keywords in zip(papers, predicted, strict=True):
        mine = {normalise(k) for k in keywords}
        gold = paper["gold"]
        text = normalise(f"{paper['title']} {paper['abstract']}")
        tp += len(mine & gold)
        n_pred += len(mine)
        n_gold += len(gold)
        in_text = {g for g in gold if f" {g} " in f" {text} "}
        present += len(in_text)
        present_hits += len(mine & in_text)
        gold_words = {w for g in gold for w in g.split()}
        word_hits += sum(1 for k in mine if set(k.split()) & gold_words)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    return {
        "P": precision,
        "R": recall,
        "F1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "present R": present_hits / present if present else 0.0,
        "word P": word_hits / n_pred if n_pred else 0.0,
        "per paper": n_pred / len(papers),
    }


def sharing(count: int) -> None:
    from collections import Counter

    from dailypapers.search.embedder import MODEL_PATH, TOKENIZER_PATH, Embedder
    from dailypapers.search.keywords import extract_keywords

    embedder = Embedder(MODEL_PATH, TOKENIZER_PATH)
    papers: Counter[str] = Counter()
    chips = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            keywords = {k.keyword for k in extract_keywords(record["title"], record["summary"], embedder=embedder)}
            papers.update(keywords)
            chips += len(keywords)
            count -= 1
            if count == 0:
                break
    shared2 = sum(n for n in papers.values() if n >= 2)
    shared5 = sum(n for n in papers.values() if n >= 5)
    print(f"{chips} chips, {len(papers)} distinct keywords")
    print(f"chips whose topic page lists >= 2 of these papers: {shared2 / chips:.1%}; >= 5: {shared5 / chips:.1%}")
    print("commonest:", ", ".join(f"{k} ({n})" for k, n in papers.most_common(20)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--yake", action="store_true", help="also measure YAKE (pip install yake)")
    parser.add_argument("--limit", type=int, default=None, help="at most this many papers")
    parser.add_argument("--show", type=int, default=5, help="print this many papers' keywords")
    parser.add_argument("--sharing", type=int, default=0, metavar="N", help="topic sizes over N corpus papers")
    args = parser.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"corpus not found: {CORPUS}")
    from dailypapers.search.embedder import MODEL_PATH, TOKENIZER_PATH, Embedder
    from dailypapers.search.keywords import extract_keywords

    if args.sharing:
        sharing(args.sharing)
        return
    papers = author_keyword_papers(args.limit)
    gold_total = sum(len(p["gold"]) for p in papers)
    print(f"{len(papers)} papers with author keywords ({gold_total} keywords)")
    embedder = Embedder(MODEL_PATH, TOKENIZER_PATH, threads=1)
    started = time.perf_counter()
    ours = [[k.keyword for k in extract_keywords(p["title"], p["abstract"], embedder=embedder)] for p in papers]
    ms = 1000 * (time.perf_counter() - started) / len(papers)
    results = {"ours (KeyBERT-style, MiniLM + MMR)": (score(papers, ours), ms)}
    if args.yake:
        import yake

        started = time.perf_counter()
        theirs = []
        for paper, mine in zip(papers, ours, strict=True):
            extractor = yake.KeywordExtractor(lan="en", n=3, top=len(mine), dedupLim=0.9)
            theirs.append([k for k, _ in extractor.extract_keywords(f"{paper['title']}. {paper['abstract']}")])
        ms_yake = 1000 * (time.perf_counter() - started) / len(papers)
        results["YAKE 0.7 (n=3, same count)"] = (score(papers, theirs), ms_yake)
    print(f"{'extractor':38} {'P':>6} {'R':>6} {'F1':>6} {'presR':>6} {'wordP':>6} {'k/paper':>7} {'ms/paper':>8}")
    for name, (s, cost) in results.items():
        print(
            f"{name:38} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {s['present R']:6.3f} {s['word P']:6.3f} "
            f"{s['per paper']:7.1f} {cost:8.1f}"
        )
    for paper, mine in list(zip(papers, ours, strict=True))[: args.show]:
        print(f"\n{paper['id']} {paper['title'][:80]}\n  authors: {sorted(paper['gold'])}\n  ours:    {mine}")
        if args.yake:
            print(f"  yake:    {theirs[papers.index(paper)]}")


if __name__ == "__main__":
    main()
