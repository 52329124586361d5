"""A catalogue months old (papers listed in June and July 2026, the calendar at 2 December
2026, as with the shared corpus): the site runs on its newest listing day (catalog/clock.py).
Trending's day / week / month, "for you", submissions, the dashboard chart and the digests'
default edition all have papers, and the pages say which day the site is on."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dailypapers.catalog import clock
from dailypapers.community.follows import follow
from dailypapers.community.foryou import for_you
from dailypapers.community.submissions import submit_paper
from dailypapers.digest.models import Subscription
from dailypapers.ingest.records import PaperRecord
from dailypapers.ingest.run import ingest_records
from dailypapers.ops.dashboard import dashboard_data
from tests.factories import make_paper

pytestmark = pytest.mark.django_db
JULY_1 = dt.date(2026, 7, 1)
CALENDAR = dt.date(2026, 12, 2)


@pytest.fixture
def months_old(monkeypatch):
    monkeypatch.setattr(clock, "calendar_today", lambda: CALENDAR)
    make_paper(arxiv_id="2606.20001", day=dt.date(2026, 6, 8), title="Early June paper", upvotes=3)
    make_paper(arxiv_id="2606.20002", day=dt.date(2026, 6, 29), title="Week paper", upvotes=2)
    make_paper(arxiv_id="2607.00001", day=JULY_1, title="Newest day paper", upvotes=1)
    make_paper(
        arxiv_id="2606.20003",
        day=dt.date(2026, 6, 30),
        title="Submittable paper",
        featured=False,
        published=dt.datetime(2026, 6, 29, 17, tzinfo=dt.UTC),
    )


def _member(name="reader"):
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user(name, email=f"{name}@example.org", password="pw")
    user.date_joined = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    user.save(update_fields=["date_joined"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_the_site_runs_on_its_newest_listing_day(months_old):
    assert clock.today() == JULY_1 and clock.catalogue_behind() == JULY_1


@pytest.mark.parametrize(
    "window, titles",
    [
        ("day", ["Newest day paper"]),
        ("week", ["Week paper", "Newest day paper"]),
        ("month", ["Early June paper", "Week paper", "Newest day paper"]),
    ],
)
def test_trending_day_week_month_have_papers_and_say_which_day(client, months_old, window, titles):
    page = client.get(f"/papers/trending?window={window}").content.decode()
    assert [title for title in titles if title in page] == titles
    assert "Latest listing: 1 July 2026" in page
    listed = client.get(f"/api/v1/trending?window={window}").json()
    assert [paper["title"] for paper in listed] == titles


def test_feed_page_says_latest_listing(client, months_old):
    page = client.get("/").content.decode()
    assert "Newest day paper" in page and "Latest listing: 1 July 2026" in page


def test_for_you_has_papers(months_old):
    member = _member()
    follow(user=member, kind="category", value="cs.LG")
    items = for_you(user=member)["items"]
    assert {item["paper"].arxiv_id for item in items} == {"2606.20001", "2606.20002", "2607.00001"}
    assert items[0]["reason"] == "In category cs.LG, which you follow"


def test_a_corpus_paper_can_be_submitted_and_joins_the_newest_day(months_old):
    submission = submit_paper(user=_member(), text="2606.20003")
    submission.paper.refresh_from_db()
    assert submission.paper.featured_on == JULY_1


def test_dashboard_chart_ends_on_the_newest_listing_day(months_old):
    data = dashboard_data()
    assert data["end"] == JULY_1 and data["charts"][0]["total"] == 4


def test_digest_send_without_a_date_has_papers(months_old, capsys):
    Subscription.objects.create(email="a@example.org", status=Subscription.ACTIVE, frequency=Subscription.DAILY)
    Subscription.objects.create(email="b@example.org", status=Subscription.ACTIVE, frequency=Subscription.WEEKLY)
    call_command("digest", "send", "--kind", "daily", "--dry-run")
    assert json.loads(capsys.readouterr().out)["would_queue"] == 1  # the edition of Thursday 2 July
    call_command("digest", "send", "--kind", "weekly", "--dry-run")
    assert json.loads(capsys.readouterr().out)["would_queue"] == 1


def test_a_live_catalogue_keeps_the_calendar_and_an_ingest_moves_the_day_at_once(monkeypatch):
    monkeypatch.setattr(clock, "calendar_today", lambda: dt.date(2026, 7, 6))  # Monday after a 4-day pause
    make_paper(day=dt.date(2026, 7, 2))
    assert clock.today() == dt.date(2026, 7, 6) and clock.catalogue_behind() is None
    monkeypatch.setattr(clock, "calendar_today", lambda: CALENDAR)
    assert clock.today() == dt.date(2026, 7, 2)  # remembered for a few seconds; same answer
    ingest_records(
        [
            PaperRecord(
                arxiv_id="2611.00001", title="Ingested", listing_date=dt.date(2026, 11, 30), categories=["cs.LG"]
            )
        ],
        progress=False,
    )
    assert clock.today() == CALENDAR  # two days behind: live again, without waiting
