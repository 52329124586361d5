"""The Hugging Face client library, unchanged, against a live dailypapers server."""

from __future__ import annotations

import datetime as dt

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError


@pytest.fixture
def hf(live_server, papers) -> HfApi:
    return HfApi(endpoint=live_server.url, token=False)


@pytest.mark.django_db(transaction=True)
def test_list_daily_papers_by_date_week_and_month(hf):
    day = list(hf.list_daily_papers(date="2025-03-03"))
    assert [p.id for p in day] == ["2503.00002", "2503.00001"]  # by upvotes within the day
    first = day[1]
    assert first.title == "Attention Is Still All You Need"
    assert [a.name for a in first.authors] == ["Ada Lovelace", "Alan Turing"]
    assert first.upvotes == 5
    assert first.submitted_at == dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    assert first.published_at == dt.datetime(2025, 3, 2, 17, 30, tzinfo=dt.UTC)
    assert first.github_repo == "https://github.com/example/attention"
    assert first.project_page == "https://example.org/attention"
    week = [p.id for p in hf.list_daily_papers(week="2025-W10")]
    assert week == ["2503.00003", "2503.00002", "2503.00001"]  # newest day first; hidden left out
    assert [p.id for p in hf.list_daily_papers(month="2025-03", sort="trending")] == [
        "2503.00003",
        "2503.00001",
        "2503.00002",
    ]
    assert list(hf.list_daily_papers(month="2025-04")) == []
    assert [p.id for p in hf.list_daily_papers(week="2025-W10", p=1, limit=2)] == ["2503.00001"]


@pytest.mark.django_db(transaction=True)
def test_paper_info_and_unknown_paper(hf):
    info = hf.paper_info("2503.00003")
    assert info.id == "2503.00003"
    assert info.summary.startswith("We study retrieval")
    assert [a.name for a in info.authors] == ["Émilie du Châtelet", "Kurt Gödel"]
    assert info.submitted_at == dt.datetime(2025, 3, 4, tzinfo=dt.UTC)
    assert info.linked_models == [] and info.num_total_models == 0
    assert info.ai_keywords == []  # none extracted for this paper (tests/api/test_keywords_api.py)
    assert info.published_at == dt.datetime(2025, 3, 3, 17, 30, tzinfo=dt.UTC)  # first version, with its time
    assert hf.paper_info("2503.00003v2").id == "2503.00003"  # a version suffix finds the paper
    assert hf.paper_info("hep-th/9901001").title.startswith("Strings")  # old-style id with a slash
    for missing in ("2503.99999", "2503.00009", "not-an-id"):  # unknown, hidden, nonsense
        with pytest.raises(HfHubHTTPError) as raised:
            hf.paper_info(missing)
        assert raised.value.response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_list_papers_searches(hf):
    found = [p.id for p in hf.list_papers(query="retrieval augmented")]
    assert found[0] == "2503.00003"
    assert "2503.00009" not in [p.id for p in hf.list_papers(query="attention")]
    assert len(list(hf.list_papers(query="attention", limit=1))) == 1


@pytest.mark.django_db(transaction=True)
def test_submitter_filter_and_submitted_by(hf):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dailypapers.community.submissions import submit_paper
    from tests.factories import make_paper

    member = get_user_model().objects.create_user("ak", first_name="A.", last_name="K.", password="pw")
    make_paper(
        "2511.00042",
        title="Fresh Results",
        authors=["New Author"],
        featured_on=None,
        published=timezone.now() - dt.timedelta(days=1),
    )
    submit_paper(user=member, text="arXiv:2511.00042v1", comment="worth a read")
    [paper] = hf.list_daily_papers(submitter="ak")
    assert paper.id == "2511.00042"
    assert paper.submitted_by.username == "ak" and paper.submitted_by.fullname == "A. K."
    assert hf.paper_info("2511.00042").submitted_by.username == "ak"
    assert list(hf.list_daily_papers(submitter="nobody")) == []


@pytest.mark.django_db(transaction=True)
def test_paper_without_arxiv_time_keeps_both_dates(hf):
    from tests.factories import make_paper

    make_paper("2503.00055", title="Undated", authors=["A. Person"], featured_on=dt.date(2025, 3, 5), published=None)
    [paper] = hf.list_daily_papers(date="2025-03-05")
    assert paper.submitted_at == dt.datetime(2025, 3, 5, tzinfo=dt.UTC)
    assert paper.published_at == dt.datetime(2025, 3, 5, tzinfo=dt.UTC)  # the listing day
    assert hf.paper_info("2503.00055").published_at == dt.datetime(2025, 3, 5, tzinfo=dt.UTC)
    [found] = hf.list_papers(query="Undated")
    assert found.id == "2503.00055" and found.published_at == dt.datetime(2025, 3, 5, tzinfo=dt.UTC)
