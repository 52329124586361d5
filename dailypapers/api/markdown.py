"""A paper as Markdown, for agents and scripts (`/papers/<id>.md`, or `Accept: text/markdown`).

Hugging Face serves the same URL; `huggingface_hub.HfApi.read_paper` reads it. We have the
metadata and abstract, not the full text, so that is what the page holds, with links.

Titles and abstracts are text, not Markdown: "`rm -rf` considered *harmful*" or "<THINK>
tokens" must show as written, not as code, emphasis or an HTML tag. `markdown_text` escapes
what CommonMark (and GitHub's tables and strikethrough) would read as markup, and leaves
the rest alone, so the raw file stays readable for a language model and `$x_1$` math keeps
its underscores.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from dailypapers.api.cors import readable_from_any_origin
from dailypapers.catalog.author_links import author_urls
from dailypapers.catalog.models import Paper
from dailypapers.catalog.site import absolute_url, paper_url

MARKDOWN_TYPE = "text/markdown; charset=utf-8"

# Inline markup: code, emphasis, links and images, raw HTML and entities, GFM strikethrough
# and table cells. `_` only at a word's edge: inside a word (snake_case, $x_1$) it is text.
_INLINE = re.compile(r"[\\`*\[\]<>&~|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# What starts a block when it begins a line: headings, quotes, lists, thematic breaks and
# setext underlines, fenced code; a 4-space indent (indented code) is dropped below.
_BLOCK_START = re.compile(r"^(#|>|[-+=]|\d{1,9}(?=[.)]))")


def markdown_text(text: str) -> str:
    """`text` escaped so Markdown renders exactly it; line breaks are kept."""
    lines = []
    for line in (text or "").splitlines():
        line = _INLINE.sub(lambda match: "\\" + match[0], line.strip())
        match = _BLOCK_START.match(line)
        if match:  # a list number's dot is escaped, not the digits: "1\. Introduction"
            end = match.end()
            line = line[:end] + "\\" + line[end:] if match[1][0].isdigit() else "\\" + line
        lines.append(line)
    return "\n".join(lines)


def markdown_line(text: str) -> str:
    """`text` on one line (a title, a list item), escaped."""
    return markdown_text(" ".join((text or "").split()))


def paper_markdown(paper: Paper, request: HttpRequest | None = None) -> str:
    links = author_urls(paper.author_names)  # each name links its author page (one query)
    context = {
        "paper": paper,
        "url": paper_url(paper, request),
        "title": markdown_line(paper.title),
        "authors": ", ".join(
            f"[{markdown_line(name)}]({absolute_url(path, request)})"
            if (path := links.get(name))
            else markdown_line(name)
            for name in paper.author_names
        ),
        "abstract": markdown_text(paper.abstract),
        "journal_ref": markdown_line(paper.journal_ref),
        "doi": markdown_line(paper.doi),
        "doi_url": "https://doi.org/" + quote(paper.doi, safe="/:;.-_"),
    }
    return render_to_string("api/paper.md", context).strip() + "\n"


def markdown_response(paper: Paper, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(paper_markdown(paper, request), content_type=MARKDOWN_TYPE)
    patch_vary_headers(response, ("Accept",))
    response["Link"] = f'<{paper_url(paper, request)}>; rel="canonical"'
    return readable_from_any_origin(request, response)


def not_found_markdown(arxiv_id: str, request: HttpRequest) -> HttpResponse:
    text = f"# Not found\n\nNo paper with arXiv id `{arxiv_id[:100]}` on this site.\n"
    return readable_from_any_origin(request, HttpResponse(text, status=404, content_type=MARKDOWN_TYPE))
