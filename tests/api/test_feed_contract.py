"""What a feed reader gets, read through feedparser: the text of every abstract, a distinct id
and self link per feed, one author per author, the whole day, the paper's own dates, 304 on a
conditional GET, 400 for a bad search, and reads allowed from any origin."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re

import feedparser
import pytest
from django.contrib.auth import get_user_model

from dailypapers.api.feeds import for_you_token
from dailypapers.catalog.models import Paper
from dailypapers.community.votes import cast_vote
from tests.api.test_feeds import shown
from tests.factories import make_paper

KINDS = ["rss", "atom"]


def _feed(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def _link(parsed, rel: str) -> str | None:
    return next((link.href for link in parsed.feed.get("links", []) if link.rel == rel), None)


@pytest.mark.parametrize("kind", KINDS)
def test_markup_in_an_abstract_reaches_the_reader_as_text(client, db, kind):
    make_paper(
        "2503.00050",
        title="Tokens",
        authors=["Ann Author"],
        featured_on=dt.date(2025, 3, 5),
        abstract="We add control tokens <THINK>, <LOOK> and a <b>bold</b> claim & more.",
    )
    entry = _feed(client, f"/feeds/daily.{kind}").entries[0]
    assert shown(entry.summary) == "We add control tokens <THINK>, <LOOK> and a <b>bold</b> claim & more."


@pytest.mark.parametrize("kind", KINDS)
def test_every_feed_has_its_own_id_self_link_and_a_page(client, papers, kind):
    member = get_user_model().objects.create_user("reader", password="pw")
    paths = [
        f"/feeds/daily.{kind}",
        f"/feeds/daily.{kind}?date=2025-03-03",
        f"/feeds/trending.{kind}",
        f"/feeds/category/cs.LG.{kind}",
        f"/feeds/author/Kurt Gödel.{kind}",
        f"/feeds/search.{kind}?q=retrieval",
        f"/feeds/for-you/{for_you_token(member)}.{kind}",
    ]
    ids = []
    for path in paths:
        parsed = _feed(client, path)
        ids.append(parsed.feed.get("id") or _link(parsed, "self"))
        self_link = _link(parsed, "self")
        assert self_link and self_link.startswith("http://testserver/feeds/"), (path, self_link)
        assert _feed(client, self_link.removeprefix("http://testserver")).feed.title == parsed.feed.title
        page = parsed.feed.link.removeprefix("http://testserver")
        assert page != "/" and page.startswith("/"), (path, page)
        client.force_login(member)
        assert client.get(page).status_code == 200, (path, page)
        client.logout()
    assert len(set(ids)) == len(ids), ids


@pytest.mark.parametrize("kind", KINDS)
def test_each_author_is_an_author(client, papers, kind):
    entry = _feed(client, f"/feeds/daily.{kind}?date=2025-03-03").entries[1]
    assert entry.link.endswith("/papers/2503.00001")
    assert [author.name for author in entry.authors] == ["Ada Lovelace", "Alan Turing"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_daily_feed_is_the_whole_newest_day_with_archive_links(client, db, kind):
    day, before = dt.date(2026, 6, 30), dt.date(2026, 6, 29)
    for number in range(45):  # more than the 30 items a feed used to stop at
        make_paper(f"2606.{number:05d}", title=f"Paper {number}", authors=["A B"], featured_on=day, upvotes=number)
    make_paper("2606.09999", title="Yesterday", authors=["A B"], featured_on=before)
    parsed = _feed(client, f"/feeds/daily.{kind}")
    assert len(parsed.entries) == 45 and len({entry.id for entry in parsed.entries}) == 45
    assert parsed.entries[0].link.endswith("/papers/2606.00044")  # most upvoted first
    previous = _link(parsed, "prev-archive")
    assert previous == f"http://testserver/feeds/daily.{kind}?date=2026-06-29"
    older = _feed(client, previous.removeprefix("http://testserver"))
    assert [entry.title for entry in older.entries] == ["Yesterday"]
    assert _link(older, "next-archive") == f"http://testserver/feeds/daily.{kind}?date=2026-06-30"
    assert _link(older, "current") == f"http://testserver/feeds/daily.{kind}"
    assert client.get(f"/feeds/daily.{kind}?date=2026-13-01").status_code == 400
    blank = _feed(client, f"/feeds/daily.{kind}?date=")  # a blank date is no date: the newest day
    assert len(blank.entries) == 45 and _link(blank, "self") == f"http://testserver/feeds/daily.{kind}"


def test_an_atom_entry_without_authors_still_has_one(client, db):
    make_paper("2606.00003", title="Nobody wrote this", authors=[], featured_on=dt.date(2026, 6, 30))
    parsed = _feed(client, "/feeds/daily.atom")
    assert "author" not in parsed.entries[0]
    assert parsed.feed.author == "dailypapers"  # the feed's author stands in (RFC 4287 §4.1.1)


def test_atom_dates_are_the_papers_not_the_ingest_time(client, db):
    # A paper from an arXiv metadata file: no version dates, only its listing day (2025-01-02).
    make_paper(
        "2606.00001",
        title="Listed only",
        authors=["A B"],
        featured_on=None,
        published=None,
        day=dt.date(2025, 1, 2),
        categories=("cs.CL",),
    )
    Paper.objects.update(updated=None)
    entry = _feed(client, "/feeds/category/cs.CL.atom").entries[0]
    assert entry.updated.startswith("2025-01-02"), entry.updated


@pytest.mark.parametrize("kind", KINDS)
def test_conditional_get_answers_304_until_the_feed_changes(client, papers, kind):
    path = f"/feeds/daily.{kind}?date=2025-03-03"
    first = client.get(path)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    make_paper("2503.00060", title="Late Submission", authors=["A B"], featured_on=dt.date(2025, 3, 3))
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and b"Late Submission" in changed.content
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=modified).status_code == 200
    assert client.get(path, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


@pytest.mark.parametrize(
    "path", ["/feeds/search.rss?q=cat:x_y", "/feeds/search.atom?q=cat:x_y", "/export/search.bib?q=cat:x_y"]
)
def test_a_bad_search_filter_is_400_naming_it(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "category" in response.content.decode() and "x_y" in response.content.decode()


@pytest.mark.parametrize("query, says", [("a%00b", "q: control characters"), ("x" * 251, "q: at most 250 characters")])
def test_a_search_feed_refuses_what_every_search_refuses(client, db, query, says):
    for path in ("/feeds/search.rss", "/feeds/search.atom", "/export/search.bib"):
        response = client.get(f"{path}?q={query}")
        assert response.status_code == 400 and response.content.decode().startswith(says), path


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/daily.rss",
        "/feeds/trending.atom",
        "/feeds/search.rss?q=retrieval",
        "/papers/2503.00001.md",
        "/papers/2503.00001.bib",
        "/export/search.bib?q=retrieval",
    ],
)
def test_public_documents_are_readable_from_any_origin(client, papers, path):
    response = client.get(path, HTTP_ORIGIN="https://reader.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_pages_advertise_the_trending_feed(client, papers):
    html = client.get("/").content.decode()
    assert 'href="/feeds/trending.rss"' in html and 'href="/feeds/trending.atom"' in html


def test_a_compressed_feed_parses_and_revalidates(client, papers):
    path = "/feeds/daily.atom?date=2025-03-03"
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    parsed = feedparser.parse(gzip.decompress(response.content))
    assert parsed.bozo == 0 and len(parsed.entries) == 2
    assert client.get(path, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_vote_shows_in_the_feed_at_once(client, papers):
    path = "/feeds/daily.rss?date=2025-03-03"
    assert _feed(client, path).entries[0].link.endswith("/papers/2503.00002")  # 9 upvotes against 5
    voters = [get_user_model().objects.create_user(f"voter{n}", password="pw") for n in range(10)]
    for voter in voters:
        cast_vote(user=voter, paper_id=papers["attention"].pk)
    # 10 votes (upvotes are counted from the votes table) against 9
    assert _feed(client, path).entries[0].link.endswith("/papers/2503.00001")


@pytest.mark.parametrize("kind", KINDS)
def test_the_author_feed_lists_the_newest_listing_first(client, db, kind):
    make_paper("2501.00001", title="Older, dated", authors=["Kim Lee"], featured_on=dt.date(2025, 1, 6))
    make_paper(
        "2606.00002",
        title="Newer, from a metadata file",
        authors=["Kim Lee"],
        featured_on=dt.date(2026, 6, 30),
        published=None,
    )
    assert [entry.title for entry in _feed(client, f"/feeds/author/Kim Lee.{kind}").entries] == [
        "Newer, from a metadata file",
        "Older, dated",
    ]


def _corpus_abstracts_with_tags(shared_data) -> list[dict]:
    path = shared_data / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"
    if not path.exists():
        pytest.skip(f"arXiv corpus not found at {path}")
    found = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if "<" in line:
                record = json.loads(line)
                if re.search(r"<[A-Za-z]", record["summary"]):
                    found.append(record)
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_every_corpus_abstract_with_a_tag_like_word_reads_as_written(client, db, shared_data, kind):
    records = _corpus_abstracts_with_tags(shared_data)
    assert len(records) >= 90  # 98 in the 2025-26 corpus
    for record in records:
        make_paper(
            record["id"],
            title=record["title"],
            authors=record["authors"][:3],
            featured_on=dt.date(2026, 6, 30),
            abstract=record["summary"],
        )
    shown_by_id = {
        entry.link.rsplit("/papers/", 1)[1]: shown(entry.summary)
        for entry in _feed(client, f"/feeds/daily.{kind}").entries
    }
    for record in records:
        assert shown_by_id[record["id"]] == " ".join(record["summary"].split()), record["id"]
