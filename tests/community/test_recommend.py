""" "For you" that learns: signals move the ranking, "not interested" never shows, few signals fall
back to follows and trending, reasons name what they come from, editing "what we think you
like" changes the results, digest opens count, the worker retrains, and the API serves it.

Paper vectors are stored in the search app's tables (as the embedder would), in two topics:
A along the first axis, B along the second, with a little of the third to tell papers apart.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from dailypapers.community.follows import follow
from dailypapers.community.foryou import TRENDING_REASON, for_you
from dailypapers.community.models import DigestOpen, TasteModel, TasteMute
from dailypapers.community.opens import open_url
from dailypapers.community.taste import retrain_changed
from dailypapers.community.votes import cast_vote
from dailypapers.library.models import Collection, CollectionItem, ReadingState
from dailypapers.search.embedder import MODEL_NAME
from dailypapers.search.models import Embedding, PaperEmbedding

TODAY = dt.date(2026, 1, 20)


def store_vector(paper, vector) -> None:
    vector = np.asarray(vector, dtype="<f4")
    text_hash = f"test-{paper.pk}"
    Embedding.objects.create(model=MODEL_NAME, text_hash=text_hash, vector=(vector / np.linalg.norm(vector)).tobytes())
    PaperEmbedding.objects.create(paper=paper, model=MODEL_NAME, text_hash=text_hash)


@pytest.fixture
def topics(make_paper):
    """Eight papers on topic A, eight on topic B, and eight on neither, all featured today."""
    papers = {}
    for topic, axis in (("A", 0), ("B", 1), ("C", 3)):
        for n in range(8):
            paper = make_paper(
                title=f"{topic}{n}", authors_text=f"Author {topic}{n}", categories=["cs.LG"], featured_on=TODAY
            )
            vector = np.zeros(4)
            vector[axis], vector[2] = 1.0, 0.05 * n
            store_vector(paper, vector)
            papers[f"{topic}{n}"] = paper
    return papers


def save(user, *papers) -> None:
    collection, _ = Collection.objects.get_or_create(owner=user, is_default=True, defaults={"name": "Saved for later"})
    for paper in papers:
        CollectionItem.objects.create(collection=collection, paper=paper)


def titles(user, **options) -> list[str]:
    return [item["paper"].title for item in for_you(user=user, today=TODAY, **options)["items"]]


def test_signals_change_the_ranking(make_user, topics):
    member = make_user()
    for name in ("A0", "A1"):
        cast_vote(user=member, paper_id=topics[name].pk)
    first = titles(member)
    assert all(title.startswith("A") for title in first[:6])
    save(member, topics["B0"], topics["B1"], topics["B2"], topics["B3"])  # saves weigh as much as upvotes
    ReadingState.objects.create(user=member, paper=topics["B4"], state=ReadingState.READ)
    second = titles(member)
    assert second[0].startswith("B") and second != first
    assert not {"A0", "A1", "B0", "B1", "B2", "B3", "B4"} & set(second)  # never what the member already has


def test_not_interested_is_never_recommended(make_user, topics, client):
    member = make_user()
    for name in ("A0", "A1"):
        cast_vote(user=member, paper_id=topics[name].pk)
    nearest = titles(member)[0]
    ReadingState.objects.create(user=member, paper=topics[nearest], state=ReadingState.NOT_INTERESTED)
    assert nearest not in titles(member)
    assert nearest not in titles(member, limit=100)  # not in the trending fill either
    client.force_login(member)
    assert f">{nearest}<" not in client.get("/for-you").content.decode()


def test_few_signals_fall_back_to_follows_then_trending(make_user, topics, make_paper):
    member = make_user()
    assert for_you(user=member, today=TODAY)["start_here"] is True
    follow(user=member, kind="author", value="Author C5")
    items = for_you(user=member, today=TODAY)["items"]
    assert items[0]["paper"].title == "C5" and items[0]["reason"] == "By Author C5, whom you follow"
    assert {item["reason"] for item in items[1:]} == {TRENDING_REASON}
    assert not for_you(user=member, today=TODAY)["model"]


def test_reasons_name_the_nearest_liked_papers_and_their_signal(make_user, topics):
    member = make_user()
    save(member, topics["A0"], topics["A1"])
    cast_vote(user=member, paper_id=topics["B0"].pk)
    cast_vote(user=member, paper_id=topics["B1"].pk)
    follow(user=member, kind="author", value="Author C2")
    reasons = {item["paper"].title: item["reason"] for item in for_you(user=member, today=TODAY)["items"]}
    assert reasons["A2"] in ("Like “A1” and “A0” that you saved", "Like “A0” and “A1” that you saved")
    assert reasons["B2"].endswith("that you upvoted") and "“B1”" in reasons["B2"]
    assert reasons["C2"] == "By Author C2, whom you follow"


def test_editing_what_we_think_you_like_changes_the_results(make_user, topics, client):
    member = make_user()
    save(member, topics["A0"], topics["A1"], topics["B0"], topics["B1"])
    client.force_login(member)
    page = client.get("/for-you/taste").content.decode()
    assert "What we think you like" in page and ">B0<" in page and ">A1<" in page
    assert "Built from 4 papers you saved, upvoted, opened or read" in client.get("/for-you").content.decode()
    mixed = titles(member)[:6]
    assert {t[0] for t in mixed} == {"A", "B"}
    for name in ("B0", "B1"):
        response = client.post(f"/for-you/taste/{topics[name].arxiv_id}/remove")
        assert response.status_code == 302
    assert TasteMute.objects.filter(user=member).count() == 2
    assert "Built from 2 papers you saved" in client.get("/for-you").content.decode()
    assert CollectionItem.objects.filter(collection__owner=member).count() == 4  # still saved
    narrowed = titles(member)[:6]
    assert all(t.startswith("A") for t in narrowed)
    page = client.get("/for-you/taste").content.decode()
    assert 'id="taste-muted"' in page and "Use again" in page
    client.post(f"/for-you/taste/{topics['B0'].arxiv_id}/restore")
    client.post(f"/for-you/taste/{topics['B1'].arxiv_id}/restore")
    assert {t[0] for t in titles(member)[:6]} == {"A", "B"}
    assert client.get("/for-you/taste/2501.99999/remove").status_code == 405  # a change is a POST


def test_digest_links_record_opens_that_teach_the_feed(make_user, topics, client):
    from dailypapers.digest.models import Subscription
    from dailypapers.digest.rendering import PaperBlocks, digest_data

    member = make_user()
    url = open_url(user_id=member.pk, paper=topics["A0"])
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302 and response["Location"].endswith(f"/papers/{topics['A0'].arxiv_id}")
    client.get("/" + path)  # twice: still one row
    assert list(DigestOpen.objects.filter(user=member).values_list("paper__title", flat=True)) == ["A0"]
    forged = path.replace(f"{member.pk}-", f"{member.pk + 1}-")
    assert client.get("/" + forged).status_code == 302  # still leads to the paper…
    other = open_url(user_id=member.pk, paper=topics["A1"]).split("/from-digest/")[1]
    client.get(f"/papers/{topics['A2'].arxiv_id}/from-digest/{other}")  # …a token for another paper
    assert DigestOpen.objects.count() == 1  # …and records nothing
    client.get("/" + open_url(user_id=member.pk, paper=topics["A1"]).split("://", 1)[1].split("/", 1)[1])
    reasons = [item["reason"] for item in for_you(user=member, today=TODAY)["items"][:3]]
    assert all("opened from a digest" in reason for reason in reasons)
    # Rendering: a member's digest links through the redirect, an address-only digest does not.
    edition_kind = Subscription.DAILY
    from dailypapers.digest.models import Edition

    edition = Edition(kind=edition_kind, date=TODAY)
    mine = Subscription(email=member.email, user=member, kind=Subscription.FOR_YOU)
    anyone = Subscription(email="x@example.org", kind=Subscription.TRENDING)
    blocks = PaperBlocks()
    html = digest_data(subscription=mine, edition=edition, paper_ids=[topics["B0"].pk], blocks=blocks)["papers_html"]
    plain = digest_data(subscription=anyone, edition=edition, paper_ids=[topics["B0"].pk], blocks=blocks)["papers_html"]
    assert "/from-digest/" in html and "/from-digest/" not in plain


def test_the_worker_retrains_changed_members_and_the_page_retrains_lazily(make_user, topics):
    member, idle = make_user(), make_user()
    save(member, topics["A0"], topics["A1"])
    assert retrain_changed() == {"checked": 1, "retrained": 1, "waiting": 0}
    model = TasteModel.objects.get(user=member)
    assert model.positives == 2 and model.negatives > 0 and not TasteModel.objects.filter(user=idle).exists()
    assert retrain_changed()["retrained"] == 0  # nothing changed
    cast_vote(user=member, paper_id=topics["B0"].pk)
    cast_vote(user=member, paper_id=topics["B0"].pk, up=False)  # unvote: no timestamp left behind
    save(member, topics["A2"])
    for_you(user=member, today=TODAY)
    assert TasteModel.objects.get(user=member).positives == 3


def test_for_you_page_queries_do_not_grow_with_signals(make_user, topics, client, django_assert_max_num_queries):
    member = make_user()
    save(member, *(topics[f"A{n}"] for n in range(6)))
    for n in range(6):
        cast_vote(user=member, paper_id=topics[f"B{n}"].pk)
    client.force_login(member)
    client.get("/for-you")  # trains and stores the model
    with django_assert_max_num_queries(30):
        response = client.get("/for-you")
    assert response.status_code == 200 and "Like “" in response.content.decode()


def test_api_serves_the_same_ranking_with_reasons(make_user, topics, client):
    from dailypapers.api.tokens import create_token

    member = make_user()
    save(member, topics["A0"], topics["A1"])
    _, raw = create_token(user=member, name="test")
    response = client.get("/api/v1/me/for-you?limit=5", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["title"] for row in body] == titles(member)[:5]
    assert body[0]["reason"].startswith("Like “A") and body[0]["url"].endswith(f"/papers/{body[0]['id']}")
    assert client.get("/api/v1/me/for-you").status_code == 401
    bad = client.get("/api/v1/me/for-you?limit=0", headers={"authorization": f"Bearer {raw}"})
    assert bad.status_code == 400 and bad.json()["error"].startswith("limit:")
