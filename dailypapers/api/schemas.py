"""Response and request shapes of the JSON API, as ninja (pydantic) schemas for OpenAPI.

The Hugging Face shapes keep HF's field names; `_id` fields are declared by alias because
pydantic reserves leading underscores (routes that emit them set `by_alias=True`).
"""

from __future__ import annotations

from typing import Optional

from ninja import Field, Schema
from pydantic import ConfigDict

from dailypapers.api.params import ARXIV_ID_OR_URL, NON_BLANK_TEXT, PLAIN_TEXT


class Error(Schema):
    error: str = Field(description="What was wrong, naming the parameter when one was.")


class HfUser(Schema):
    model_config = ConfigDict(populate_by_name=True)
    id_: str = Field(alias="_id")
    user: str = Field(description="User name (HF's field name).")
    name: str
    fullname: str
    avatarUrl: str
    type: str
    isPro: bool


class HfAuthor(Schema):
    model_config = ConfigDict(populate_by_name=True)
    id_: str = Field(alias="_id")
    name: str
    hidden: bool


class HfPaper(Schema):
    id: str = Field(description="Versionless arXiv id.")
    title: str
    summary: str = Field(description="The abstract.")
    authors: list[HfAuthor]
    publishedAt: Optional[str] = Field(description="arXiv submission time of the first version (UTC, ISO 8601); the listing day when unknown.")
    submittedOnDailyAt: Optional[str] = Field(description="The day the paper joined the daily feed.")
    submittedOnDailyBy: Optional[HfUser]
    upvotes: int
    numComments: int
    discussionId: str
    githubRepo: Optional[str]
    projectPage: Optional[str]
    withdrawnAt: Optional[str]
    arxivVersion: Optional[int] = Field(description="Ours: latest known arXiv version.")
    updatedAt: Optional[str] = Field(description="Ours: arXiv time of the latest version.")
    categories: list[str] = Field(description="Ours: arXiv categories, primary first.")
    listingDate: Optional[str] = Field(description="Ours: the day of the arXiv listing.")
    featuredReason: Optional[str] = Field(description="Ours: why the paper is on the daily feed.")
    doi: Optional[str]
    journalRef: Optional[str]
    arxivUrl: str
    pdfUrl: str
    url: str = Field(description="Ours: the paper's page on this site.")


class HfPaperInfo(HfPaper):
    linkedModels: list[dict] = Field(description="Always empty: this site links no models.")
    numTotalModels: int
    linkedDatasets: list[dict]
    numTotalDatasets: int
    linkedSpaces: list[dict]


class HfDailyItem(Schema):
    paper: HfPaper
    publishedAt: Optional[str] = Field(description="The day the paper joined the daily feed.")
    title: str
    summary: str
    thumbnail: Optional[str]
    numComments: int
    submittedBy: Optional[HfUser]
    isAuthorParticipating: bool
    mediaUrls: list[str]
    githubRepo: Optional[str] = Field(description="Same as paper.githubRepo (huggingface_hub reads it here).")
    projectPage: Optional[str] = Field(description="Same as paper.projectPage.")
    submittedOnDailyAt: Optional[str] = Field(description="Same as paper.submittedOnDailyAt.")


class VoteOut(Schema):
    arxiv_id: str
    upvoted: bool
    upvotes: int


class SubmissionIn(Schema):
    arxiv_id: str = Field(max_length=200, pattern=ARXIV_ID_OR_URL, description="arXiv id or URL of the paper to put on the daily feed.")
    comment: str = Field("", max_length=500, pattern=PLAIN_TEXT, description="A note shown with the submission.")


class SubmissionOut(Schema):
    arxiv_id: str
    featured_on: Optional[str]
    message: str


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=10000, pattern=NON_BLANK_TEXT, description="Markdown text of the comment.")


class CommentOut(Schema):
    id: int
    author: str
    body: str
    parent_id: Optional[int]
    created_at: str


class MeOut(Schema):
    username: str
    authenticated_by: str = Field(description="token or session")
