"""One matcher (catalog/matching.py) for curation rules, "for you" follows and digests: what a
topic, an author and a category match, the predicate and the queryset agreeing, and the three
callers picking the same papers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dailypapers.catalog.matching import AUTHOR, CATEGORY, TOPIC, matching, paper_matches
from dailypapers.catalog.models import Paper
from dailypapers.community.curation import curate
from dailypapers.community.follows import follow
from dailypapers.community.foryou import for_you
from dailypapers.community.models import CurationRule
from dailypapers.digest.content import PaperPicker
from dailypapers.digest.models import Subscription
from tests.factories import make_paper

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 30)


def _papers():
    return {
        "both words": make_paper(day=DAY, title="Diffusion models for text", abstract="We study them."),
        "any order": make_paper(day=DAY, title="Heat", abstract="Models of heat diffusion."),
        "other word": make_paper(day=DAY, title="Diffusion modelling of heat", abstract="No match here."),
        "inside a word": make_paper(day=DAY, title="Organ imaging", abstract="Modelsmith diffusions."),
    }


@pytest.mark.parametrize(
    "kind, value, expected",
    [
        (TOPIC, "diffusion models", {"both words", "any order"}),
        (TOPIC, "Diffusion", {"both words", "any order", "other word"}),
        (TOPIC, "gan", set()),
        (AUTHOR, "ada LOVELACE", {"both words", "any order", "other word", "inside a word"}),
        (AUTHOR, "Lovelace", set()),
        (CATEGORY, "cs.LG", {"both words", "any order", "other word", "inside a word"}),
        (CATEGORY, "cs", set()),
    ],
)
def test_what_matches(kind, value, expected):
    papers = _papers()
    assert {name for name, paper in papers.items() if paper_matches(kind, value, paper)} == expected
    found = set(matching(Paper.objects.all(), kind, value).values_list("pk", flat=True))
    assert found == {papers[name].pk for name in expected}


def test_letters_beyond_ascii_match_ignoring_case():
    paper = make_paper(title="Über Lernen", authors=("Émilie du Châtelet",))
    for kind, value in ((TOPIC, "über"), (AUTHOR, "émilie du châtelet")):
        assert paper_matches(kind, value, paper)
        assert list(matching(Paper.objects.all(), kind, value)) == [paper]


WORDS = ["graph", "neural", "Graph", "networks", "net", "über", "Über"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.lists(st.sampled_from(WORDS), max_size=4), min_size=1, max_size=5),
    topic=st.lists(st.sampled_from(WORDS), min_size=1, max_size=2),
)
def test_the_queryset_and_the_predicate_agree(texts, topic):
    Paper.objects.all().delete()
    for n, words in enumerate(texts):
        Paper.objects.create(arxiv_id=f"2606.{n:05d}", title=" ".join(words), abstract="-".join(reversed(words)))
    value = " ".join(topic)
    expected = {paper.pk for paper in Paper.objects.all() if paper_matches(TOPIC, value, paper)}
    assert set(matching(Paper.objects.all(), TOPIC, value).values_list("pk", flat=True)) == expected


def test_curation_for_you_and_digests_pick_the_same_papers_for_a_topic():
    papers = _papers()
    wanted = {papers["both words"].pk, papers["any order"].pk}
    CurationRule.objects.create(kind=CurationRule.TOPIC, value="diffusion models", active=True)
    curate([paper.pk for paper in papers.values()])
    assert set(Paper.objects.filter(featured_on__isnull=False).values_list("pk", flat=True)) == wanted
    Paper.objects.update(featured_on=DAY)  # all on the feed again, for the other two

    member = get_user_model().objects.create_user("reader", email="reader@example.org", password="pw")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    follow(user=member, kind="topic", value="diffusion models")
    assert {item["paper"].pk for item in for_you(user=member, today=DAY, fill=False)["items"]} == wanted

    subscription = Subscription(
        email="a@example.org", frequency=Subscription.WEEKLY, kind=Subscription.TOPIC, value="diffusion models"
    )
    assert set(PaperPicker(kind=Subscription.WEEKLY, date=DAY + dt.timedelta(days=1)).paper_ids(subscription)) == wanted


def test_a_keyword_matches_the_papers_that_carry_it_and_for_you_agrees():
    from dailypapers.catalog.keywords import save_keywords, topic_papers
    from dailypapers.catalog.matching import KEYWORD

    papers = _papers()
    save_keywords(
        {
            papers["both words"].pk: [("Diffusion Models", 0.6), ("text", 0.4)],
            papers["other word"].pk: [("diffusion modelling", 0.5)],
            papers["any order"].pk: [],
        }
    )
    for paper in papers.values():
        paper.refresh_from_db()
    wanted = {papers["both words"].pk}
    for value in ("diffusion models", " DIFFUSION   models "):  # compared in the stored spelling
        assert {p.pk for p in papers.values() if paper_matches(KEYWORD, value, p)} == wanted
        assert set(matching(Paper.objects.all(), KEYWORD, value).values_list("pk", flat=True)) == wanted
    # unlike the topic "diffusion models", which any paper with both words matches
    assert paper_matches(TOPIC, "diffusion models", papers["any order"])
    assert not paper_matches(KEYWORD, "diffusion models", papers["any order"])
    assert not matching(Paper.objects.all(), KEYWORD, "  ").exists()
    assert [p.pk for p in topic_papers("diffusion models")] == [papers["both words"].pk]

    member = get_user_model().objects.create_user("reader", email="reader@example.org", password="pw")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    follow(user=member, kind="keyword", value="Diffusion Models")
    items = for_you(user=member, today=DAY, fill=False)["items"]  # without the trending filler
    assert {item["paper"].pk for item in items} == wanted
    assert items[0]["reason"] == "Keyword “diffusion models”, which you follow"


def test_following_an_author_matches_the_spellings_merged_with_the_name():
    """Once "Piotr Milos" is merged into "Piotr Miłoś" (catalog/authors.py), following either
    spelling matches papers signed with any, in digests (the queryset) and "for you" (the
    predicate with author_spellings); an unmerged namesake stays out."""
    from dailypapers.catalog.matching import author_spellings
    from dailypapers.catalog.models import Author

    signed = {
        "canonical": make_paper(authors=["Piotr Miłoś"], listing_date=DAY),
        "variant": make_paper(authors=["Piotr Milos"], listing_date=DAY),
        "other variant": make_paper(authors=["P. Miłoś"], listing_date=DAY),
        "namesake": make_paper(authors=["Piotr Milosz"], listing_date=DAY),
    }
    canonical = Author.objects.get(name="Piotr Miłoś")
    Author.objects.filter(name__in=["Piotr Milos", "P. Miłoś"]).update(canonical=canonical)
    merged = {signed[key].pk for key in ("canonical", "variant", "other variant")}
    for followed in ("Piotr Miłoś", "Piotr Milos", "P. Miłoś"):
        assert set(matching(Paper.objects.all(), AUTHOR, followed).values_list("pk", flat=True)) == merged
        spellings = author_spellings([followed])[followed]
        assert {p.pk for p in signed.values() if paper_matches(AUTHOR, followed, p, spellings=spellings)} == merged
        assert paper_matches(
            AUTHOR, followed, signed["canonical"] if followed != "Piotr Miłoś" else signed["variant"]
        ) is (False)  # without the spellings only the name itself matches
    assert author_spellings(["Nobody Here"]) == {"Nobody Here": {"nobody here"}}

    member = get_user_model().objects.create_user("reader", email="reader@example.org", password="pw")
    follow(user=member, kind="author", value="Piotr Miłoś")
    picked = {item["paper"].pk: item["reason"] for item in for_you(user=member, today=DAY, fill=False)["items"]}
    assert set(picked) == merged and picked[signed["variant"].pk] == "By Piotr Miłoś, whom you follow"
