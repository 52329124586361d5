"""HTML-safe snippets: the stretch of an abstract with the most query words, words marked.

Done in Python rather than with FTS5 snippet()/ts_headline so both databases show the same
thing, and so results found by meaning alone get a snippet too. The text is escaped and only
our own <mark> tags are added, so an abstract containing markup cannot inject it. Whole words
only: a word is marked when its form (wordforms.word_form) is a query word's, so "model" marks
"models" and "modelling" but not "moderate", "agents" marks "agent" but not "agenda". One
search of the text per query prefix finds candidates (wordforms.words_starting, as the rescorer
does), and only those are checked (a per-word loop cost 2.5 ms a snippet, 50 ms a page).
"""

from __future__ import annotations

import html
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

from dailypapers.search.wordforms import match_prefix, word_finder, word_form, words_starting

WINDOW_WORDS = 40


@lru_cache(maxsize=256)
def _terms_finder(terms: tuple[str, ...]) -> tuple[frozenset[str], tuple | None]:
    """The query terms' word forms, and what finds the words that may have one of them
    (wordforms.word_finder); made once per query, not once per snippet."""
    forms = frozenset(word_form(t) for t in terms if len(t) >= 2)
    prefixes = {match_prefix(form) for form in forms}
    if not prefixes:
        return forms, None
    return forms, word_finder(prefixes)


def snippet(text: str, terms: list[str], *, window: int = WINDOW_WORDS) -> SafeString:
    words = (text or "").split()
    text = " ".join(words)
    matches = []
    if terms:
        # Found in lower case. Lower-casing keeps positions unless it changes a letter's length
        # ("İ" becomes two): such a letter is left as it is.
        searched = text.lower()
        if len(searched) != len(text):
            searched = "".join(low if len(low := char.lower()) == 1 else char for char in text)
        forms, finder = _terms_finder(tuple(terms))
        if finder is not None:
            found = words_starting(searched, finder)
            matches = [(start, end) for word, start, end in found if word_form(word) in forms]
    first = 0
    if matches and len(words) > window:
        hit_words = [text.count(" ", 0, start) for start, _ in matches]  # a match's word: spaces before it
        best, left = 0, 0
        for right, word in enumerate(hit_words):  # the window of `window` words with most hits
            while word - hit_words[left] >= window:
                left += 1
            if right - left + 1 > best:
                best, first = right - left + 1, hit_words[left]
        first = max(0, min(first - 3, len(words) - window))  # a little context before the first hit
    # Word k starts after the k words before it and their k single spaces.
    begin = sum(map(len, words[:first])) + first
    end = len(text)
    if first + window < len(words):
        end = begin + sum(map(len, words[first : first + window])) + window - 1
    # The standard library's escape, which Django's wraps (the wrapper cost a third of a snippet).
    parts, position = [], begin
    for start, stop in matches:
        if start < begin or stop > end:
            continue
        parts.append(html.escape(text[position:start]) + "<mark>" + html.escape(text[start:stop]) + "</mark>")
        position = stop
    parts.append(html.escape(text[position:end]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)
