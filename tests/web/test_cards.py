"""The one paper card on every list: feed, trending, search results, for you, similar papers.
It shows a plain-text abstract preview, upvotes and comments in words, code and project
badges, and costs no query per card."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dailypapers.community.comments import post_comment
from dailypapers.community.follows import follow
from dailypapers.community.votes import cast_vote
from tests.factories import make_paper

pytestmark = pytest.mark.django_db
JUNE_30 = date(2026, 6, 30)


def _member(name="reader"):
    return get_user_model().objects.create_user(name, f"{name}@example.org", "pw-123456789")


def test_feed_card_shows_preview_counts_and_badges(client):
    abstract = r"We \emph{route} tokens to experts and gain 5% on GLUE." + " More." * 80
    paper = make_paper(
        title="Sparse experts",
        abstract=abstract,
        code_url="https://github.com/a/moe",
        project_url="https://a.github.io/moe",
    )
    cast_vote(user=_member(), paper_id=paper.pk)
    post_comment(user=_member("commenter"), paper=paper, body="Nice.")
    text = client.get("/").content.decode()
    card = text[text.index('class="paper-card') :]
    card = card[: card.index("</article>")]
    assert '<p class="paper-abstract">We route tokens to experts and gain 5% on GLUE. More.' in card
    assert "\\emph" not in card and card.count("More.") < 80 and "…</p>" in card
    assert "1 upvote<" in card and "1 comment<" in card and f'href="/papers/{paper.arxiv_id}#comments"' in card
    assert '<a class="badge" href="https://github.com/a/moe">Code</a>' in card
    assert '<a class="badge" href="https://a.github.io/moe">Project page</a>' in card


def test_trending_cards_say_their_place_not_a_raw_score(client):
    first = make_paper(title="Most voted", upvotes=0)
    make_paper(title="Second")
    cast_vote(user=_member(), paper_id=first.pk)
    text = client.get("/papers/trending").content.decode()
    assert "hotness" not in text and "(see /about/ranking)" not in text
    assert "trending #1" in text and "trending #2" in text
    assert text.index("Most voted") < text.index("trending #2")
    assert 'class="category"' in text and "arXiv:" in text and ">PDF<" in text and "30 Jun 2026" in text
    assert "2026-06-30" not in text.replace('datetime="2026-06-30"', "")  # dates in words, not ISO


def test_trending_page_query_count_does_not_grow_with_papers(client, settings):
    settings.PAGE_CACHE_SECONDS = 0

    def queries(expected_cards):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/papers/trending")
        assert response.content.decode().count('class="paper-card') == expected_cards
        return len(captured.captured_queries)

    for n in range(3):
        make_paper(upvotes=n)
    few = queries(3)
    for n in range(27):
        make_paper(upvotes=n)
    assert queries(30) == few


def test_for_you_cards_and_an_empty_feed_that_says_why(client, settings):
    reader = _member()
    follow(user=reader, kind="category", value="cs.AI")
    client.force_login(reader)
    text = client.get("/for-you").content.decode()
    assert "follow a broader topic" not in text
    assert "the category you follow: cs.AI" in text
    assert "newest papers were featured on" not in text  # the site has no papers at all: nothing older either
    make_paper(day=date(2020, 1, 6), categories=("cs.AI",), title="An old cs.AI paper")
    text = client.get("/for-you").content.decode()  # the site runs on its newest listing day
    assert "An old cs.AI paper" in text and "In category cs.AI, which you follow" in text


def test_digest_abstracts_show_latex_as_text():
    """Digests and cards share catalog.text: the mail reads "robust", not "\\emph{robust}"."""
    from dailypapers.digest.rendering import PaperBlocks

    paper = make_paper(abstract=r"A \emph{robust} method; Caf\'e accuracy up 5% on \textbf{GLUE}.")
    html, text, count = PaperBlocks().blocks([paper.pk])
    assert count == 1
    for part in (html, text):
        assert "A robust method; Café accuracy up 5% on GLUE." in part and "\\emph" not in part


def test_top_lists_of_a_catalogue_behind_the_calendar(client):
    make_paper(day=date(2026, 7, 1), title="July paper")
    text = client.get("/papers/trending?window=month").content.decode()
    assert "July paper" in text and "#1 this month" in text and "Latest listing: 1 July 2026." in text


def test_titles_read_as_text_on_cards_and_the_paper_page(client):
    make_paper(arxiv_id="2606.00009", title=r"Propagation of~Interval Belief for \textit{Neural} Networks")
    for path in ("/", "/papers/2606.00009"):
        html = client.get(path).content.decode()
        page = html.split("@misc")[0]  # the BibTeX entry keeps the source
        assert "Propagation of Interval Belief for Neural Networks" in page and "of~Interval" not in page
