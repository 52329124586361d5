"""The one window parser (catalog/windows.py), alone and through every door: the feed page,
`/api/daily_papers`, and `dailypapers papers daily`. Any text gives a window or a clear 400 /
exit status 2 naming the parameter; never a 500 or a traceback."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dailypapers.catalog.models import Paper
from dailypapers.catalog.windows import (
    DAY_PATTERN,
    MONTH_PATTERN,
    WEEK_PATTERN,
    FeedParameterError,
    Window,
    parse_day,
    parse_window,
    recent_window,
)
from dailypapers.cli import main
from tests.factories import make_paper

WINDOW_TEXT = st.one_of(
    st.text(max_size=24),
    st.from_regex(r"[0-9]{4}-(W[0-9]{2}|[0-9]{2}(-[0-9]{2})?)", fullmatch=True),
    st.builds("{}-{:02d}-{:02d}".format, st.integers(1985, 3005), st.integers(0, 13), st.integers(0, 32)),
    st.builds("{}-W{:02d}".format, st.integers(1985, 3005), st.integers(0, 54)),
    st.sampled_from(["9999-W52", "9999-12", "9999-12-31", "0001-01-01", "2026-W53", "2025-W53", "2026-02-30"]),
)
EXAMPLES = hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"date": "2026-06-30"}, Window(date(2026, 6, 30), date(2026, 6, 30))),
        ({"week": "2026-W53"}, Window(date(2026, 12, 28), date(2027, 1, 3))),  # 2026 has 53 ISO weeks
        ({"week": "2025-W01"}, Window(date(2024, 12, 30), date(2025, 1, 5))),
        ({"date": "2026-06-30", "week": "2026-W27", "month": "2026-07"}, Window(date(2026, 6, 30), date(2026, 6, 30))),
        ({"week": "2026-W27", "month": "2026-07"}, Window(date(2026, 6, 29), date(2026, 7, 5))),  # narrowest wins
        ({"month": "2024-02"}, Window(date(2024, 2, 1), date(2024, 2, 29))),
        ({}, None),
    ],
)
def test_windows(kwargs, expected):
    assert parse_window(**kwargs) == expected


@pytest.mark.parametrize(
    "kwargs, field, says",
    [
        ({"date": "2026-02-30"}, "date", "no such day: February 2026 has 28 days"),
        ({"date": "30/06/2026"}, "date", "expected a day as YYYY-MM-DD"),
        ({"week": "2025-W53"}, "week", "no such week: 2025 has ISO weeks 01 to 52"),
        ({"week": "9999-W52"}, "week", "the year must be from 1990 to 2999"),
        ({"month": "2026-13"}, "month", "no such month"),
    ],
)
def test_refusals_name_the_parameter_and_the_rule(kwargs, field, says):
    with pytest.raises(FeedParameterError) as refused:
        parse_window(**kwargs)
    assert refused.value.field == field and says in str(refused.value)


def test_day_parser_names_the_caller_parameter_and_trending_windows_end_today():
    with pytest.raises(FeedParameterError, match="date_from: no such day: April 2026 has 30 days"):
        parse_day("2026-04-31", "date_from")
    assert recent_window("week", today=date(2026, 7, 1)) == Window(date(2026, 6, 25), date(2026, 7, 1))


@hypothesis_settings(max_examples=400, deadline=None)
@given(key=st.sampled_from(["date", "week", "month"]), value=WINDOW_TEXT)
def test_the_published_patterns_accept_exactly_what_parses(key, value):
    pattern = {"date": DAY_PATTERN, "week": WEEK_PATTERN, "month": MONTH_PATTERN}[key]
    try:
        parse_window(**{key: value})
    except FeedParameterError:
        assert not re.fullmatch(pattern, value)
    else:
        assert re.fullmatch(pattern, value)


@pytest.mark.django_db
@EXAMPLES
@given(key=st.sampled_from(["date", "week", "month"]), value=WINDOW_TEXT)
def test_feed_page_answers_any_window_with_a_page_or_a_400(client, key, value):
    if not Paper.objects.exists():
        make_paper()
    response = client.get("/papers", {key: value})
    assert response.status_code in (200, 400), (key, value)
    if response.status_code == 400:
        assert f"<code>{key}=" in response.content.decode()


@pytest.mark.django_db
@EXAMPLES
@given(key=st.sampled_from(["date", "week", "month"]), value=WINDOW_TEXT)
def test_api_answers_any_window_with_papers_or_a_400(client, settings, key, value):
    settings.API_RATE_LIMIT_ANONYMOUS = ""
    response = client.get("/api/daily_papers", {key: value})
    assert response.status_code in (200, 400), (key, value)
    if response.status_code == 400:
        assert response.json()["error"].startswith(key)


@pytest.mark.django_db
@EXAMPLES
@given(key=st.sampled_from(["date", "week", "month"]), value=WINDOW_TEXT.filter(lambda text: "\x00" not in text))
def test_cli_answers_any_window_with_a_list_or_exit_status_2(key, value):
    # call_command: main() would close the test's database connection (run_from_argv does).
    try:
        call_command("papers", "daily", f"--{key}={value}", "--json", stdout=io.StringIO())
    except CommandError as refused:
        assert refused.returncode == 2 and str(refused).startswith(f"{key}:"), (key, value, str(refused))


@pytest.mark.django_db
@pytest.mark.parametrize("argument", ["--week=9999-W52", "--month=9999-12", "--date=2026-02-30"])
def test_cli_refuses_far_years_and_missing_days_with_status_2(capsys, argument):
    assert main(["papers", "daily", argument]) == 2
    err = capsys.readouterr().err
    assert ("no such day" in err) if "02-30" in argument else ("the year must be from 1990 to 2999" in err)


@pytest.mark.django_db
def test_api_overflowing_week_and_missing_day_are_400_with_the_rule(client):
    week = client.get("/api/daily_papers?week=9999-W52")
    assert week.status_code == 400 and "the year must be from 1990 to 2999" in week.json()["error"]
    day = client.get("/api/daily_papers?date=2026-02-30")
    assert day.status_code == 400 and "no such day: February 2026 has 28 days" in day.json()["error"]
    page = client.get("/papers?date=2026-02-30")
    assert page.status_code == 400 and "no such day: February 2026 has 28 days" in page.content.decode()


def test_mcp_and_cli_tool_refuses_a_far_week_naming_it():
    from dailypapers.api.tools import ToolInputError, daily_papers

    with pytest.raises(ToolInputError, match=r"^week: the year must be from 1990 to 2999"):
        daily_papers(week="9999-W52")
