"""Checks on free-text parameters shared by the API routes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from django.urls import register_converter
from pydantic import BeforeValidator
from ninja.errors import HttpError

from dailypapers.api.listing import CURSOR_FORM
from dailypapers.catalog.text import NOT_ONE_LINE_CLASS


class AnyTextConverter:
    """A path segment of any text, slashes and newlines included (Django's `path` stops at a
    newline): every /api/papers/<anything> answers JSON, never the HTML 404 page."""

    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnyTextConverter, "anytext")

# Patterns published in the OpenAPI schema, so that clients (and schemathesis) know exactly
# which values are accepted; the views still check, for clients that ignore the schema.
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
NON_BLANK_TEXT = (
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
)
# One line, not blank: follows and digests refuse line breaks, C0/C1 controls (NEL) and U+2028/9
# (catalog/text.py's NOT_ONE_LINE, the one definition).
ONE_LINE_NON_BLANK = rf"^[^{NOT_ONE_LINE_CLASS}]*[^\s{NOT_ONE_LINE_CLASS}][^{NOT_ONE_LINE_CLASS}]*$"
ISO_WEEK = r"^[1-9][0-9]{3}-W(0[1-9]|[1-4][0-9]|5[0-3])$"  # W53 of a 52-week year answers 404
MONTH = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"
CATEGORY = r"^[a-z]+(-[a-z]+)*(\.[A-Za-z]{2,}(-[A-Za-z]+)*)?$"
CURSOR = rf"^{CURSOR_FORM}$"
# New-style ids with a real month (4 digits to 1412, 5 from 1501), old-style archive/YYMMNNN,
# optionally as arXiv:… or an arxiv.org /abs/ or /pdf/ URL, with an optional version.
ARXIV_ID_OR_URL = (
    r"^\s*((https?://)?(www\.|export\.)?arxiv\.org/(abs|pdf)/)?(arXiv:)?"
    r"((0[7-9]|1[0-4])(0[1-9]|1[0-2])\.[0-9]{4}|(1[5-9]|[2-9][0-9])(0[1-9]|1[0-2])\.[0-9]{5}"
    r"|[a-z]+(-[a-z]+)*(\.[A-Z]{2})?/[0-9]{2}(0[1-9]|1[0-2])[0-9]{3})(v[1-9][0-9]{0,3})?\s*$"
)


def _iso_day_only(value):
    # pydantic would also take "0" (a Unix timestamp) or "20250303" for a date; the schema says
    # format: date (YYYY-MM-DD), so that is all we take.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a day as YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_day_only)]


def clean_text(param: str, value: str | None, *, max_length: int = 250) -> str | None:
    """`value` stripped, or None when empty; 400 naming `param` for control characters or length."""
    if value is None:
        return None
    # PostgreSQL refuses NUL in text; other control characters are never meaningful here.
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise HttpError(400, f"{param}: control characters are not allowed")
    if len(value) > max_length:
        raise HttpError(400, f"{param}: at most {max_length} characters, got {len(value)}")
    return value.strip() or None


def describe_errors(errors: list[dict]) -> str:
    """Pydantic's validation errors as one line naming each parameter, for API and MCP clients:
    "limit: Input should be less than or equal to 100" (at most five; the first ones matter)."""
    parts = []
    for error in errors[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body"))
        if error.get("type") == "string_pattern_mismatch":
            message = "not in the expected form (its pattern is in /api/openapi.json)"
        else:
            message = error.get("msg", "invalid")
        parts.append(f"{where or 'request'}: {message}")
    return "; ".join(parts)
