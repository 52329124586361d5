"""The operator dashboard: staff only, charts from the real tables, job status."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from dailypapers.community.models import Vote
from dailypapers.ops.dashboard import dashboard_data
from tests.factories import make_paper


def test_dashboard_is_for_staff_only(client, db):
    assert client.get("/admin/dashboard/").status_code == 302  # to the admin login
    member = get_user_model().objects.create_user("member", "m@example.org", "pw-123456789")
    client.force_login(member)
    assert client.get("/admin/dashboard/").status_code == 302


def test_dashboard_counts_papers_and_votes_per_day(client, db):
    today = timezone.localdate()
    paper = make_paper(day=today)
    make_paper(day=today - dt.timedelta(days=1))
    voter = get_user_model().objects.create_user("voter", "v@example.org", "pw-123456789")
    Vote.objects.create(user=voter, paper=paper, created_at=timezone.now())

    data = dashboard_data(days=7, today=today)
    papers, votes = data["charts"][0], data["charts"][1]
    assert [bar["count"] for bar in papers["bars"]][-2:] == [1, 1]
    assert votes["total"] == 1 and votes["bars"][-1]["count"] == 1
    assert data["totals"]["papers"] == 2

    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw-123456789")
    client.force_login(admin)
    html = client.get("/admin/dashboard/").content.decode()
    assert "Papers per listing day" in html and "Scheduled jobs" in html
    assert "Dashboard" in client.get("/admin/").content.decode()
