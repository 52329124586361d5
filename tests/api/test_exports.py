"""A paper as Markdown (by URL and by Accept header) and BibTeX that a BibTeX parser reads back."""

from __future__ import annotations

import bibtexparser
import pytest
from django.contrib.auth import get_user_model
from huggingface_hub import HfApi
from pylatexenc.latex2text import LatexNodes2Text

from dailypapers.api.tokens import create_token
from dailypapers.community.votes import cast_vote
from tests.factories import make_paper


def test_paper_markdown_by_url(client, papers):
    response = client.get("/papers/2503.00001.md")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert text.startswith("# Attention Is Still All You Need\n")
    assert (
        "- **Authors:** [Ada Lovelace](http://testserver/authors/ada-lovelace), "
        "[Alan Turing](http://testserver/authors/alan-turing)"
    ) in text
    assert "[PDF](https://arxiv.org/pdf/2503.00001v1)" in text
    assert "- **Code:** <https://github.com/example/attention>" in text
    assert "## Abstract\n\nWe study attention" in text
    assert client.get("/papers/hep-th/9901001v2.md").status_code == 200
    assert client.get("/papers/2503.00009.md").status_code == 404  # hidden
    assert client.get("/papers/2503.99999.md").status_code == 404


def test_accept_markdown_on_the_paper_page(client, papers):
    as_markdown = client.get("/papers/2503.00002", HTTP_ACCEPT="text/markdown")
    assert as_markdown["Content-Type"].startswith("text/markdown")
    assert as_markdown.content.decode().startswith("# Diffusion Models for Text")
    browser = client.get(
        "/papers/2503.00002", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8,text/markdown;q=0.5"
    )
    assert not browser["Content-Type"].startswith("text/markdown")


@pytest.mark.django_db(transaction=True)
def test_huggingface_hub_read_paper(live_server, papers):
    assert (
        HfApi(endpoint=live_server.url, token=False)
        .read_paper("2503.00003")
        .startswith("# Retrieval Augmented Generation")
    )


def _parse(text: str):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def test_paper_bibtex_round_trips_specials_and_unicode(client, papers):
    response = client.get("/papers/hep-th/9901001.bib")
    assert response.status_code == 200 and "bibtex" in response["Content-Type"]
    entry = _parse(response.content.decode()).entries[0]
    assert entry["eprint"] == "hep-th/9901001"
    # LaTeX-special characters are escaped, math kept; decoding gives the title back.
    decoded = LatexNodes2Text().latex_to_text(entry["title"])
    assert decoded.startswith("Strings & {Branes}: 100% of")
    unicode_entry = _parse(client.get("/papers/2503.00003.bib").content.decode()).entries[0]
    names = [LatexNodes2Text().latex_to_text(name).strip() for name in unicode_entry["author"].split(" and ")]
    assert names == ["Émilie du Châtelet", "Kurt Gödel"]
    assert client.get("/papers/2503.00009.bib").status_code == 404


def test_search_bibtex_has_unique_keys(client, db):
    for number in range(3):  # same first author, year and first title word: same base key
        make_paper(f"2503.0010{number}", title=f"Deep thoughts part {number}", authors=["Ada Smith"], featured_on=None)
    library = _parse(client.get("/export/search.bib?q=deep thoughts").content.decode())
    keys = [entry.key for entry in library.entries]
    assert len(keys) == 3 and len(set(keys)) == 3
    assert client.get("/export/search.bib").status_code == 400
    assert client.get("/export/search.bib?q=a%00b").status_code == 400


def test_upvotes_bibtex_needs_the_member(client, papers):
    member = get_user_model().objects.create_user("reader", password="pw")
    for key in ("attention", "retrieval"):
        cast_vote(user=member, paper_id=papers[key].pk)
    assert client.get("/export/upvotes.bib").status_code == 401
    _, raw = create_token(user=member, name="script")
    library = _parse(client.get("/export/upvotes.bib", HTTP_AUTHORIZATION=f"Bearer {raw}").content.decode())
    assert sorted(e["eprint"] for e in library.entries) == ["2503.00001", "2503.00003"]
    client.force_login(member)
    assert len(_parse(client.get("/export/upvotes.bib").content.decode()).entries) == 2


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


def test_paper_page_varies_on_accept_so_shared_caches_keep_html_and_markdown_apart(client, papers):
    html = client.get("/papers/2503.00002", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    assert {"accept", "cookie"} <= _vary(html)
    again = client.get("/papers/2503.00002", HTTP_ACCEPT="text/html")  # served from the page cache
    assert {"accept", "cookie"} <= _vary(again)
    markdown = client.get("/papers/2503.00002", HTTP_ACCEPT="text/markdown")
    assert markdown["Content-Type"].startswith("text/markdown")
    assert "accept" in _vary(markdown)


NASTY_TITLES = [
    "`rm -rf` Considered *Harmful*: __Bold__ Claims",
    "<THINK> and <script>alert(1)</script> Tokens & &amp; Entities",
    "[A Link](https://example.org) and ![an image](x.png) in a Title",
    "snake_case_names, _emphasis_ and $x_1 < y^2$ with \\alpha",
    "# Not a Heading | not a | table ~~not struck~~",
    "1. Not a List",
]


def _inline_tokens(markdown: str, heading: bool):
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)
    opening = "heading_open" if heading else "paragraph_open"
    return [tokens[i + 1] for i, token in enumerate(tokens) if token.type == opening]


@pytest.mark.parametrize("title", NASTY_TITLES)
def test_markdown_shows_the_title_and_abstract_as_written(client, db, title):
    abstract = (
        "First line with `code` and *stars*.\n- not a list\n> not a quote\n    not code\n\nSecond paragraph <b>x</b>."
    )
    make_paper("2503.00070", title=title, authors=["Ada *Star* Lovelace"], featured_on=None, abstract=abstract)
    markdown = client.get("/papers/2503.00070.md").content.decode()
    heading = _inline_tokens(markdown, heading=True)[0]
    assert [child.type for child in heading.children] == ["text"], heading.children
    assert heading.children[0].content == title
    paragraphs = _inline_tokens(markdown, heading=False)
    shown = ["".join(c.content if c.type == "text" else "\n" for c in p.children) for p in paragraphs]
    assert shown[-2:] == [
        "First line with `code` and *stars*.\n- not a list\n> not a quote\nnot code",
        "Second paragraph <b>x</b>.",
    ]
    assert "- **Authors:** [Ada \\*Star\\* Lovelace](http://testserver/authors/ada-star-lovelace)" in markdown
    assert "- **Page:** <http://testserver/papers/2503.00070>" in markdown
