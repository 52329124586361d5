"""What a user typed, parsed into parts: words, "quoted phrases", -exclusions, author:, cat:.

The parser never fails: anything it does not understand is a plain word. Each backend turns
the parts into its own query language with every word quoted or passed as a bound parameter,
so FTS syntax a user types (NEAR, *, :, unbalanced quotes) is searched for, never executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500  # longer input is cut here: no search needs more, and a 10 kB query should cost no more
MAX_WORDS = 32

# Words too common to help ranking; dropped from the OR of plain words unless nothing is left.
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from has have how in into is it its of on or "
    "that the their this to via was we what when which while who why will with without".split()
)

_TOKEN = re.compile(r'(-?)(?:(author|cat|category):)?(?:"([^"]*)"?|(\S+))', re.IGNORECASE)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class ParsedQuery:
    text: str  # the query as searched (cut to MAX_QUERY_CHARS)
    words: list[str] = field(default_factory=list)  # plain words (or hyphenated units): any may match
    phrases: list[str] = field(default_factory=list)  # each must match, words in order
    excluded: list[str] = field(default_factory=list)  # none may match
    authors: list[str] = field(default_factory=list)  # author name contains each
    categories: list[str] = field(default_factory=list)  # paper in one of these categories

    @property
    def meaning_text(self) -> str:
        """The part worth embedding: plain words and phrases, without operators."""
        return " ".join(self.phrases + self.words).strip()

    @property
    def has_keyword_part(self) -> bool:
        return bool(self.words or self.phrases)

    def ranking_words(self) -> list[str]:
        content = [w for w in self.words if w.lower() not in STOPWORDS]
        return content or list(self.words)

    def highlight_terms(self) -> list[str]:
        terms = []
        for unit in self.words + self.phrases:
            words = _WORD.findall(unit)
            terms += words
            if len(words) > 1:  # "self-play" counts "selfplay" too (rescore._count): marked as well
                terms.append("".join(words))
        return [t for t in terms if t.lower() not in STOPWORDS]


def words_of(text: str) -> list[str]:
    """The searchable words of a piece of text (letters and digits, any script)."""
    return _WORD.findall(text)


def parse_query(text: str) -> ParsedQuery:
    text = (text or "").replace("\x00", " ")[:MAX_QUERY_CHARS].strip()
    parsed = ParsedQuery(text=text)
    for match in _TOKEN.finditer(text):
        negated, field_name, quoted, bare = match.groups()
        value = quoted if quoted is not None else bare
        if field_name:
            if not value:
                continue
            target = parsed.authors if field_name.lower() == "author" else parsed.categories
            target.append(value.strip())
            continue
        words = words_of(value or "")
        if not words:
            continue  # only punctuation: nothing to search for
        if negated:
            parsed.excluded.append(" ".join(words))
        elif quoted is not None and len(words) > 1:
            parsed.phrases.append(" ".join(words))
        elif quoted is None and len(words) > 1 and re.fullmatch(r"[\w-]+", value or ""):
            # self-play, GPT-4, state-of-the-art: one unit matched as adjacent words, but
            # optional like any plain word (a phrase in quotes would be required).
            parsed.words.append(" ".join(words))
        else:
            parsed.words.extend(words)
    parsed.words = parsed.words[:MAX_WORDS]
    parsed.phrases = parsed.phrases[:MAX_WORDS]
    parsed.excluded = parsed.excluded[:MAX_WORDS]
    return parsed
