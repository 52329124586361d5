"""Checks on free-text parameters shared by the API routes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.urls import register_converter
from ninja.errors import HttpError
from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from dailypapers.api.listing import CURSOR_FORM
from dailypapers.catalog.text import NOT_ONE_LINE_CLASS
from dailypapers.catalog.windows import (
    DAY_PATTERN,
    MONTH_PATTERN,
    WEEK_PATTERN,
    FeedParameterError,
    parse_day,
    parse_month,
    parse_week,
)


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
CATEGORY = r"^[a-z]+(-[a-z]+)*(\.[A-Za-z]{2,}(-[A-Za-z]+)*)?$"
CURSOR = rf"^{CURSOR_FORM}$"
# New-style ids with a real month (4 digits to 1412, 5 from 1501), old-style archive/YYMMNNN,
# optionally as arXiv:… or an arxiv.org /abs/ or /pdf/ URL, with an optional version.
ARXIV_ID_OR_URL = (
    r"^\s*((https?://)?(www\.|export\.)?arxiv\.org/(abs|pdf)/)?(arXiv:)?"
    r"((0[7-9]|1[0-4])(0[1-9]|1[0-2])\.[0-9]{4}|(1[5-9]|[2-9][0-9])(0[1-9]|1[0-2])\.[0-9]{5}"
    r"|[a-z]+(-[a-z]+)*(\.[A-Z]{2})?/[0-9]{2}(0[1-9]|1[0-2])[0-9]{3})(v[1-9][0-9]{0,3})?\s*$"
)


def _parsed_by(parse):
    """A pydantic check by the site's window parser (catalog/windows.py), so the API takes and
    refuses what the pages take and refuse, in the same words ("no such day: February 2026 has
    28 days"). pydantic alone would take "0" (a Unix timestamp) for a date."""

    def check(value, info: ValidationInfo):
        if value == "":
            return None  # an empty field is no filter, as on the pages
        if not isinstance(value, str):
            return value
        try:
            parse(value)
        except FeedParameterError as exc:
            raise PydanticCustomError("window", "{message}", {"message": str(exc).split(": ", 1)[1]}) from None
        return value

    return BeforeValidator(check)


# The published patterns are the parser's rules as regular expressions (schemathesis and
# clients generate from them); the parser still decides, and words the refusal. No `format:
# date` for days: it would forbid the empty value, which means "no filter" here as on pages.
IsoDate = Annotated[dt.date | None, _parsed_by(parse_day), WithJsonSchema({"type": "string", "pattern": DAY_PATTERN})]
IsoWeek = Annotated[str | None, _parsed_by(parse_week), WithJsonSchema({"type": "string", "pattern": WEEK_PATTERN})]
IsoMonth = Annotated[str | None, _parsed_by(parse_month), WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN})]


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
