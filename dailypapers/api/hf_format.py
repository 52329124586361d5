"""Papers in the JSON shapes of the Hugging Face papers API (field names as `huggingface_hub`
parses them in `hf_api.PaperInfo`), plus our own extras under names Hugging Face does not use.

Dates are ISO 8601 in UTC with milliseconds and a `Z`, the one form `huggingface_hub`'s
`parse_datetime` documents. A paper's `publishedAt` is its arXiv date; a daily item's
`publishedAt` (and the paper's `submittedOnDailyAt`) is the day it joined our daily feed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from dailypapers.catalog.models import Paper


def hf_datetime(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def paper_url(paper: Paper) -> str:
    return f"{settings.BASE_URL}/papers/{paper.arxiv_id}"


def hf_authors(paper: Paper) -> list[dict[str, Any]]:
    return [{"_id": f"{paper.arxiv_id}#{position}", "name": name, "hidden": False} for position, name in enumerate(paper.author_names)]


def hf_paper(paper: Paper, *, submitter: dict | None = None) -> dict[str, Any]:
    """The `paper` object: what `/api/papers/{id}` answers and what daily items nest."""
    return {
        "id": paper.arxiv_id,
        "title": paper.title,
        "summary": paper.abstract,
        "authors": hf_authors(paper),
        # Without an arXiv submission time, the listing day stands in: clients (huggingface_hub)
        # misread a daily item whose paper has no date.
        "publishedAt": hf_datetime(paper.published or paper.listing_date),
        "submittedOnDailyAt": hf_datetime(paper.featured_on),
        "submittedOnDailyBy": submitter,
        "upvotes": paper.upvotes,
        "numComments": paper.num_comments,
        "discussionId": paper.arxiv_id,
        "githubRepo": paper.code_url or None,
        "projectPage": paper.project_url or None,
        "withdrawnAt": None,
        # Our extras, under names Hugging Face does not use.
        "arxivVersion": paper.version,
        "updatedAt": hf_datetime(paper.updated),
        "categories": list(paper.categories or []),
        "listingDate": paper.listing_date.isoformat() if paper.listing_date else None,
        "featuredReason": paper.featured_reason or None,
        "doi": paper.doi or None,
        "journalRef": paper.journal_ref or None,
        "arxivUrl": paper.abs_url,
        "pdfUrl": paper.pdf_url,
        "url": paper_url(paper),
    }


def hf_paper_info(paper: Paper) -> dict[str, Any]:
    """`GET /api/papers/{id}`: the paper object; we link no models, datasets or Spaces."""
    from dailypapers.api.community_bridge import submitter_of

    info = hf_paper(paper, submitter=submitter_of(paper))
    info.update(linkedModels=[], numTotalModels=0, linkedDatasets=[], numTotalDatasets=0, linkedSpaces=[])
    return info


def hf_daily_item(paper: Paper, *, submitter: dict | None = None) -> dict[str, Any]:
    """One entry of `/api/daily_papers` and `/api/papers/search`: the paper plus item fields."""
    return {
        "paper": hf_paper(paper, submitter=submitter),
        "publishedAt": hf_datetime(paper.featured_on or paper.published),
        "title": paper.title,
        "summary": paper.abstract,
        "thumbnail": None,
        "numComments": paper.num_comments,
        "submittedBy": submitter,
        "isAuthorParticipating": False,
        "mediaUrls": [],
        # Repeated from `paper`: huggingface_hub's PaperInfo reads these at the item's top level.
        "githubRepo": paper.code_url or None,
        "projectPage": paper.project_url or None,
        "submittedOnDailyAt": hf_datetime(paper.featured_on),
    }
