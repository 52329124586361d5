"""Template hygiene: Django's `{# … #}` comments end at the line's end, so one spread over
several lines is printed on the page as text."""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "dailypapers").glob("*/templates/**/*.html"))
UNCLOSED_ONE_LINE_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[3])))
def test_no_multiline_short_comment(template):
    match = UNCLOSED_ONE_LINE_COMMENT.search(template.read_text())
    assert not match, (
        f"{template}: a {{# … #}} comment spans lines; use {{% comment %}} instead: {match.group(0)[:60]!r}"
    )
