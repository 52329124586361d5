"""Collections and reading state as a member uses them through pages: one-click save from a
card, the menu to pick a collection, read / not interested, dimming without N+1, the collection
pages and their permissions, reorder and notes without JavaScript, BibTeX import uploads."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify

from dailypapers.library.collections import add_paper, create_collection, default_collection
from dailypapers.library.models import Collection, CollectionItem, ReadingState
from dailypapers.library.reading import set_reading_state
from tests.factories import DEFAULT_DAY, make_paper

pytestmark = pytest.mark.django_db


def _member(name="reader"):
    return get_user_model().objects.create_user(name, f"{name}@example.org", "a long passphrase 42")


def _card(html: str, paper):
    return lxml.html.fromstring(html).get_element_by_id(f"paper-{slugify(paper.arxiv_id)}")  # the card's own id


def test_save_from_a_card_in_one_click_then_unsave(client):
    paper = make_paper()
    member = _member()
    client.force_login(member)
    card = _card(client.get("/").content.decode(), paper)
    form = card.xpath(".//*[contains(concat(' ', @class, ' '), ' library-actions ')]//form")[0]
    assert form.get("action") == f"/library/{paper.arxiv_id}/save"
    assert form.xpath(".//button")[0].text_content() == "☆ Save"
    fields = {field.get("name"): field.get("value") for field in form.xpath(".//input")}
    response = client.post(form.get("action"), fields)
    assert response.status_code == 302 and response["Location"] == "/"
    assert [item.paper for item in default_collection(member).items.all()] == [paper]
    card = _card(client.get("/").content.decode(), paper)
    button = card.xpath(
        ".//*[contains(concat(' ', @class, ' '), ' library-actions ')]//button[contains(@class, 'save-button')]"
    )[0]
    assert button.text_content() == "★ Saved" and button.get("aria-pressed") == "true"
    client.post(f"/library/{paper.arxiv_id}/save", {"action": "unsave"}, headers={"HX-Request": "true"})
    assert CollectionItem.objects.count() == 0


def test_htmx_save_answers_the_buttons_in_place(client):
    paper = make_paper()
    client.force_login(_member())
    response = client.post(f"/library/{paper.arxiv_id}/save", {"action": "save"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    block = lxml.html.fragment_fromstring(response.content.decode())
    assert block.get("class") == "library-actions" and "★ Saved" in block.text_content()


def test_the_menu_saves_to_a_chosen_collection(client):
    paper = make_paper()
    member = _member()
    theory = create_collection(user=member, name="Theory")
    client.force_login(member)
    page = lxml.html.fromstring(client.get(f"/papers/{paper.arxiv_id}").content.decode())
    options = page.xpath(
        ".//*[contains(concat(' ', @class, ' '), ' library-actions ')]//details//select[@name='collection']/option"
    )
    assert [option.text_content() for option in options] == ["Theory"]
    client.post(f"/library/{paper.arxiv_id}/save", {"action": "save", "collection": str(theory.pk)})
    assert list(theory.items.values_list("paper_id", flat=True)) == [paper.pk]
    other = create_collection(user=_member("other"), name="Not yours")
    refused = client.post(f"/library/{paper.arxiv_id}/save", {"action": "save", "collection": str(other.pk)})
    assert refused.status_code == 404 and not other.items.exists()


def test_signed_out_save_leads_to_sign_in(client):
    paper = make_paper()
    card = _card(client.get("/").content.decode(), paper)
    assert (
        card.xpath(".//*[contains(concat(' ', @class, ' '), ' library-actions ')]//a")[0]
        .get("href")
        .startswith("/accounts/login/?next=")
    )
    response = client.post(f"/library/{paper.arxiv_id}/save")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_mark_read_and_not_interested_from_the_paper_page(client):
    paper = make_paper()
    member = _member()
    client.force_login(member)
    client.post(f"/library/{paper.arxiv_id}/reading-state", {"state": "read", "next": f"/papers/{paper.arxiv_id}"})
    assert ReadingState.objects.get(user=member, paper=paper).state == "read"
    page = lxml.html.fromstring(client.get(f"/papers/{paper.arxiv_id}").content.decode())
    block = page.xpath(".//*[contains(concat(' ', @class, ' '), ' library-actions ')]")[0]
    assert block.get("data-reading-state") == "read"
    assert block.xpath(".//button[contains(@class, 'read-button')]")[0].text_content() == "✓ Read"
    client.post(f"/library/{paper.arxiv_id}/reading-state", {"state": "not_interested"})
    assert ReadingState.objects.get(user=member, paper=paper).state == "not_interested"
    client.post(f"/library/{paper.arxiv_id}/reading-state", {"state": "clear"})
    assert not ReadingState.objects.exists()
    bad = client.post(f"/library/{paper.arxiv_id}/reading-state", {"state": "skimmed"})
    assert bad.status_code == 400 and "state: &#x27;skimmed&#x27; is not one of" in bad.content.decode()


def test_read_papers_are_dimmed_for_that_member_only(client):
    read, unread = make_paper(), make_paper()
    member = _member()
    set_reading_state(user=member, paper=read, state="read")
    client.force_login(member)
    html = client.get("/").content.decode()
    assert (
        _card(html, read)
        .xpath(".//*[contains(concat(' ', @class, ' '), ' library-actions ')]")[0]
        .get("data-reading-state")
        == "read"
    )
    assert (
        _card(html, unread)
        .xpath(".//*[contains(concat(' ', @class, ' '), ' library-actions ')]")[0]
        .get("data-reading-state")
        is None
    )
    client.force_login(_member("other"))
    html = client.get("/").content.decode()
    assert (
        _card(html, read)
        .xpath(".//*[contains(concat(' ', @class, ' '), ' library-actions ')]")[0]
        .get("data-reading-state")
        is None
    )


def test_feed_queries_do_not_grow_with_read_and_saved_papers(client, settings, django_assert_max_num_queries):
    """Dimming and Save state are batched: the same queries for 3 cards as for 30."""
    settings.PAGE_CACHE_SECONDS = 0
    member = _member()
    client.force_login(member)

    def queries_for(count: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(count):
            paper = make_paper(day=DEFAULT_DAY)
            set_reading_state(user=member, paper=paper, state="read")
            add_paper(user=member, paper=paper)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(f"/papers?date={DEFAULT_DAY.isoformat()}").content.decode()
        assert html.count('data-reading-state="read"') == len(ReadingState.objects.filter(user=member))
        return len(captured)

    few = queries_for(3)
    many = queries_for(27)
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(f"/papers?date={DEFAULT_DAY.isoformat()}")


def _collection_page(client, collection, key=""):
    return client.get(f"/collections/{collection.pk}" + (f"?key={key}" if key else ""))


@pytest.mark.parametrize("visibility", ["private", "unlisted", "public"])
def test_collection_page_permissions(client, visibility):
    owner = _member("owner")
    collection = create_collection(user=owner, name="Reading group", visibility=visibility)
    add_paper(user=owner, paper=make_paper(title="Kept paper"), collection=collection)
    expected_anonymous = 200 if visibility == "public" else 404
    assert _collection_page(client, collection).status_code == expected_anonymous
    with_key = _collection_page(client, collection, key=collection.share_token).status_code
    assert with_key == (404 if visibility == "private" else 200)
    assert _collection_page(client, collection, key="wrong").status_code == expected_anonymous
    client.force_login(_member("stranger"))
    assert _collection_page(client, collection).status_code == expected_anonymous
    assert client.post(f"/collections/{collection.pk}/edit", {"name": "Mine now"}).status_code == 404
    assert client.post(f"/collections/{collection.pk}/delete").status_code == 404
    assert Collection.objects.get(pk=collection.pk).name == "Reading group"
    client.force_login(owner)
    page = _collection_page(client, collection)
    assert page.status_code == 200 and "Kept paper" in page.content.decode()
    assert "Collection settings" in page.content.decode()


def test_create_rename_change_visibility_and_delete(client):
    member = _member()
    client.force_login(member)
    refused = client.post("/collections", {"name": "  ", "visibility": "private"})
    assert refused.status_code == 400 and "name: give the collection a name" in refused.content.decode()
    made = client.post("/collections", {"name": "Diffusion", "visibility": "public", "description": "Models"})
    collection = Collection.objects.get(owner=member, name="Diffusion")
    assert made.status_code == 302 and made["Location"] == f"/collections/{collection.pk}"
    client.post(f"/collections/{collection.pk}/edit", {"name": "Diffusion models", "visibility": "unlisted"})
    collection.refresh_from_db()
    assert (collection.name, collection.visibility) == ("Diffusion models", "unlisted")
    listing = client.get("/collections").content.decode()
    assert "Diffusion models" in listing and "unlisted: anyone with the link" in listing
    old_key = collection.share_token
    client.post(f"/collections/{collection.pk}/edit", {"new_link": "1"})
    collection.refresh_from_db()
    assert collection.share_token != old_key
    client.post(f"/collections/{collection.pk}/delete")
    assert not Collection.objects.filter(pk=collection.pk).exists()


def test_reorder_and_notes_with_plain_forms(client):
    member = _member()
    collection = create_collection(user=member, name="Order")
    papers = [make_paper(title=f"Paper {name}") for name in "ABC"]
    for paper in papers:
        add_paper(user=member, paper=paper, collection=collection)
    client.force_login(member)
    url = f"/collections/{collection.pk}/papers/{papers[2].pk}"
    moved = client.post(url, {"action": "up"})
    assert moved.status_code == 302 and moved["Location"] == f"/collections/{collection.pk}#item-{papers[2].pk}"
    client.post(url, {"action": "up"})
    html = _collection_page(client, collection).content.decode()
    assert html.index("Paper C") < html.index("Paper A") < html.index("Paper B")
    client.post(f"/collections/{collection.pk}/papers/{papers[0].pk}", {"action": "note", "note": "Start <here>"})
    html = _collection_page(client, collection).content.decode()
    assert "Start &lt;here&gt;</textarea>" in html
    fragment = client.post(url, {"action": "down"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    text = fragment.content.decode()
    assert text.index("Paper A") < text.index("Paper C") < text.index("Paper B")
    client.post(f"/collections/{collection.pk}/papers/{papers[1].pk}", {"action": "remove"})
    assert list(collection.items.values_list("paper_id", flat=True).order_by("position")) == [
        papers[0].pk,
        papers[2].pk,
    ]
    collection.visibility = "public"
    collection.save()
    client.logout()
    public = _collection_page(client, collection).content.decode()
    assert "Start &lt;here&gt;" in public and "Collection settings" not in public and "<textarea" not in public


def test_collection_page_queries_do_not_grow_with_papers(client, django_assert_max_num_queries):
    member = _member()
    collection = create_collection(user=member, name="Big")
    client.force_login(member)

    def count_for(n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(n):
            add_paper(user=member, paper=make_paper(), collection=collection)
        with CaptureQueriesContext(connection) as captured:
            assert _collection_page(client, collection).status_code == 200
        return len(captured)

    assert count_for(2) == count_for(20)


IMPORT = b"""@misc{one, title={One}, eprint={2503.00011}, archivePrefix={arXiv}}
@article{two, title={Two}, journal={arXiv preprint arXiv:2503.00012}}
@book{three, title={A book}, publisher={Press}}
"""


def test_bibtex_upload_becomes_a_collection_and_says_what_was_left(client, shared_data):
    import responses

    # arXiv's recorded answer for an id it does not know: a feed without entries.
    fixtures = shared_data / "fixtures" / "arxiv-api"
    empty = json.loads(next(fixtures.glob("id_0000.0000_*.json")).read_text())["body"]
    member = _member()
    make_paper("2503.00011", title="Paper one")
    client.force_login(member)
    upload = SimpleUploadedFile("my-list.bib", IMPORT, content_type="text/x-bibtex")
    with responses.RequestsMock() as mock:  # the unknown id is asked of arXiv, through the ingest's client
        mock.add(
            responses.GET, re.compile(r"https://export\.arxiv\.org/api/query\?.*id_list=2503\.00012.*"), body=empty
        )
        response = client.post("/collections/import", {"file": upload, "visibility": "private"}, follow=True)
    collection = Collection.objects.get(owner=member, name="my-list")
    assert response.redirect_chain[-1][0] == f"/collections/{collection.pk}"
    text = response.content.decode()
    assert "Imported 1 paper." in text and "Paper one" in text
    assert "1 arXiv ids are not on this site: line 2 (two): 2503.00012" in text
    assert "1 entries have no arXiv id: line 3 (three)" in text


def test_a_bad_bibtex_upload_says_where_and_imports_nothing(client):
    client.force_login(_member())
    make_paper("2503.00011")
    bad = IMPORT.replace(b"{Two}", b"{Two")
    response = client.post("/collections/import", {"file": SimpleUploadedFile("bad.bib", bad), "name": "Bad"})
    assert response.status_code == 400
    assert re.search(r"line 2 \(entry two\): not valid BibTeX", response.content.decode())
    assert not Collection.objects.exists()


def test_unknown_ids_are_fetched_through_the_ingest_from_recorded_arxiv(client, shared_data):
    import responses

    from tests.community.test_submissions import _replay_arxiv

    client.force_login(_member())
    bib = b"@misc{walk, eprint={1605.08386}, archivePrefix={arXiv}}\n"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        _replay_arxiv(mock, shared_data / "fixtures" / "arxiv-api")
        client.post("/collections/import", {"file": SimpleUploadedFile("walks.bib", bib), "name": "Walks"})
    collection = Collection.objects.get(name="Walks")
    titles = [item.paper.title for item in collection.items.select_related("paper")]
    assert titles == ["Heat-bath random walks with Markov bases"]


def test_collections_page_needs_sign_in(client):
    response = client.get("/collections")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_profile_lists_public_collections_only(client):
    member = _member("curator")
    for name, visibility in (("Open shelf", "public"), ("Link only", "unlisted"), ("Mine alone", "private")):
        add_paper(
            user=member, paper=make_paper(), collection=create_collection(user=member, name=name, visibility=visibility)
        )
    html = client.get("/members/curator").content.decode()
    shelf = Collection.objects.get(name="Open shelf")
    assert f'href="/collections/{shelf.pk}">Open shelf</a> <small>1 paper' in html
    assert "Link only" not in html and "Mine alone" not in html


def test_long_collections_are_paged_and_a_move_follows_the_paper(client, monkeypatch):
    from dailypapers.web import collections as pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 2)  # 5 papers: pages of 2, 2 and 1
    member = _member()
    collection = create_collection(user=member, name="Long")
    papers = [make_paper(title=f"Paper {name}") for name in "ABCDE"]
    for paper in papers:
        add_paper(user=member, paper=paper, collection=collection)
    client.force_login(member)
    second = _collection_page(client, collection, key="").content.decode()
    assert "5 papers" in second and "Paper A" in second and "Paper C" not in second and "page 1 of 3" in second
    page_two = client.get(f"/collections/{collection.pk}?page=2").content.decode()
    assert "Paper C" in page_two and "Paper D" in page_two and "Paper A" not in page_two
    moved = client.post(f"/collections/{collection.pk}/papers/{papers[2].pk}", {"action": "up", "page": "2"})
    assert moved["Location"] == f"/collections/{collection.pk}#item-{papers[2].pk}"  # C is now 2nd: page 1
    assert client.get(f"/collections/{collection.pk}?page=4").status_code == 404
    refused = client.get(f"/collections/{collection.pk}?page=two")
    assert refused.status_code == 400 and "page: &#x27;two&#x27; is not a page number" in refused.content.decode()
