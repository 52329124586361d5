"""A paper as Markdown, for agents and scripts (`/papers/<id>.md`, or `Accept: text/markdown`).

Hugging Face serves the same URL; `huggingface_hub.HfApi.read_paper` reads it. We have the
metadata and abstract, not the full text, so that is what the page holds, with links.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string

from dailypapers.catalog.site import paper_url
from dailypapers.catalog.models import Paper

MARKDOWN_TYPE = "text/markdown; charset=utf-8"


def paper_markdown(paper: Paper) -> str:
    return render_to_string("api/paper.md", {"paper": paper, "url": paper_url(paper), "authors": paper.author_names}).strip() + "\n"


def markdown_response(paper: Paper) -> HttpResponse:
    response = HttpResponse(paper_markdown(paper), content_type=MARKDOWN_TYPE)
    response["Vary"] = "Accept"
    response["Link"] = f'<{paper_url(paper)}>; rel="canonical"'
    return response


def not_found_markdown(arxiv_id: str) -> HttpResponse:
    return HttpResponse(f"# Not found\n\nNo paper with arXiv id `{arxiv_id[:100]}` on this site.\n", status=404, content_type=MARKDOWN_TYPE)
