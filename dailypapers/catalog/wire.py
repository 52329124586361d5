"""A paper as plain JSON for programs — the record the MCP tools, `dailypapers papers --json`
and the search page's JSON share — and the first-version date every shape reports.

The Hugging Face shapes (api/hf_format.py) are the API's; this record is the short,
snake_case one. It lives in the catalogue so that search (below the api app) can use it too.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from pydantic import BaseModel, Field

from dailypapers.catalog.models import Paper
from dailypapers.catalog.site import paper_url


def first_version_time(paper: Paper) -> dt.datetime | None:
    """When the first version appeared, in UTC: its arXiv submission time when known, else
    midnight of the day arXiv first listed it (the metadata snapshot carries only that day,
    0–3 days after submission; ingest keeps the first listing day when a version is added)."""
    if paper.published:
        return paper.published.astimezone(dt.UTC)
    if paper.listing_date:
        return dt.datetime.combine(paper.listing_date, dt.time(0, 0), tzinfo=dt.UTC)
    return None


def first_version_day(paper: Paper) -> dt.date | None:
    moment = first_version_time(paper)
    return moment.date() if moment else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class PaperRecord(BaseModel):
    """One paper in a list: what a program needs to show it and follow its links."""

    id: str = Field(description="Versionless arXiv id, e.g. 2503.11731 or hep-th/9901001.")
    title: str
    authors: list[str]
    published: str | None = Field(
        description="Day of the first version, YYYY-MM-DD (the arXiv listing day when the submission time is unknown)."
    )
    listing_date: str | None = Field(description="Day the paper appeared in the arXiv listing, YYYY-MM-DD.")
    featured_on: str | None = Field(description="Day it joined this site's daily feed, YYYY-MM-DD, or null.")
    categories: list[str] = Field(description="arXiv categories, primary first.")
    upvotes: int
    comments: int
    url: str = Field(description="The paper's page on this site.")
    arxiv_url: str
    pdf_url: str
    code_url: str | None
    project_url: str | None

    @classmethod
    def of(cls, paper: Paper, *, request: HttpRequest | None = None):
        values = {
            "id": paper.arxiv_id,
            "title": paper.title,
            "authors": paper.author_names,
            "published": _day(first_version_day(paper)),
            "listing_date": _day(paper.listing_date),
            "featured_on": _day(paper.featured_on),
            "categories": list(paper.categories or []),
            "upvotes": paper.upvotes,
            "comments": paper.num_comments,
            "url": paper_url(paper, request),
            "arxiv_url": paper.abs_url,
            "pdf_url": paper.pdf_url,
            "code_url": paper.code_url or None,
            "project_url": paper.project_url or None,
            "abstract": paper.abstract,
        }
        return cls(**{name: values[name] for name in cls.model_fields})


class PaperRecordWithAbstract(PaperRecord):
    """One paper on its own: the list record plus the abstract."""

    abstract: str


class CoauthorRecord(BaseModel):
    name: str
    slug: str | None = Field(description="The co-author's page address (/authors/<slug>), when they have one.")
    papers: int = Field(description="Papers the two wrote together.")


class CategoryCount(BaseModel):
    category: str
    papers: int


class AuthorRecord(BaseModel):
    """An author: the name as arXiv lists it, its merged variants, newest papers, frequent
    co-authors and categories (catalog/author_pages.py)."""

    name: str
    slug: str
    url: str = Field(description="The author's page on this site.")
    variants: list[str] = Field(description="Other spellings of the name merged into this author.")
    paper_count: int = Field(description="Visible papers by this author (all spellings).")
    papers: list[PaperRecord] = Field(description="The newest papers, up to `limit`.")
    coauthors: list[CoauthorRecord] = Field(description="Frequent co-authors, most shared papers first.")
    categories: list[CategoryCount] = Field(description="The author's commonest arXiv categories.")
    claimed_by: str | None = Field(
        None, description="The member who verified they are this author; null while nobody has."
    )
