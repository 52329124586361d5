"""Checks on free-text parameters shared by the API routes."""

from __future__ import annotations

from ninja.errors import HttpError


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
