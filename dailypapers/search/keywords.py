"""Keywords of a paper, extracted offline from its title and abstract (docs/keywords.md).

KeyBERT's method with the model we already ship (search/embedder.py), no other model, no
network: candidate phrases are the runs of one to three words between stop words and
punctuation (a noun-phrase stand-in that needs no part-of-speech tagger), each candidate is
embedded, and maximal marginal relevance picks up to `MAX_KEYWORDS` that are close to the
paper's own embedding and far from each other. Measured against YAKE (the statistical
extractor on PyPI) on the papers of our corpus whose abstracts carry author keywords
(bench/keywords_quality.py); why this one is in docs/keywords.md.

Deterministic: a paper's candidates are embedded in one model call of their own, in sorted
order. The model quantises activations per call (dynamic int8), so a vector depends a little
on what else is in the batch; batching several papers' candidates together would make a
paper's keywords depend on its neighbours in the queue.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np

from dailypapers.search.embedder import Embedder, paper_text
from dailypapers.search.vectors import vectors_of_papers

MIN_KEYWORDS, MAX_KEYWORDS = 3, 8
# Longer runs are clauses, not terms: 94.5 % of the 346 author keywords of the benchmark below
# have 1-3 words.
MAX_WORDS = 3
# Candidates embedded per paper, the most frequent first (then the earliest). An abstract has
# 57-145 acceptable phrases (10th-90th percentile, median 94) and their model call is most of
# the cost. On the benchmark (60 papers, one thread, paper embedded too): 32 candidates 47 ms a
# paper, F1 0.153, precision 0.21; 48: 62 ms, 0.150, 0.20; 64: 72 ms, 0.151, 0.19; 128: 119 ms,
# 0.146, 0.18. The rarer phrases past the first 32 add cost and chips, not quality.
MAX_CANDIDATES = 32
# MMR: relevance to the paper against redundancy with what is already picked. On the
# benchmark (measured before the word-overlap rules below) 0.1-0.2 scored F1 0.14, 0.4 0.12,
# 0.6 0.09: abstracts are short, their candidates overlap little, and a strong penalty only
# pushes relevant terms out for marginal ones. Repeats in other words ("defect detection tools"
# after "defect detection") are caught by their words instead (_overlap).
DIVERSITY = 0.2
# After the first MIN_KEYWORDS, a keyword must be at least this close to the paper's vector
# relative to the best one: the tail below it was generic ("results", "approach"). Measured
# before the word-overlap rules: 0.8 kept 4.2 keywords a paper at precision 0.16, 0.7 kept 5.5
# at 0.14, with the same F1 (0.138); fewer, surer chips.
RELATIVE_FLOOR = 0.8

_MATH = re.compile(r"\$[^$]*\$|\\\(.*?\\\)|https?://\S+|\S+@\S+")
# A word: letters, digits and inner hyphens ("text-to-image", "gpt-4o", "3d"); anything else
# (punctuation, brackets, math) ends a run of words.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")

STOP_WORDS = frozenset(
    # English function words
    """a about above across after again against all almost along already also although always am among an and
    another any anyone anything are around as at be became because become becomes been before being below
    between both but by can cannot could did do does doing done down during each either else enough especially
    etc even ever every few for from further had has have having he her here hers herself him himself his how
    however i if in into is it its itself just least less like made make makes making many may me might more
    most much must my myself neither no nor not now of off often on once one only onto or other others our ours
    ourselves out over own per perhaps quite rather really same several shall she should since so some such
    than that the their theirs them themselves then there thereby therefore these they this those though three
    through thus to together too toward towards two under until up upon us very via was we well were what when
    whereas whether which while who whom whose why will with within without would yet you your
    """
    # words of abstracts that say how, not what: verbs, hedges, evaluation talk
    """ability able achieve achieved achieves achieving across additionally address addresses addressing
    allow allows analysis analyze analyzed apply applied applies approach approaches based benchmark
    benchmarks better beyond called case cases challenge challenges challenging code compared comparison
    consider considered consistently crucial current currently demonstrate demonstrated demonstrates
    demonstrating design designed despite different directly easily effective effectively efficient
    efficiently empirical enable enables enabling endow enhance enhanced enhances enhancing ensure ensures
    evaluate evaluated evaluation evaluations existing experiment experimental experiments explore explores
    extensive extensively far first framework frameworks fully furthermore general given goal good great
    help helps high higher highly however identify improve improved improvement improvements improves
    improving include includes including increase increasingly introduce introduced introduces introducing
    investigate key large largely lead leading leads leverage leverages leveraging limited low lower main
    maintaining method methods moreover new novel observe obtain offer offers outperform outperforming
    outperforms overall paper particular particularly perform performance performs potential present
    presented presents previous prior problem problems promising propose proposed proposes provide provided
    provides providing publicly range real recent recently reduce reduces reducing related remain remains
    require requires research respectively result results reveal reveals robust scenarios second
    show showing shown shows significant significantly simple specific state study studies substantial
    substantially success successfully superior task tasks terms third use used uses using usually various
    way ways whereas widely work works yield yields
    """.split()
)


@dataclass(frozen=True)
class Keyword:
    keyword: str  # lower case, words separated by one space
    score: float  # cosine similarity to the paper's embedding, 4 decimals


# Without a part-of-speech tagger, verbs are told apart by where they stand: right after "we"
# or a modal ("we reconstruct", "can detect"), or after "to" unless plural ("to synthesize", not
# "to images"). Such a word may not start a phrase ("detect adversarial prompts").
_VERB_CUES = frozenset("we to can cannot could may might must should will would".split())
# -ly words are adverbs ("truly", "systematically") save these nouns.
_LY_NOUNS = frozenset("anomaly assembly family supply italy butterfly monopoly".split())
# -ing words that start a term as nouns ("learning rate", "reasoning models"); any other -ing
# word at the start is a verb ("harnessing chain-of-thought metadata").
_ING_NOUNS = frozenset(
    """learning training reasoning embedding embeddings rendering tracking sampling routing planning
    clustering computing processing matching modeling modelling scaling pruning reranking coding prompting
    pooling forecasting editing captioning grounding retrieval-augmented fine-tuning engineering
    manufacturing imaging mapping parsing reading understanding""".split()
)


# A phrase does not end in an adjective ("engineered scientific", "deep neural", "annotate
# rhetorical" were chips before this rule). Without a tagger: these endings, save the nouns
# below that share them.
_ADJECTIVE_END = re.compile(r"(ical|ic|al|ive|ous|ful|able|ible|ed|ar|-based|-driven|-aware|-level|-like|-free|-wise)$")
_NOUNS_LIKE_ADJECTIVES = frozenset(
    """signal signals retrieval interval proposal arrival journal animal hospital material portal trial tutorial
    rival terminal potential approval removal survival rehearsal reversal withdrawal disposal denial dismissal
    logic music topic traffic graphic metric clinic fabric rhetoric arithmetic epidemic pandemic heuristic
    diagnostic optic objective directive alternative representative incentive perspective initiative speed seed
    feed need bed embed grammar seminar scholar radar solar polar lidar sonar cellular pillar calendar bar
    star war car ai ml""".split()
)


def _runs(text: str) -> tuple[list[list[str]], set[str]]:
    """Runs of content words, split at stop words, punctuation and math; and the words that
    stand where verbs stand (see _VERB_CUES)."""
    runs: list[list[str]] = [[]]
    verbs: set[str] = set()
    previous = ""
    for token in _TOKEN.findall(_MATH.sub(" . ", text)):
        word = token.lower()
        if previous in _VERB_CUES and token[0].isalpha() and not (previous == "to" and word.endswith("s")):
            verbs.add(word)
        previous = word
        if not token[0].isalnum() or word in STOP_WORDS or len(word) > 40:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(word)
    return [run for run in runs if run], verbs


def _acceptable(words: tuple[str, ...], verbs: set[str]) -> bool:
    """A phrase with a word that is not a digit or a single letter; no adverbs; not starting
    with a verb; not ending in an adjective or a possessive."""
    if not any(len(w) > 1 and not w.isdigit() for w in words):
        return False
    if any(w.endswith("ly") and w not in _LY_NOUNS for w in words):
        return False
    last = words[-1]
    if _ADJECTIVE_END.search(last) and last not in _NOUNS_LIKE_ADJECTIVES:
        return False
    first = words[0]
    if first in verbs or (first.endswith("ing") and first not in _ING_NOUNS):
        return False
    return not words[-1].endswith("'s")


def candidates(title: str, abstract: str) -> list[str]:
    """The phrases worth scoring: 1-3 word n-grams of the content-word runs of the title and
    abstract, most frequent first, then in order of first appearance; at most MAX_CANDIDATES."""
    counts: dict[str, int] = {}
    runs, verbs = _runs(f"{title} .\n{abstract}")
    for run in runs:
        for size in range(1, min(MAX_WORDS, len(run)) + 1):
            for start in range(len(run) - size + 1):
                words = tuple(run[start : start + size])
                if _acceptable(words, verbs):
                    phrase = " ".join(words)
                    counts[phrase] = counts.get(phrase, 0) + 1
    order = {phrase: index for index, phrase in enumerate(counts)}
    ranked = sorted(counts, key=lambda phrase: (-counts[phrase], order[phrase]))
    return ranked[:MAX_CANDIDATES]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"  # ontologies
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]  # structures, models (not loss, corpus, analysis)
    return word


def _word_key(phrase: str) -> frozenset[str]:
    """The phrase's words, singular, hyphens as spaces: "test-suites" and "test suite" are one."""
    return frozenset(_singular(word) for word in phrase.replace("-", " ").split())


def _overlap(key: frozenset[str], picked: list[frozenset[str]]) -> tuple[str, int]:
    """How a phrase relates to those picked: ("same", i) for the same words as picked[i] or
    more of them ("defect detection tools" after "defect detection": it says nothing new),
    ("shorter", i) for a part of picked[i] (the shorter is the better topic: more papers
    share it), ("new", -1) otherwise."""
    if any(other <= key for other in picked):
        return "same", -1
    longer = [index for index, other in enumerate(picked) if key < other]
    return ("shorter", longer[0]) if longer else ("new", -1)


def select_mmr(phrases: list[str], vectors: np.ndarray, document: np.ndarray) -> list[Keyword]:
    """Maximal marginal relevance over unit vectors: up to MAX_KEYWORDS phrases, at least
    MIN_KEYWORDS when there are that many."""
    if not phrases:
        return []
    relevance = vectors @ document
    similarity = vectors @ vectors.T
    picked: list[int] = []
    keys: list[frozenset[str]] = []
    best = float(relevance.max())
    available = list(range(len(phrases)))
    while available and len(picked) < MAX_KEYWORDS:
        if picked:
            redundancy = similarity[np.ix_(available, picked)].max(axis=1)
        else:
            redundancy = np.zeros(len(available))
        gain = (1 - DIVERSITY) * relevance[available] - DIVERSITY * redundancy
        # ties (equal to float precision) go to the phrase that sorts first: deterministic
        choice = available[min(range(len(available)), key=lambda i: (-round(float(gain[i]), 6), phrases[available[i]]))]
        available.remove(choice)
        if len(picked) >= MIN_KEYWORDS and relevance[choice] < RELATIVE_FLOOR * best:
            continue
        key = _word_key(phrases[choice])
        overlap, index = _overlap(key, keys)
        if overlap == "shorter":  # it takes the first longer one's place; other longer ones go
            keep = [i == index or not key < other for i, other in enumerate(keys)]
            keys[index], picked[index] = key, choice
            keys = [k for k, kept in zip(keys, keep, strict=True) if kept]
            picked = [p for p, kept in zip(picked, keep, strict=True) if kept]
        elif overlap == "new":
            keys.append(key)
            picked.append(choice)
    return [Keyword(phrases[i], round(float(relevance[i]), 4)) for i in picked]


def extract_keywords(
    title: str, abstract: str, *, embedder: Embedder, document: np.ndarray | None = None
) -> list[Keyword]:
    """3-8 keywords of a paper, best first. `document` is the paper's stored unit vector (the
    embedding of search.embedder.paper_text); without it the paper is embedded here."""
    phrases = sorted(candidates(title, abstract))
    if not phrases:
        return []
    if document is None:
        document = embedder.embed([paper_text(title, abstract)])[0]
    vectors = embedder.embed(phrases)
    return select_mmr(phrases, vectors, np.asarray(document, dtype=np.float32))


# --- stored papers ------------------------------------------------------------------------
@dataclass
class KeywordReport:
    papers: int = 0  # papers whose keywords were (re)written
    seconds: float = 0.0

    @property
    def papers_per_second(self) -> float:
        return self.papers / self.seconds if self.seconds else 0.0


def keywords_of(papers: dict[int, tuple[str, str, np.ndarray | None]], embedder: Embedder) -> dict:
    """{paper id: [(keyword, score), …]} for {paper id: (title, abstract, unit vector or None)}."""
    return {
        pid: [(k.keyword, k.score) for k in extract_keywords(title, abstract, embedder=embedder, document=vector)]
        for pid, (title, abstract, vector) in papers.items()
    }


def pending_keyword_papers():
    """Papers whose keywords were never extracted (Paper.keywords is null), newest first."""
    from dailypapers.catalog.models import Paper

    return Paper.objects.filter(keywords__isnull=True).order_by("-listing_date", "-id")


def extract_pending(
    *,
    embedder: Embedder,
    everything: bool = False,
    limit: int | None = None,
    chunk: int = 64,
    progress=None,
) -> KeywordReport:
    """Extract and store keywords of papers that have none yet (`everything`: of every paper,
    e.g. after a change of the extractor), newest first, `chunk` papers a transaction: safe
    to interrupt and re-run. The paper's stored vector is used when it has one, else the paper
    is embedded here (its embedding is not stored: that is `dailypapers index`'s job)."""
    from dailypapers.catalog.keywords import save_keywords
    from dailypapers.catalog.models import Paper

    report = KeywordReport()
    started = time.perf_counter()
    if everything:
        ids = list(Paper.objects.order_by("-listing_date", "-id").values_list("id", flat=True)[:limit])
    else:
        ids = list(pending_keyword_papers().values_list("id", flat=True)[:limit])
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        vectors = vectors_of_papers(part, model=embedder.name)
        rows = Paper.objects.filter(id__in=part).values_list("id", "title", "abstract")
        found = keywords_of({pid: (title, abstract, vectors.get(pid)) for pid, title, abstract in rows}, embedder)
        save_keywords(found)
        report.papers += len(found)
        if progress:
            progress(len(part))
    report.seconds = time.perf_counter() - started
    return report
