"""Papers in the JSON shapes of the Hugging Face papers API, defined once as ninja schemas.

Field names are HF's (as `huggingface_hub`'s `hf_api.PaperInfo` parses them), plus our own
extras under names Hugging Face does not use. The schemas are the only definition: routes
return `Paper` objects and ninja fills the fields through the `resolve_*` methods below (the
request comes in the validation context, for absolute URLs). The same schemas produce the
OpenAPI document, so the document and the answers cannot drift apart.

Dates are ISO 8601 in UTC with milliseconds and a `Z`, the one form `huggingface_hub`'s
`parse_datetime` documents. A paper's `publishedAt` is the arXiv date of its first version
(`catalog.wire.first_version_time`); `submittedOnDailyAt`, and a daily item's `publishedAt`,
is the day it joined our daily feed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, prefetch_related_objects
from ninja import Field, Schema
from pydantic import ConfigDict

from dailypapers.catalog.models import Paper
from dailypapers.catalog.site import paper_url
from dailypapers.catalog.wire import first_version_time
from dailypapers.community.models import Submission


def hf_datetime(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def with_submitters(papers):
    """`papers` as a list, with who submitted each fetched in one query (not one per paper)."""
    papers = list(papers)
    prefetch_related_objects(papers, Prefetch("submission", queryset=Submission.objects.select_related("user")))
    return papers


def _request(context) -> object | None:
    return (context or {}).get("request")


class HfUser(Schema):
    model_config = ConfigDict(populate_by_name=True)
    id_: str = Field(alias="_id")
    user: str = Field(description="User name (HF's field name).")
    name: str
    fullname: str
    avatarUrl: str
    type: str
    isPro: bool


def _submitter(paper: Paper) -> dict | None:
    """The member who submitted `paper` to the daily feed, as HF's user object, or None."""
    submission = getattr(paper, "submission", None)  # no Submission row: Django raises an AttributeError
    if submission is None:
        return None
    user = submission.user
    name = user.get_username()
    return {
        "_id": str(user.pk),
        "user": name,
        "name": name,
        "fullname": user.get_full_name() or name,
        "avatarUrl": "",
        "type": "user",
        "isPro": False,
    }


class HfAuthor(Schema):
    model_config = ConfigDict(populate_by_name=True)
    id_: str = Field(alias="_id")
    name: str
    hidden: bool


class HfPaper(Schema):
    """The `paper` object: `/api/papers/{id}` (with HfPaperInfo's extras), `/api/v1/papers/{id}`,
    `/api/papers` and what daily items nest."""

    id: str = Field(description="Versionless arXiv id.")
    title: str
    summary: str = Field(description="The abstract.")
    authors: list[HfAuthor]
    publishedAt: str | None = Field(
        description="arXiv date of the first version (UTC, ISO 8601): its submission "
        "time when known, else midnight of the day arXiv first listed it."
    )
    submittedOnDailyAt: str | None = Field(description="The day the paper joined the daily feed.")
    submittedOnDailyBy: HfUser | None = Field(description="The member who submitted it, or null.")
    upvotes: int
    numComments: int
    discussionId: str
    githubRepo: str | None
    projectPage: str | None
    withdrawnAt: str | None
    ai_keywords: list[str] = Field(
        description="Keywords picked from the title and abstract by this site (no language model; "
        "docs/keywords.md), best first; each has a page at /topics/<keyword>. Empty until extracted."
    )
    arxivVersion: int | None = Field(description="Ours: latest known arXiv version.")
    updatedAt: str | None = Field(description="Ours: arXiv time of the latest version.")
    categories: list[str] = Field(description="Ours: arXiv categories, primary first.")
    listingDate: str | None = Field(description="Ours: the day of the arXiv listing.")
    featuredReason: str | None = Field(description="Ours: why the paper is on the daily feed.")
    doi: str | None
    journalRef: str | None
    arxivUrl: str
    pdfUrl: str
    url: str = Field(description="Ours: the paper's page on this site.")

    @staticmethod
    def resolve_id(paper: Paper) -> str:
        return paper.arxiv_id

    @staticmethod
    def resolve_summary(paper: Paper) -> str:
        return paper.abstract

    @staticmethod
    def resolve_authors(paper: Paper) -> list[dict]:
        return [
            {"_id": f"{paper.arxiv_id}#{position}", "name": name, "hidden": False}
            for position, name in enumerate(paper.author_names)
        ]

    @staticmethod
    def resolve_publishedAt(paper: Paper) -> str | None:
        return hf_datetime(first_version_time(paper))

    @staticmethod
    def resolve_submittedOnDailyAt(paper: Paper) -> str | None:
        return hf_datetime(paper.featured_on)

    @staticmethod
    def resolve_submittedOnDailyBy(paper: Paper) -> dict | None:
        return _submitter(paper)

    @staticmethod
    def resolve_numComments(paper: Paper) -> int:
        return paper.num_comments

    @staticmethod
    def resolve_discussionId(paper: Paper) -> str:
        return paper.arxiv_id

    @staticmethod
    def resolve_githubRepo(paper: Paper) -> str | None:
        return paper.code_url or None

    @staticmethod
    def resolve_projectPage(paper: Paper) -> str | None:
        return paper.project_url or None

    @staticmethod
    def resolve_withdrawnAt(paper: Paper) -> None:
        return None

    @staticmethod
    def resolve_ai_keywords(paper: Paper) -> list[str]:
        return list(paper.keywords or [])

    @staticmethod
    def resolve_arxivVersion(paper: Paper) -> int | None:
        return paper.version

    @staticmethod
    def resolve_updatedAt(paper: Paper) -> str | None:
        return hf_datetime(paper.updated)

    @staticmethod
    def resolve_categories(paper: Paper) -> list[str]:
        return list(paper.categories or [])

    @staticmethod
    def resolve_listingDate(paper: Paper) -> str | None:
        return paper.listing_date.isoformat() if paper.listing_date else None

    @staticmethod
    def resolve_featuredReason(paper: Paper) -> str | None:
        return paper.featured_reason or None

    @staticmethod
    def resolve_doi(paper: Paper) -> str | None:
        return paper.doi or None

    @staticmethod
    def resolve_journalRef(paper: Paper) -> str | None:
        return paper.journal_ref or None

    @staticmethod
    def resolve_arxivUrl(paper: Paper) -> str:
        return paper.abs_url

    @staticmethod
    def resolve_pdfUrl(paper: Paper) -> str:
        return paper.pdf_url

    @staticmethod
    def resolve_url(paper: Paper, context) -> str:
        return paper_url(paper, _request(context))


class HfPaperInfo(HfPaper):
    """`GET /api/papers/{id}`: the paper object; we link no models, datasets or Spaces."""

    linkedModels: list[dict] = Field(description="Always empty: this site links no models.")
    numTotalModels: int
    linkedDatasets: list[dict]
    numTotalDatasets: int
    linkedSpaces: list[dict]

    @staticmethod
    def resolve_linkedModels(paper: Paper) -> list:
        return []

    @staticmethod
    def resolve_numTotalModels(paper: Paper) -> int:
        return 0

    resolve_linkedDatasets = resolve_linkedModels
    resolve_numTotalDatasets = resolve_numTotalModels
    resolve_linkedSpaces = resolve_linkedModels


class HfDailyItem(Schema):
    """One entry of `/api/daily_papers` and `/api/papers/search`: the paper plus item fields."""

    paper: HfPaper
    publishedAt: str | None = Field(description="The day the paper joined the daily feed.")
    title: str
    summary: str
    thumbnail: str | None
    numComments: int
    submittedBy: HfUser | None
    isAuthorParticipating: bool
    mediaUrls: list[str]
    # Repeated from `paper`: huggingface_hub's PaperInfo reads these at the item's top level.
    githubRepo: str | None = Field(description="Same as paper.githubRepo (huggingface_hub reads it here).")
    projectPage: str | None = Field(description="Same as paper.projectPage.")
    submittedOnDailyAt: str | None = Field(description="Same as paper.submittedOnDailyAt.")
    ai_keywords: list[str] = Field(description="Same as paper.ai_keywords.")

    @staticmethod
    def resolve_paper(paper: Paper) -> Paper:
        return paper

    @staticmethod
    def resolve_publishedAt(paper: Paper) -> str | None:
        # A searched paper that never joined the feed: its first version's date, so that
        # huggingface_hub (which reads this as the item's date) always has one.
        return hf_datetime(paper.featured_on or first_version_time(paper))

    # The same resolvers as the paper's (staticmethod again: read off the class they are functions).
    resolve_summary = staticmethod(HfPaper.resolve_summary)
    resolve_numComments = staticmethod(HfPaper.resolve_numComments)
    resolve_submittedBy = staticmethod(HfPaper.resolve_submittedOnDailyBy)
    resolve_githubRepo = staticmethod(HfPaper.resolve_githubRepo)
    resolve_projectPage = staticmethod(HfPaper.resolve_projectPage)
    resolve_submittedOnDailyAt = staticmethod(HfPaper.resolve_submittedOnDailyAt)
    resolve_ai_keywords = staticmethod(HfPaper.resolve_ai_keywords)

    @staticmethod
    def resolve_thumbnail(paper: Paper) -> None:
        return None

    @staticmethod
    def resolve_isAuthorParticipating(paper: Paper) -> bool:
        return False

    @staticmethod
    def resolve_mediaUrls(paper: Paper) -> list[str]:
        return []
