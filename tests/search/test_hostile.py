"""Any string a user can type gets results or a clear message, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from dailypapers.search.keyword import fts5_expression
from dailypapers.search.query import parse_query
from dailypapers.search.service import search_papers

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    '""',
    '"unbalanced',
    'a"b"c',
    "NEAR(a b)",
    "NEAR",
    "a NEAR/3 b",
    "*",
    "learn*",
    "^title",
    "title:foo",
    ":",
    "::",
    "a:b:c",
    "author:",
    "cat:",
    "-",
    "--",
    "-learning",
    "AND",
    "OR NOT",
    "(",
    ")",
    "((a)",
    "{title} : x",
    "'; DROP TABLE catalog_paper; --",
    "%",
    "%%s",
    "\\",
    "\x00",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "日本語の論文",
    "émigré naïve café",
    "🤖 agents",
    "x" * 10_000,
    "learning " * 2_000,
    "a" * 300 + " " + "-b" * 300,
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_hostile_queries_never_raise(corpus, query, mode):
    answer = search_papers(query, mode=mode)
    assert isinstance(answer["results"], list)
    assert isinstance(answer["notices"], list)


def test_fts_syntax_is_searched_for_not_executed(corpus):
    # NEAR would be an FTS5 operator; quoted it is just a word no paper contains.
    assert search_papers("NEAR(reinforcement learning)", mode="keyword")["results"]
    assert fts5_expression(parse_query('x"y NEAR')) == '("x" OR "y" OR "NEAR")'


@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_text_parses_to_safe_fts(corpus, text):
    expression = fts5_expression(parse_query(text))
    if expression is not None:
        search_papers(text, mode="keyword")
