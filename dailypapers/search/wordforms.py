"""Word forms: which words count as the same word for ranking and highlighting.

The keyword index stems with Porter, which joins words a researcher keeps apart: "continual"
and "continuity" (both "continu"), "experience" and "experiments" ("experi"), "generation"
and "general" ("gener"). Porter finds the candidates; `word_form` then decides what counts
as the word the user typed. It strips inflections only (plural -s/-es/-ies, -ed, -ing, a
final -e), so "model", "models", "modeling" and "modelled" are one form, "moderate" is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VOWEL = re.compile(r"[aeiouy]")
_WORD = re.compile(r"\w+", re.UNICODE)
_WORD_REST = re.compile(r"\w*", re.UNICODE)


# Remembered: the rescorer and the snippets ask for the same words' forms over and over (a
# result page's snippets asked 228 times a query).
@lru_cache(maxsize=200_000)
def word_form(word: str) -> str:
    """The word without its inflection, casefolded: agents → agent, learning → learn,
    studies → study, modelled → model, generation → generation."""
    word = word.casefold()
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is", "ias")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and _VOWEL.search(stem):
            word = stem
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":  # running → run
                word = word[:-1]
            elif len(word) > 4 and word.endswith("ll"):  # modelled → model
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:  # generate, generated, generating → generat
        word = word[:-1]
    return word


def forms_of(text: str) -> list[str]:
    """The word forms of a text, in order."""
    return [word_form(w) for w in _WORD.findall(text)]


def match_prefix(form: str) -> str:
    """A prefix every inflection of `form` starts with (study → stud, for studies)."""
    return form[:-1] if form.endswith("y") and len(form) > 3 else form


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _start_of(hit: tuple[str, int, int]) -> int:
    return hit[1]


# A form of one or two letters is only ever that word (word_form leaves a word of up to three
# letters as it is, and shortens a longer one to three at least), so it is looked for whole: as a
# prefix, the "a" and "g" of SciFact's "G-to-A" found every word starting with them (11,389 words
# in 100 abstracts, 4,104 whole); the "type-I" claim's rescoring took 31 ms of CPU, then 19.
SHORT_FORM = 2


def word_finder(prefixes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What words_starting looks for, made once per query from the prefixes of query forms
    (match_prefix): the prefixes that no other starts (a word starting with "model" is found
    with "mod"), and the forms of SHORT_FORM letters or fewer, as whole words."""
    prefixes = {p for p in prefixes if p}
    long = {p for p in prefixes if len(p) > SHORT_FORM}
    return (
        tuple(sorted(p for p in long if not any(q != p and p.startswith(q) for q in long))),
        tuple(sorted(prefixes - long)),
    )


def words_starting(text: str, finder: tuple[tuple[str, ...], tuple[str, ...]]) -> list[tuple[str, int, int]]:
    """(word, start, end) of every word of `text` that starts with one of the finder's prefixes
    or is one of its whole words (word_finder), in the text's order: the words the rescorer and
    the snippets look at (lower-case both for a case-blind search). Each prefix is looked for
    with str.find, which skips through the text in C; a regular expression of all of them tried
    its alternatives at every position starting with one of their first letters (three fifths
    of rescoring's time, a quarter of a snippet's)."""
    prefixes, whole = finder
    found = []
    for prefix in prefixes:
        start = text.find(prefix)
        while start >= 0:
            if not start or not _word_char(text[start - 1]):
                end = _WORD_REST.match(text, start + len(prefix)).end()
                found.append((text[start:end], start, end))
            start = text.find(prefix, start + 1)
    for word in whole:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if (not start or not _word_char(text[start - 1])) and (end == len(text) or not _word_char(text[end])):
                found.append((word, start, end))
            start = text.find(word, start + 1)
    if len(prefixes) + len(whole) > 1:
        found.sort(key=_start_of)
    return found
