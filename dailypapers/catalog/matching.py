"""Whether a paper matches an author, a category, a topic or a keyword: one definition for curation rules,
"for you" follows and digest subscriptions (docs/community.md, "What matches").

- category: the paper is listed in it, as its primary category or as a cross-list; the arXiv
  name exactly (`cs.CL`).
- author: one of its authors has this name, ignoring case (`yann lecun` = `Yann LeCun`); the
  whole name, not a part of it; or a spelling merged with it (catalog/authors.py: following
  "Piotr Miłoś" also matches papers signed "Piotr Milos" once the two are one author).
- topic: every word of the topic appears in the title or the abstract as a whole word,
  ignoring case and word order ("diffusion models" matches "Models of text diffusion", not
  "diffusion modelling"). A word is a run of letters and digits, so "text-to-image" is the
  three words text, to, image. Topics are for narrowing, so all words must be present.
- keyword: the paper carries this keyword (catalog/keywords.py), compared in its stored
  spelling (lower case, single spaces): the papers its topic page (`/topics/<keyword>`) lists.

`paper_matches` is the predicate for papers in hand; `matching` filters a queryset. The
database has no portable whole-word match, so `matching` narrows with one `icontains` per
word (a superset) and keeps what `paper_matches` accepts, so the two agree. SQLite's LIKE folds
the case of ASCII letters only, so words and names with other letters are matched by the
predicate (topics) or by a case-insensitive regular expression, which SQLite runs in Python
(authors), not by LIKE.
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q, QuerySet

from .keywords import normalise_keyword, with_keyword
from .models import Author, PaperAuthor, PaperCategory

AUTHOR, CATEGORY, TOPIC, KEYWORD = "author", "category", "topic", "keyword"
KINDS = (AUTHOR, CATEGORY, TOPIC, KEYWORD)
_WORD = re.compile(r"\w+")
# A topic is a handful of words; more would only make the AND of LIKEs slower, not sharper.
MAX_TOPIC_WORDS = 12


class UnknownMatchKind(ValueError):
    """A kind other than author, category, topic or keyword."""


def topic_words(topic: str) -> list[str]:
    """The distinct lower-cased words of a topic, in order."""
    return list(dict.fromkeys(_WORD.findall((topic or "").lower())))[:MAX_TOPIC_WORDS]


def text_matches_topic(topic: str, text: str) -> bool:
    wanted = topic_words(topic)
    present = set(_WORD.findall((text or "").lower()))
    return bool(wanted) and all(word in present for word in wanted)


def author_spellings(names) -> dict[str, set[str]]:
    """{name: the lower-cased spellings of its author}: the name and every spelling merged with
    it (a variant's canonical name and the canonical's other variants), in two queries for all
    `names`. A name the catalogue lacks maps to itself."""
    names = [name for name in dict.fromkeys(names) if name]
    group_of = {
        name: canonical or pk
        for name, pk, canonical in Author.objects.filter(name__in=names).values_list("name", "pk", "canonical_id")
    }
    spellings: dict[int, set[str]] = {}
    rows = Author.objects.filter(Q(pk__in=group_of.values()) | Q(canonical_id__in=group_of.values()))
    for name, pk, canonical in rows.values_list("name", "pk", "canonical_id"):
        spellings.setdefault(canonical or pk, set()).add(name.lower())
    return {name: spellings.get(group_of.get(name), set()) | {name.lower()} for name in names}


def paper_matches(kind: str, value: str, paper, *, spellings: set[str] | None = None) -> bool:
    """Whether `paper` (a Paper, or anything with title, abstract, author_names, categories,
    keywords) matches. For an author, `spellings` (from `author_spellings`) adds the spellings
    merged with the name; without it only the name itself matches."""
    value = (value or "").strip()
    if kind == CATEGORY:
        return bool(value) and value in (paper.categories or [])
    if kind == AUTHOR:
        wanted = spellings or {value.lower()}
        return bool(value) and not wanted.isdisjoint(name.lower() for name in paper.author_names)
    if kind == TOPIC:
        return text_matches_topic(value, f"{paper.title} {paper.abstract}")
    if kind == KEYWORD:
        return bool(value) and normalise_keyword(value) in (getattr(paper, "keywords", None) or [])
    raise UnknownMatchKind(f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")


def matching(papers: QuerySet, kind: str, value: str) -> QuerySet:
    """Those of `papers` that match, as a queryset (order kept)."""
    value = (value or "").strip()
    if kind == CATEGORY:
        return papers.filter(Exists(PaperCategory.objects.filter(paper=OuterRef("pk"), category=value)))
    if kind == AUTHOR:
        name = {"author__name__iexact": value} if value.isascii() else {"author__name__iregex": f"^{re.escape(value)}$"}
        merged = (  # the same author under a spelling merged with this one (catalog/authors.py)
            Q(author__canonical__name=value)
            | Q(author__variants__name=value)
            | Q(author__canonical__variants__name=value)
        )
        return papers.filter(Exists(PaperAuthor.objects.filter(Q(**name) | merged, paper=OuterRef("pk"))))
    if kind == KEYWORD:
        return with_keyword(papers, value) if value else papers.none()
    if kind != TOPIC:
        raise UnknownMatchKind(f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    words = topic_words(value)
    if not words:
        return papers.none()
    narrowed = papers
    for word in filter(str.isascii, words):
        narrowed = narrowed.filter(Q(title__icontains=word) | Q(abstract__icontains=word))
    candidates = narrowed.order_by().values_list("pk", "title", "abstract")
    ids = [pk for pk, title, abstract in candidates if text_matches_topic(value, f"{title} {abstract}")]
    return papers.filter(pk__in=ids)
