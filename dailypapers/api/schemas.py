"""Request and response shapes of the JSON API's own routes, as ninja (pydantic) schemas for
OpenAPI. The paper shapes are in hf_format.py (Hugging Face's) and catalog/wire.py (the plain
record); the error body is here.
"""

from __future__ import annotations

from ninja import Field, Schema

from dailypapers.api.params import ARXIV_ID_OR_URL, NON_BLANK_TEXT, PLAIN_TEXT
from dailypapers.community.refusals import STATUS_OF_CODE


class Error(Schema):
    error: str = Field(description="What was wrong, naming the parameter when one was.")
    code: str | None = Field(
        None, description="Why a community rule refused the request, when one did: " + ", ".join(STATUS_OF_CODE) + "."
    )


class VoteOut(Schema):
    arxiv_id: str
    upvoted: bool
    upvotes: int


class SubmissionIn(Schema):
    arxiv_id: str = Field(
        max_length=200, pattern=ARXIV_ID_OR_URL, description="arXiv id or URL of the paper to put on the daily feed."
    )
    comment: str = Field("", max_length=500, pattern=PLAIN_TEXT, description="A note shown with the submission.")
    organisation: str = Field(
        "", max_length=80, pattern=r"^[-a-zA-Z0-9_]*$", description="Slug of one of your organisations to tag it with."
    )


class SubmissionOut(Schema):
    arxiv_id: str
    featured_on: str | None
    message: str


class CommentIn(Schema):
    body: str = Field(
        min_length=1, max_length=10000, pattern=NON_BLANK_TEXT, description="Markdown text of the comment."
    )


class CommentOut(Schema):
    id: int
    author: str
    body: str
    parent_id: int | None
    created_at: str


class OrgMemberOut(Schema):
    username: str
    role: str = Field(description="member or admin")


class MeOut(Schema):
    username: str
    authenticated_by: str = Field(description="token or session")


def answers(ok, *errors: int, ok_status: int = 200) -> dict:
    """A route's `response=` table: `ok` for success, the error body for each status in `errors`,
    and 429, which every operation can answer (the rate limit runs before any route)."""
    return {ok_status: ok, **{status: Error for status in sorted({*errors, 429})}}
