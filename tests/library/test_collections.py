"""The library's collection rules: "Saved for later" on first use, add once, order, notes,
names, and who may see a collection."""

from __future__ import annotations

import pytest

from dailypapers.library.collections import (
    DEFAULT_NAME,
    CollectionNotFound,
    LibraryError,
    add_paper,
    collection_papers,
    create_collection,
    default_collection,
    delete_collection,
    move_paper,
    new_share_link,
    owned_collection,
    remove_paper,
    reorder,
    set_note,
    update_collection,
    viewable_collection,
)
from dailypapers.library.models import Collection, CollectionItem
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def _ids(collection):
    return [paper.arxiv_id for paper in collection_papers(collection)]


def test_first_save_makes_saved_for_later_once(make_member):
    member = make_member()
    paper = make_paper()
    first = add_paper(user=member, paper=paper)
    again = add_paper(user=member, paper=paper)
    assert first.pk == again.pk and first.position == 1
    assert first.collection.name == DEFAULT_NAME and first.collection.is_default
    assert first.collection.visibility == Collection.PRIVATE
    assert default_collection(member) == first.collection
    assert Collection.objects.filter(owner=member).count() == 1


def test_papers_go_to_the_end_and_can_be_reordered(make_member):
    member = make_member()
    papers = [make_paper() for _ in range(4)]
    collection = create_collection(user=member, name="Reading group", visibility="public")
    for paper in papers:
        add_paper(user=member, paper=paper, collection=collection)
    assert _ids(collection) == [p.arxiv_id for p in papers]
    move_paper(collection=collection, paper_id=papers[3].pk, direction="up")
    assert _ids(collection) == [papers[i].arxiv_id for i in (0, 1, 3, 2)]
    move_paper(collection=collection, paper_id=papers[0].pk, direction="up")  # already first: stays
    move_paper(collection=collection, paper_id=papers[2].pk, direction="top")
    assert _ids(collection) == [papers[i].arxiv_id for i in (2, 0, 1, 3)]
    reorder(collection=collection, paper_ids=[papers[3].pk, papers[1].pk])  # the rest keep their order after
    assert _ids(collection) == [papers[i].arxiv_id for i in (3, 1, 2, 0)]
    positions = list(CollectionItem.objects.filter(collection=collection).values_list("position", flat=True))
    assert sorted(positions) == [1, 2, 3, 4]
    with pytest.raises(LibraryError, match="direction"):
        move_paper(collection=collection, paper_id=papers[0].pk, direction="sideways")
    stranger = make_paper()
    with pytest.raises(LibraryError, match=f"order: paper {stranger.pk} is not in"):
        reorder(collection=collection, paper_ids=[stranger.pk])


def test_notes_and_removal(make_member):
    member = make_member()
    paper = make_paper()
    collection = create_collection(user=member, name="Theory")
    add_paper(user=member, paper=paper, collection=collection)
    set_note(collection=collection, paper_id=paper.pk, note="  Read section 3 first.  ")
    assert collection_papers(collection)[0].collection_note == "Read section 3 first."
    with pytest.raises(LibraryError, match="note: 5001 characters"):
        set_note(collection=collection, paper_id=paper.pk, note="x" * 5001)
    assert remove_paper(collection=collection, paper_id=paper.pk) is True
    assert _ids(collection) == []
    with pytest.raises(CollectionNotFound, match="not in the collection"):
        set_note(collection=collection, paper_id=paper.pk, note="gone")


def test_names_are_checked_and_unique_per_member(make_member):
    member, other = make_member(), make_member()
    create_collection(user=member, name="Diffusion")
    with pytest.raises(LibraryError, match="already have a collection called “diffusion”"):
        create_collection(user=member, name="  diffusion ")
    create_collection(user=other, name="Diffusion")  # another member's names are theirs
    with pytest.raises(LibraryError, match="name: give the collection a name"):
        create_collection(user=member, name="   ")
    with pytest.raises(LibraryError, match="name: 121 characters, the limit is 120"):
        create_collection(user=member, name="x" * 121)
    with pytest.raises(LibraryError, match="visibility: 'secret' is not one of private, public, unlisted"):
        create_collection(user=member, name="Other", visibility="secret")
    renamed = update_collection(create_collection(user=member, name="Old"), name="New", visibility="unlisted")
    assert (renamed.name, renamed.visibility) == ("New", "unlisted")


def test_saved_for_later_cannot_be_deleted_others_can(make_member):
    member = make_member()
    add_paper(user=member, paper=make_paper())
    with pytest.raises(LibraryError, match="empty it instead"):
        delete_collection(default_collection(member))
    doomed = create_collection(user=member, name="Doomed")
    add_paper(user=member, paper=make_paper(), collection=doomed)
    delete_collection(doomed)
    assert not Collection.objects.filter(pk=doomed.pk).exists()
    assert CollectionItem.objects.filter(collection_id=doomed.pk).count() == 0


@pytest.mark.parametrize(
    "visibility,owner,stranger,stranger_with_key,anonymous",
    [
        ("private", True, False, False, False),
        ("unlisted", True, False, True, False),
        ("public", True, True, True, True),
    ],
)
def test_who_may_see_a_collection(make_member, visibility, owner, stranger, stranger_with_key, anonymous):
    member, other = make_member(), make_member()
    collection = create_collection(user=member, name="Mine", visibility=visibility)

    def sees(user, key=""):
        try:
            return viewable_collection(pk=collection.pk, user=user, key=key) == collection
        except CollectionNotFound:
            return False

    assert sees(member) is owner
    assert sees(other) is stranger
    assert sees(other, key=collection.share_token) is stranger_with_key
    assert sees(None) is anonymous
    assert sees(other, key="x" * 22) is stranger  # a wrong key opens nothing
    with pytest.raises(CollectionNotFound):  # only the owner changes it
        owned_collection(user=other, pk=collection.pk)
    with pytest.raises(CollectionNotFound):
        add_paper(user=other, paper=make_paper(), collection=collection)


def test_a_new_share_link_retires_the_old_one(make_member):
    member, other = make_member(), make_member()
    collection = create_collection(user=member, name="Shared", visibility="unlisted")
    old = collection.share_token
    assert len(old) >= 22
    new_share_link(collection)
    with pytest.raises(CollectionNotFound):
        viewable_collection(pk=collection.pk, user=other, key=old)
    assert viewable_collection(pk=collection.pk, user=other, key=collection.share_token) == collection


def test_hidden_papers_leave_collections_and_cannot_be_added(make_member):
    member = make_member()
    kept, hidden = make_paper(), make_paper()
    add_paper(user=member, paper=kept)
    add_paper(user=member, paper=hidden)
    type(hidden).objects.filter(pk=hidden.pk).update(hidden=True)
    hidden.refresh_from_db()
    assert _ids(default_collection(member)) == [kept.arxiv_id]
    with pytest.raises(LibraryError, match="removed by the moderators"):
        add_paper(user=member, paper=hidden, collection=create_collection(user=member, name="Later"))


def test_the_default_name_is_kept_for_the_save_button(make_member):
    member = make_member()
    with pytest.raises(LibraryError, match="already have a collection called “saved for later”"):
        create_collection(user=member, name="saved for later")
    renamed = update_collection(default_collection(member), name="Saved for later", description="Mine")
    assert renamed.is_default and renamed.description == "Mine"
