"""BibTeX files of many papers (a search, a member's upvotes), built from the catalogue's
single-paper entries (`catalog.bibtex.paper_bibtex`, which escapes LaTeX specials and
non-ASCII names). Citation keys must be unique within a file, so repeats get a, b, c…
as reference managers do (`smith2024deep`, `smith2024deepa`)."""

from __future__ import annotations

import re

from django.http import HttpResponse

from dailypapers.catalog.bibtex import paper_bibtex

BIBTEX_TYPE = "application/x-bibtex; charset=utf-8"
_KEY = re.compile(r"^(@\w+\{)([^,]*),")


def bibtex_file(papers) -> str:
    seen: dict[str, int] = {}
    entries = []
    for paper in papers:
        entry = paper_bibtex(paper)
        key = _KEY.match(entry)[2]
        count = seen.get(key, 0)
        seen[key] = count + 1
        if count:
            suffix = ""
            number = count
            while number:  # 1 -> a, 26 -> z, 27 -> aa
                number, rest = divmod(number - 1, 26)
                suffix = chr(ord("a") + rest) + suffix
            entry = _KEY.sub(lambda m, new=f"{key}{suffix}": f"{m[1]}{new},", entry, count=1)
        entries.append(entry)
    return "\n\n".join(entries) + ("\n" if entries else "")


def bibtex_response(text: str, *, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=BIBTEX_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
