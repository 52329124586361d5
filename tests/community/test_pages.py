"""Paper page panel (chart, comments), profiles, follows and the "for you" feed."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.community.charts import upvote_chart, upvote_series
from dailypapers.community.comments import post_comment
from dailypapers.community.follows import FollowRefused, follow, follows_of, unfollow
from dailypapers.community.foryou import TRENDING_REASON, for_you
from dailypapers.community.models import Follow
from dailypapers.community.submissions import submit_paper
from dailypapers.community.votes import cast_vote

UTC = dt.UTC


def test_upvote_series_is_cumulative_per_day(make_user, make_paper):
    paper = make_paper()
    for day, count in ((1, 2), (3, 1)):
        for _ in range(count):
            cast_vote(user=make_user(), paper_id=paper.pk, now=dt.datetime(2026, 1, day, 10, tzinfo=UTC))
    assert upvote_series(paper_id=paper.pk) == [(dt.date(2026, 1, 1), 2), (dt.date(2026, 1, 3), 3)]
    chart = upvote_chart(paper_id=paper.pk)
    assert chart["total"] == 3 and chart["points"] == "4.0,21.3 236.0,4.0"  # y = 56 - 52 * votes / 3


def test_paper_page_shows_chart_and_comments(client, make_user, make_paper):
    paper = make_paper(arxiv_id="2601.20001")
    cast_vote(user=make_user(), paper_id=paper.pk)
    post_comment(user=make_user("commenter"), paper=paper, body="Looks *solid*")
    page = client.get("/papers/2601.20001").content.decode()
    assert "<polyline" in page and "Upvotes over time" in page
    assert "<em>solid</em>" in page and "commenter" in page


def test_discussion_page_links_the_vote(client, make_paper):
    make_paper(arxiv_id="2601.20002")
    page = client.get("/papers/2601.20002/comments").content.decode()
    assert 'action="/papers/2601.20002/upvote"' in page
    assert client.get("/papers/2601.99998/comments").status_code == 404


def test_follow_rules(make_user):
    user = make_user()
    assert follow(user=user, kind="topic", value="  diffusion   models ") is True
    assert follow(user=user, kind="topic", value="diffusion models") is False
    follow(user=user, kind="category", value="cs.CL")
    assert follow(user=user, kind="keyword", value=" Diffusion  Models") is True  # stored lower-cased
    assert follow(user=user, kind="keyword", value="diffusion models") is False
    expected = {
        "author": [],
        "category": ["cs.CL"],
        "topic": ["diffusion models"],
        "org": [],
        "keyword": ["diffusion models"],
    }
    assert follows_of(user) == expected
    with pytest.raises(FollowRefused, match="kind: expected one of author, category, keyword, org, topic, got 'venue'"):
        follow(user=user, kind="venue", value="NeurIPS")
    with pytest.raises(FollowRefused, match="category: give a name"):
        follow(user=user, kind="category", value=" ")
    assert unfollow(user=user, kind="category", value="cs.CL") is True
    assert Follow.objects.filter(user=user).count() == 2  # the topic and the keyword


def test_profile_shows_submissions_votes_comments_and_follows(client, make_user, make_paper):
    user = make_user("dana")
    submitted = make_paper(title="Submitted thing", published=dt.datetime.now(UTC))
    submit_paper(user=user, text=submitted.arxiv_id)
    voted = make_paper(title="Voted thing")
    cast_vote(user=user, paper_id=voted.pk)
    post_comment(user=user, paper=voted, body="a **remark**")
    follow(user=user, kind="author", value="Grace Hopper")
    page = client.get("/members/dana").content.decode()
    for text in ("Submitted thing", "Voted thing", "<strong>remark</strong>", "Grace Hopper", "1 submission"):
        assert text in page
    assert client.get("/members/nobody").status_code == 404


def test_follow_over_http(client, make_user):
    user = make_user("erin")
    client.force_login(user)
    assert client.post("/follow", {"kind": "category", "value": "cs.CV"}).status_code == 302
    assert follows_of(user)["category"] == ["cs.CV"]
    bad = client.post("/follow", {"kind": "venue", "value": "x"})
    assert bad.status_code == 400 and b"kind: expected one of" in bad.content
    client.post("/unfollow", {"kind": "category", "value": "cs.CV"})
    assert follows_of(user)["category"] == []


def test_for_you_without_upvotes_or_follows_says_how_to_start(client, make_user):
    user = make_user()
    assert for_you(user=user)["start_here"] is True
    client.force_login(user)
    assert "Upvote a few papers" in client.get("/for-you").content.decode()


def test_for_you_from_follows_and_upvotes_says_why(make_user, make_paper):
    today = dt.date(2026, 1, 20)
    user = make_user()
    liked = make_paper(
        title="Liked", authors_text="Grace Hopper", categories=["cs.PL"], primary_category="cs.PL", featured_on=today
    )
    cast_vote(user=user, paper_id=liked.pk)
    follow(user=user, kind="topic", value="protein folding")
    same_author = make_paper(
        title="Another",
        authors_text="Grace Hopper, X",
        categories=["math.CO"],
        primary_category="math.CO",
        featured_on=today,
    )
    on_topic = make_paper(
        title="Protein folding at scale", categories=["q-bio.BM"], primary_category="q-bio.BM", featured_on=today
    )
    unrelated = make_paper(
        title="Unrelated",
        authors_text="Nobody",
        categories=["astro-ph"],
        primary_category="astro-ph",
        featured_on=today,
    )
    too_old = make_paper(title="Protein folding, old", featured_on=today - dt.timedelta(days=60))
    reasons = {item["paper"].pk: item["reason"] for item in for_you(user=user, today=today)["items"]}
    assert reasons == {
        same_author.pk: "Shares an author with “Liked”, which you upvoted",
        on_topic.pk: "Matches topic “protein folding”, which you follow",
        unrelated.pk: TRENDING_REASON,  # few signals: trending fills the rest, after the matches
    }
    assert list(reasons)[-1] == unrelated.pk
    assert liked.pk not in reasons and too_old.pk not in reasons


def test_for_you_by_meaning_uses_paper_vectors(make_user, make_paper, monkeypatch):
    import numpy as np

    from dailypapers.community import foryou

    today = dt.date(2026, 1, 20)
    user = make_user()
    liked = make_paper(title="Liked", featured_on=today)
    near = make_paper(title="Near", featured_on=today, categories=["x"], primary_category="x", authors_text="A")
    far = make_paper(title="Far", featured_on=today, categories=["y"], primary_category="y", authors_text="B")
    cast_vote(user=user, paper_id=liked.pk)
    vectors = {liked.pk: np.array([1.0, 0.0]), near.pk: np.array([0.9, 0.1]), far.pk: np.array([0.0, 1.0])}
    monkeypatch.setattr(
        foryou, "unit_vectors", lambda ids: {i: v / np.linalg.norm(v) for i, v in vectors.items() if i in ids}
    )
    items = for_you(user=user, today=today)["items"]
    assert [item["paper"].pk for item in items] == [near.pk, far.pk]
    assert items[0]["reason"] == "Like “Liked” that you upvoted"
    assert items[0]["score"] > items[1]["score"]


def test_for_you_reads_the_search_apps_stored_embeddings(make_user, make_paper):
    """End to end with the search app's tables: stored unit vectors, no monkeypatching."""
    import numpy as np

    from dailypapers.search.embedder import MODEL_NAME
    from dailypapers.search.models import Embedding, PaperEmbedding

    today = dt.date(2026, 1, 20)
    user = make_user()
    liked = make_paper(title="Liked", featured_on=today, authors_text="A")
    near = make_paper(title="Near", featured_on=today, categories=["x"], primary_category="x", authors_text="B")
    far = make_paper(title="Far", featured_on=today, categories=["y"], primary_category="y", authors_text="C")
    for paper, vector in ((liked, [1, 0, 0]), (near, [0.8, 0.6, 0]), (far, [0, 0, 1])):
        text_hash = f"hash-{paper.pk}"
        Embedding.objects.create(
            model=MODEL_NAME, text_hash=text_hash, vector=np.asarray(vector, dtype="<f4").tobytes()
        )
        PaperEmbedding.objects.create(paper=paper, model=MODEL_NAME, text_hash=text_hash)
    cast_vote(user=user, paper_id=liked.pk)
    items = for_you(user=user, today=today)["items"]
    assert [item["paper"].pk for item in items] == [near.pk, far.pk]
    assert items[0]["score"] > items[1]["score"] and items[0]["reason"] == "Like “Liked” that you upvoted"


def test_own_profile_links_account_settings(client, db):
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.create_user("reader", "r@example.org", "pw-123456789")
    client.force_login(member)
    html = client.get("/members/reader").content.decode()
    for link in ("/accounts/2fa/", "/settings/tokens", "/subscribe"):
        assert link in html
