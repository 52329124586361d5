"""Feed and paper pages are served from the cache to anonymous readers, each with their own
CSRF token, and a vote, a comment count change or an ingest shows at once."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dailypapers.catalog.models import Paper
from dailypapers.community.votes import cast_vote
from dailypapers.ingest.records import PaperRecord
from dailypapers.ingest.run import ingest_records
from tests.factories import make_paper

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 6, 30)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def test_second_anonymous_view_is_a_hit_with_the_readers_own_token():
    make_paper(day=DAY, title="Cached paper")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert first.get("/").headers["X-Page-Cache"] == "miss"
    response = second.get("/")
    assert response.headers["X-Page-Cache"] == "hit" and "Cached paper" in response.content.decode()
    token = TOKEN.search(response.content.decode()).group(1)
    assert "__dailypapers_csrf_token__" not in response.content.decode()
    # The token in the cached page works for this reader: the subscribe form accepts it.
    posted = second.post(
        "/subscribe",
        {"csrfmiddlewaretoken": token, "email": "reader@example.org", "frequency": "daily", "kind": "trending"},
    )
    assert posted.status_code in (200, 302)


def test_a_vote_shows_on_the_next_anonymous_view():
    paper = make_paper(day=DAY)
    reader = Client()
    reader.get(f"/papers/{paper.arxiv_id}")
    assert reader.get(f"/papers/{paper.arxiv_id}").headers["X-Page-Cache"] == "hit"
    voter = get_user_model().objects.create_user("voter", "v@example.org", "pw-123456789")
    cast_vote(user=voter, paper_id=paper.pk)
    response = reader.get(f"/papers/{paper.arxiv_id}")
    assert response.headers["X-Page-Cache"] == "miss"
    assert re.search(r'class="vote-count">1<', response.content.decode())


def test_an_ingest_shows_new_papers_at_once():
    make_paper(day=DAY)
    reader = Client()
    reader.get(f"/papers?date={DAY}")
    ingest_records(
        [PaperRecord(arxiv_id="2606.99999", title="Freshly ingested", listing_date=DAY, categories=["cs.LG"])],
        progress=False,
    )
    assert "Freshly ingested" in reader.get(f"/papers?date={DAY}").content.decode()


def test_members_always_get_a_fresh_page():
    make_paper(day=DAY)
    member = get_user_model().objects.create_user("m", "m@example.org", "pw-123456789")
    client = Client()
    client.force_login(member)
    client.get("/")
    assert "X-Page-Cache" not in client.get("/").headers
    assert Paper.objects.count() == 1
