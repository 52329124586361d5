"""HTML-safe snippets: the stretch of an abstract with the most query words, words marked.

Done in Python rather than with FTS5 snippet()/ts_headline so both databases show the same
thing, and so results found by meaning alone get a snippet too. The text is escaped and only
our own <mark> tags are added, so an abstract containing markup cannot inject it. Whole words
only: a word is marked when its form (wordforms.word_form) is a query word's, so "model" marks
"models" and "modelling" but not "moderate", "agents" marks "agent" but not "agenda". One regex
pass over the text per snippet finds candidates by prefix, and only those are checked (a
per-word loop cost 2.5 ms a snippet, 50 ms a page).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dailypapers.search.wordforms import match_prefix, word_form

WINDOW_WORDS = 40
_NON_SPACE = re.compile(r"\S+")


def snippet(text: str, terms: list[str], *, window: int = WINDOW_WORDS) -> SafeString:
    text = " ".join((text or "").split())
    starts = [m.start() for m in _NON_SPACE.finditer(text)]
    forms = {word_form(t) for t in terms if len(t) >= 2}
    prefixes = sorted({match_prefix(form) for form in forms}, key=len, reverse=True)
    matches = []
    if prefixes:
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in prefixes) + r")\w*", re.IGNORECASE)
        matches = [(m.start(), m.end()) for m in pattern.finditer(text) if word_form(m.group()) in forms]
    first = 0
    if matches and len(starts) > window:
        hit_words = [bisect_right(starts, start) - 1 for start, _ in matches]
        best, left = 0, 0
        for right, word in enumerate(hit_words):  # the window of `window` words with most hits
            while word - hit_words[left] >= window:
                left += 1
            if right - left + 1 > best:
                best, first = right - left + 1, hit_words[left]
        first = max(0, min(first - 3, len(starts) - window))  # a little context before the first hit
    begin = starts[first] if starts else 0
    end = starts[first + window] - 1 if first + window < len(starts) else len(text)
    parts, position = [], begin
    for start, stop in matches:
        if start < begin or stop > end:
            continue
        parts.append(escape(text[position:start]) + "<mark>" + escape(text[start:stop]) + "</mark>")
        position = stop
    parts.append(escape(text[position:end]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)
