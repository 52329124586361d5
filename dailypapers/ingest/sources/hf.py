"""A Hugging Face `daily_papers` JSON export: an array of items
`{paper: {id, title, summary, authors: [{name}], publishedAt, …}, publishedAt, …}`.

The item's `publishedAt` is when the paper joined HF's daily feed, so it becomes our
`featured_on`; `paper.publishedAt` is the arXiv publication time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..listing import listing_date_for
from ..records import PaperRecord, RecordError, clean_prose, clean_text, parse_datetime, require_id, require_title


def read_hf_export(path: Path) -> Iterator[PaperRecord | RecordError]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        yield RecordError(f"{path}:{exc.lineno}", "(file)", f"not valid JSON: {exc.msg}")
        return
    if isinstance(data, dict) and isinstance(data.get("papers") or data.get("items"), list):
        data = data.get("papers") or data.get("items")
    if not isinstance(data, list):
        yield RecordError(str(path), "(file)", "expected a JSON array of daily_papers items")
        return
    for index, item in enumerate(data):
        where = f"{path}[{index}]"
        try:
            yield parse_item(item, where)
        except RecordError as error:
            yield error


def parse_item(item, where: str) -> PaperRecord:
    if not isinstance(item, dict):
        raise RecordError(where, "(item)", "not a JSON object")
    paper = item.get("paper") if isinstance(item.get("paper"), dict) else item
    arxiv_id, version = require_id(paper.get("id"), where, "paper.id")
    authors = []
    for author in paper.get("authors") or []:
        name = clean_text(author.get("name") if isinstance(author, dict) else author)
        if name:
            authors.append(name)
    published = parse_datetime(paper.get("publishedAt"), where, "paper.publishedAt")
    featured = parse_datetime(item.get("publishedAt") or paper.get("submittedOnDailyAt"), where, "publishedAt")
    comment_parts = []
    # HF links become part of the comment so link extraction finds them like arXiv's own.
    if paper.get("githubRepo"):
        comment_parts.append(f"Code: {paper['githubRepo']}")
    if paper.get("projectPage"):
        comment_parts.append(f"Project page: {paper['projectPage']}")
    return PaperRecord(
        arxiv_id=arxiv_id,
        version=version,
        title=require_title(paper.get("title") or item.get("title"), where, "paper.title"),
        abstract=clean_prose(paper.get("summary") or item.get("summary")),
        authors=authors,
        categories=[],
        published=published,
        updated=published,
        listing_date=listing_date_for(published) if published else None,
        comment="; ".join(comment_parts),
        source="hf",
        featured_on=featured.date() if featured else None,
    )
