"""Schemathesis over /api/openapi.json: every operation, at least 100 generated cases each
(fewer only where the parameter space is smaller), no 5xx, every response as documented —
its status code (401 and 429 included: some cases send a bad token or run past the rate
limit), its content type and its body.

Calls go straight into Django's WSGI application (no server, no sockets) with a member's
token, so writes run the real community code too. Counts per operation are written to
$DAILYPAPERS_SCHEMATHESIS_REPORT when set (see docs/api.md for the last totals).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter

import pytest
import responses
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import negative_data_rejection

from dailypapers.api.ninja_api import api
from dailypapers.api.tokens import create_token

REAL_IDS = ["2503.00001", "hep-th/9901001", "2503.00009v2", "2503.00003"]
CASES: Counter = Counter()
STATUSES: Counter = Counter()


@pytest.fixture
def token(papers, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = ""
    settings.API_RATE_LIMIT_MEMBER = ""
    member = get_user_model().objects.create_user("fuzzer", email="fuzzer@example.org", password="pw")
    return create_token(user=member, name="schemathesis")[1]


@pytest.fixture
def keep_test_connection():
    """Django's WSGI handler closes the database connection after each request when it sees an
    open transaction (the test's); Django's own test client unhooks that, and so do we."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def arxiv_knows_nothing(shared_data):
    """Submitting an id we lack asks arXiv: replay arXiv's recorded answer to an unknown id."""
    recorded = json.loads((shared_data / "fixtures/arxiv-api/id_0000.0000_s0_m100_8b51d9633a68.json").read_text())
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(
            re.compile(r"https?://export\.arxiv\.org/api/query.*"),
            body=recorded["body"],
            status=recorded["status_code"],
        )
        yield mock


# The schema the site serves at /api/openapi.json, built the same way (ninja) without a request:
# loading it through the WSGI app at collection time would need the database before pytest-django
# allows it, and schemathesis' lazy fixture loader does not run on this pytest.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
schema.location = "/api/openapi.json"
# The coverage phase adds boundary and wrong-method cases on top of the 100 fuzzed ones; with
# it the run takes twice as long, so it runs only when DAILYPAPERS_SCHEMATHESIS_COVERAGE=1.
schema.config.phases.coverage.enabled = os.environ.get("DAILYPAPERS_SCHEMATHESIS_COVERAGE") == "1"


@schema.parametrize()
@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)
def test_api_conforms_to_its_schema(case, token, arxiv_knows_nothing, keep_test_connection, settings):
    label = f"{case.method} {case.path}"
    CASES[label] += 1
    if case.path_parameters and "arxiv_id" in case.path_parameters:
        # Random text almost never names a paper: every other case asks for a real one
        # (visible new-style, old-style with a slash, hidden) so writes and reads really run.
        choice = REAL_IDS[(CASES[label] // 2) % len(REAL_IDS)] if CASES[label] % 2 else None
        if choice:
            case.path_parameters["arxiv_id"] = choice
    # Most cases run as a member with no rate limit, so reads and writes really run; every fifth
    # sends a mistyped token (401 on writes) and every seventh runs past a spent limit (429), so
    # status_code_conformance (on by default) checks that the schema lists those statuses too.
    credentials = "dp_typo" if CASES[label] % 5 == 4 else token
    settings.API_RATE_LIMIT_MEMBER = settings.API_RATE_LIMIT_ANONYMOUS = "1/day" if CASES[label] % 7 == 6 else ""
    # negative_data_rejection is left out: our Authorization header replaces the one schemathesis
    # generated, so a case it mutated to be "invalid" there is a valid request here; and a body
    # whose subscription `kind` it mutated into another kind matches that kind's branch of the
    # oneOf (seen: kind "foryou" with an extra key, rightly accepted with 202).
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {credentials}"}, excluded_checks=[negative_data_rejection]
    )
    STATUSES[response.status_code] += 1
    assert response.status_code < 500


def teardown_module(module):
    report = os.environ.get("DAILYPAPERS_SCHEMATHESIS_REPORT")
    if report and CASES:
        with open(report, "w") as out:
            json.dump(
                {
                    "operations": dict(CASES),
                    "total": sum(CASES.values()),
                    "statuses": {str(k): v for k, v in STATUSES.items()},
                },
                out,
                indent=1,
            )
