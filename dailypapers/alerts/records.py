"""A saved search's match as plain JSON: the catalogue's paper record plus why it matched.
One shape for the webhook's JSON, the API and the MCP tool `new_papers_for`."""

from __future__ import annotations

from django.http import HttpRequest
from pydantic import BaseModel, Field

from dailypapers.alerts.models import SavedSearchMatch
from dailypapers.catalog.wire import PaperRecord


class Why(BaseModel):
    kind: str = Field(description="words, meaning or filters: what made the paper match.")
    reason: str = Field(
        description="In words: the words that matched, or “close in meaning … (score …)”, or the author/category."
    )
    score: float | None = Field(description="Cosine similarity of the paper to the search, when it was embedded.")


class MatchRecord(BaseModel):
    paper: PaperRecord
    why: Why
    matched_at: str = Field(description="When the paper matched (ISO 8601, UTC): soon after it was added here.")


def match_record(match: SavedSearchMatch, *, request: HttpRequest | None = None) -> MatchRecord:
    return MatchRecord(
        paper=PaperRecord.of(match.paper, request=request),
        why=Why(kind=match.kind, reason=match.reason, score=round(match.score, 4) if match.score is not None else None),
        matched_at=match.matched_at.isoformat(),
    )
