"""HTML-safe snippets: the stretch of an abstract with the most query words, words marked.

Done in Python rather than with FTS5 snippet()/ts_headline so both databases show the same
thing, and so results found by meaning alone get a snippet too. The text is escaped first
and only our own <mark> tags are added, so an abstract containing markup cannot inject it.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WINDOW_WORDS = 40
_SPLIT = re.compile(r"(\w+)", re.UNICODE)


def _stem(word: str) -> str:
    """A crude prefix stem so "learning" marks "learned" and "learns": the keyword index
    stems with Porter, and this only has to agree with it for highlighting."""
    word = word.casefold()
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def snippet(text: str, terms: list[str], *, window: int = WINDOW_WORDS) -> SafeString:
    words = (text or "").split()
    stems = {_stem(t) for t in terms if len(t) >= 2}

    def hit(token: str) -> bool:
        folded = token.casefold()
        return any(folded.startswith(s) for s in stems) if stems else False

    flags = [any(hit(t) for t in _SPLIT.findall(w)) for w in words]
    start = 0
    if stems and len(words) > window:
        best = count = sum(flags[:window])
        for i in range(1, len(words) - window + 1):
            count += flags[i + window - 1] - flags[i - 1]
            if count > best:
                best, start = count, i
        start = max(0, start - 3) if best else 0  # a little context before the first hit
    shown = words[start : start + window]
    parts = []
    for word in shown:
        pieces = _SPLIT.split(word)
        parts.append("".join(f"<mark>{escape(p)}</mark>" if i % 2 and hit(p) else escape(p) for i, p in enumerate(pieces)))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + window < len(words) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)
