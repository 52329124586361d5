"""Submissions: every rule refuses with its message; an accepted paper joins today's feed."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from dailypapers.catalog.models import Paper
from dailypapers.community.members import NotAllowed, member_of
from dailypapers.community.models import Submission
from dailypapers.community.submissions import SubmissionRefused, submit_paper

UTC = dt.UTC
NOW = dt.datetime(2026, 1, 10, 9, 30, tzinfo=UTC)


def test_accepted_submission_is_featured_today(make_user, make_paper):
    user = make_user("alice")
    paper = make_paper(arxiv_id="2601.01234", featured_on=dt.date(2026, 1, 6))
    submission = submit_paper(user=user, text="https://arxiv.org/abs/2601.01234v2", comment="Read section 3", now=NOW)
    paper.refresh_from_db()
    assert submission.paper == paper and submission.comment == "Read section 3"
    assert paper.featured_on == dt.date(2026, 1, 10)
    assert paper.featured_reason == "Submitted by alice"
    assert paper.hotness > 0


def test_rule_first_version_at_most_max_age_days(make_user, make_paper, settings):
    settings.SUBMISSION_MAX_AGE_DAYS = 14
    # Listed on 6 January, so the catalogue is current on NOW and the site's today is NOW's day.
    listed = dt.date(2026, 1, 6)
    make_paper(arxiv_id="2512.00001", published=dt.datetime(2025, 12, 26, 23, tzinfo=UTC), day=listed)  # 15 days
    make_paper(arxiv_id="2512.00002", published=dt.datetime(2025, 12, 27, 1, tzinfo=UTC), day=listed)  # 14 days
    user = make_user()
    with pytest.raises(
        SubmissionRefused,
        match=(
            r"too old: the first version of 2512.00001 is from 2025-12-26 \(15 days ago\); papers can be "
            r"submitted up to 14 days"
        ),
    ):
        submit_paper(user=user, text="2512.00001", now=NOW)
    assert submit_paper(user=user, text="2512.00002", now=NOW)


def test_rule_submissions_per_member_per_day(make_user, make_paper, settings):
    settings.SUBMISSIONS_PER_MEMBER_PER_DAY = 2
    user = make_user()
    for n in range(3):
        make_paper(arxiv_id=f"2601.0010{n}")
    submit_paper(user=user, text="2601.00100", now=NOW)
    submit_paper(user=user, text="2601.00101", now=NOW)
    with pytest.raises(SubmissionRefused, match="daily limit: you have submitted 2 papers today, the limit is 2 a day"):
        submit_paper(user=user, text="2601.00102", now=NOW)
    # The next day (UTC) the member may submit again.
    assert submit_paper(user=user, text="2601.00102", now=NOW + dt.timedelta(days=1))


def test_rule_no_duplicates(make_user, make_paper):
    make_paper(arxiv_id="2601.00200")
    submit_paper(user=make_user("first"), text="2601.00200", now=NOW)
    with pytest.raises(SubmissionRefused, match="duplicate: 2601.00200 was already submitted by first on 2026-01-10"):
        submit_paper(user=make_user(), text="arXiv:2601.00200v1", now=NOW)
    assert Submission.objects.count() == 1


def test_bad_ids_are_named(make_user):
    with pytest.raises(SubmissionRefused, match=r"arXiv id: 'not a paper' is neither an arXiv id"):
        submit_paper(user=make_user(), text="not a paper", now=NOW)


def test_hidden_papers_cannot_be_submitted(make_user, make_paper):
    make_paper(arxiv_id="2601.00300", hidden=True)
    with pytest.raises(SubmissionRefused, match="removed by the moderators"):
        submit_paper(user=make_user(), text="2601.00300", now=NOW)


def test_banned_members_cannot_submit(make_user, make_paper):
    user = make_user()
    member = member_of(user)
    member.banned = True
    member.save()
    make_paper(arxiv_id="2601.00400")
    with pytest.raises(NotAllowed, match="banned"):
        submit_paper(user=user, text="2601.00400", now=NOW)


def test_submit_page(client, make_user, make_paper):
    assert client.get("/papers/submit").status_code == 302  # log in first
    client.force_login(make_user("bob"))
    assert b"Submit a paper" in client.get("/papers/submit").content
    refused = client.post("/papers/submit", {"arxiv_id": "nonsense"})
    assert refused.status_code == 400 and b"neither an arXiv id" in refused.content
    make_paper(arxiv_id="2601.00500", published=dt.datetime.now(UTC))
    accepted = client.post("/papers/submit", {"arxiv_id": "2601.00500", "comment": "Great"})
    assert accepted.status_code == 302
    assert Paper.objects.get(arxiv_id="2601.00500").featured_reason == "Submitted by bob"


def _replay_arxiv(responses_mock, fixtures: Path) -> None:
    """Answer arXiv API id lookups with the recorded responses, keyed by id_list."""
    recorded = {}
    for path in fixtures.glob("id_*.json"):
        data = json.loads(path.read_text())
        query = parse_qs(urlparse(data["url"]).query)
        recorded[query.get("id_list", [""])[0]] = data

    def answer(request):
        wanted = parse_qs(urlparse(request.url).query).get("id_list", [""])[0]
        data = recorded.get(wanted)
        if data is None:
            return (404, {}, f"no recording for {wanted}")
        return (data["status_code"], {"Content-Type": "application/atom+xml"}, data["body"])

    import responses

    responses_mock.add_callback(responses.GET, re.compile(r"https?://export\.arxiv\.org/api/query.*"), callback=answer)


def test_a_paper_not_in_the_catalogue_is_fetched_through_the_ingest(make_user, shared_data):
    import responses

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        _replay_arxiv(mock, shared_data / "fixtures" / "arxiv-api")
        submission = submit_paper(
            user=make_user("carol"), text="https://arxiv.org/abs/1605.08386", now=dt.datetime(2016, 6, 1, tzinfo=UTC)
        )
    paper = Paper.objects.get(arxiv_id="1605.08386")
    assert submission.paper == paper
    assert paper.title == "Heat-bath random walks with Markov bases"
    assert paper.featured_on == dt.date(2016, 6, 1) and paper.featured_reason == "Submitted by carol"


def test_a_paper_arxiv_does_not_know_is_refused(make_user, shared_data):
    import responses

    # The recorded answer for the unknown id 0000.0000: a feed without entries.
    empty = json.loads(next((shared_data / "fixtures" / "arxiv-api").glob("id_0000.0000_*.json")).read_text())["body"]
    with responses.RequestsMock() as mock:
        mock.add(
            responses.GET, re.compile(r"https://export\.arxiv\.org/api/query\?.*id_list=2601\.00600.*"), body=empty
        )
        with pytest.raises(SubmissionRefused, match="arXiv id: arXiv has no paper 2601.00600"):
            submit_paper(user=make_user(), text="2601.00600", now=NOW)


def test_arxiv_down_is_a_clear_refusal(make_user):
    import responses
    from requests.exceptions import ConnectionError as RequestsConnectionError

    with responses.RequestsMock() as mock:
        mock.add(responses.GET, re.compile(r"https://export\.arxiv\.org/.*"), body=RequestsConnectionError("refused"))
        with pytest.raises(SubmissionRefused, match="arXiv did not answer for 2601.00700"):
            submit_paper(user=make_user(), text="2601.00700", now=NOW)
