"""Follow buttons where the thing is: authors and categories on the paper page, a category's
feed, a search's topic; the profile lists follows with a button to stop; the member's email
digests are one click from the profile."""

import pytest
from django.contrib.auth import get_user_model

from dailypapers.community.follows import follow, follows_of
from dailypapers.digest.models import Subscription
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user("dana", "dana@example.org", "pw-123456789")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    return user


def test_paper_page_has_a_follow_button_per_author_and_category(client, member):
    make_paper(arxiv_id="2606.00001", authors=("Ada Lovelace", "Alan Turing"), categories=("cs.LG", "stat.ML"))
    follow(user=member, kind="author", value="Alan Turing")
    html = client.get("/papers/2606.00001").content.decode()
    assert 'aria-label="Follow author Ada Lovelace"' in html
    assert 'aria-label="Stop following author Alan Turing"' in html
    assert 'aria-label="Follow category cs.LG"' in html and 'aria-label="Follow category stat.ML"' in html
    assert html.count('action="/unfollow"') == 1 and html.count('action="/follow"') == 3


def test_follow_button_swaps_in_place_with_htmx_and_redirects_back_without(client, member):
    fragment = client.post(
        "/follow", {"kind": "category", "value": "cs.LG", "next": "/papers/2606.00001"}, headers={"HX-Request": "true"}
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert "Following ✓" in html and 'action="/unfollow"' in html
    assert follows_of(member)["category"] == ["cs.LG"]
    plain = client.post("/unfollow", {"kind": "category", "value": "cs.LG", "next": "/papers?category=cs.LG"})
    assert plain.status_code == 302 and plain["Location"] == "/papers?category=cs.LG"
    assert follows_of(member)["category"] == []


def test_signed_out_follow_goes_to_sign_in(client):
    response = client.post("/follow", {"kind": "author", "value": "Ada Lovelace", "next": "/papers/2606.00001"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_category_feed_and_search_offer_a_follow_button(client, member):
    make_paper(categories=("cs.CL",), title="Language models at scale")
    feed = client.get("/papers?date=2026-06-30&category=cs.CL").content.decode()
    assert 'aria-label="Follow category cs.CL"' in feed
    search = client.get("/search?mode=keyword&q=language").content.decode()
    assert 'aria-label="Follow topic language"' in search


def test_profile_lists_follows_with_proper_labels_and_buttons_to_stop(client, member):
    follow(user=member, kind="category", value="cs.AI")
    follow(user=member, kind="topic", value="protein folding")
    html = client.get("/members/dana").content.decode()
    assert "Categorys" not in html and "<h3>Categories</h3>" in html and "<h3>Authors</h3>" in html
    assert 'aria-label="Stop following category cs.AI"' in html
    assert 'aria-label="Stop following topic protein folding"' in html
    assert 'href="/search?q=protein%20folding"' in html


def test_profile_leads_to_the_members_digests(client, member):
    Subscription.objects.create(
        email="dana@example.org", kind=Subscription.CATEGORY, value="cs.CL", status=Subscription.ACTIVE
    )
    Subscription.objects.create(email="someone@example.org", kind=Subscription.TRENDING, status=Subscription.ACTIVE)
    profile = client.get("/members/dana").content.decode()
    assert 'href="/settings/digests">Email digests</a>' in profile
    page = client.get("/settings/digests").content.decode()
    assert "<td>New papers in cs.CL</td>" in page and "<td>Active</td>" in page
    assert "someone@example.org" not in page
    manage = page[page.index('href="/subscriptions/') + 6 :]
    manage = manage[: manage.index('"')]
    assert client.get(manage).status_code == 200  # the digest app's manage page opens from here
    assert ">Unsubscribe</a>" in page


def test_digests_page_needs_sign_in(client):
    response = client.get("/settings/digests")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_paper_page_queries_do_not_grow_with_authors_or_follows(client, member, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0

    def queries(arxiv_id):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/papers/{arxiv_id}").status_code == 200
        return len(captured.captured_queries)

    make_paper(arxiv_id="2606.00001", authors=("A One",), categories=("cs.LG",))
    make_paper(
        arxiv_id="2606.00002",
        authors=tuple(f"Author {n}" for n in range(40)),
        categories=("cs.LG", "cs.CL", "stat.ML", "cs.AI"),
    )
    for n in range(10):
        follow(user=member, kind="author", value=f"Author {n}")
    queries("2606.00001")  # warm per-process caches (catalog/clock.py's newest listing day)
    assert queries("2606.00002") == queries("2606.00001")
