"""A member's collections: the one place that makes "Saved for later" on first use, adds,
removes, orders and annotates papers, and decides who may see a collection.

Who sees what (`viewable_collection`):
- private: only the owner; anyone else gets CollectionNotFound (a 404: a private collection's
  existence is not revealed);
- unlisted: the owner, and anyone whose address carries the collection's `share_token`
  (`?key=…`, 128 random bits; `new_share_link` retires the old address);
- public: anyone.
Every write goes through `owned_collection`, so only the owner changes a collection.
Positions count from 1 in the order shown; a paper is in a collection at most once.
"""

from __future__ import annotations

import hmac

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.http import urlencode

from dailypapers.catalog.models import Paper, visible_filter
from dailypapers.library.models import Collection, CollectionItem, new_share_token

DEFAULT_NAME = "Saved for later"
MAX_NAME = Collection._meta.get_field("name").max_length
MAX_DESCRIPTION = Collection._meta.get_field("description").max_length
MAX_NOTE = 5000  # a paragraph or three; a note is a reminder, not a review
VISIBILITIES = {value for value, _ in Collection.VISIBILITIES}
MOVES = ("up", "down", "top", "bottom")


class LibraryError(ValueError):
    """Input the library refuses; the message names the field. `status` is the HTTP answer."""

    status = 400


class CollectionNotFound(LibraryError):
    """No such collection, or not one the viewer may see (private ones answer the same)."""

    status = 404


def default_collection(user) -> Collection:
    """The member's "Saved for later", made on first use (a unique constraint keeps it one)."""
    found = Collection.objects.filter(owner=user, is_default=True).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return Collection.objects.create(owner=user, name=DEFAULT_NAME, is_default=True)
    except IntegrityError:  # a concurrent first save made it, or a collection took the name
        found = Collection.objects.filter(owner=user, is_default=True).first()
        if found:
            return found
        taken = f"name: rename your collection “{DEFAULT_NAME}”; that name is kept for saved papers"
        raise LibraryError(taken) from None


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise LibraryError("name: give the collection a name")
    if len(name) > MAX_NAME:
        raise LibraryError(f"name: {len(name)} characters, the limit is {MAX_NAME}")
    return name


def clean_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise LibraryError(f"visibility: {visibility[:30]!r} is not one of {', '.join(sorted(VISIBILITIES))}")
    return visibility


def _clean_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise LibraryError(f"description: {len(description)} characters, the limit is {MAX_DESCRIPTION}")
    return description


def _name_taken(user, name: str, *, other_than: int | None = None) -> bool:
    if name.lower() == DEFAULT_NAME.lower():  # the Save button's collection has it, made or not yet
        return not Collection.objects.filter(owner=user, is_default=True, pk=other_than).exists()
    same = Collection.objects.filter(owner=user, name__iexact=name)
    return same.exclude(pk=other_than).exists() if other_than else same.exists()


def create_collection(*, user, name: str, visibility: str = Collection.PRIVATE, description: str = "") -> Collection:
    name, visibility = clean_name(name), clean_visibility(visibility)
    if _name_taken(user, name):
        raise LibraryError(f"name: you already have a collection called “{name}”")
    try:
        with transaction.atomic():
            return Collection.objects.create(
                owner=user, name=name, visibility=visibility, description=_clean_description(description)
            )
    except IntegrityError:
        raise LibraryError(f"name: you already have a collection called “{name}”") from None


def update_collection(
    collection: Collection, *, name: str | None = None, visibility: str | None = None, description: str | None = None
) -> Collection:
    """Rename, describe or change who sees a collection; what is None stays."""
    if name is not None:
        name = clean_name(name)
        if _name_taken(collection.owner_id, name, other_than=collection.pk):
            raise LibraryError(f"name: you already have a collection called “{name}”")
        collection.name = name
    if visibility is not None:
        collection.visibility = clean_visibility(visibility)
    if description is not None:
        collection.description = _clean_description(description)
    try:
        with transaction.atomic():
            collection.save()
    except IntegrityError:
        raise LibraryError(f"name: you already have a collection called “{collection.name}”") from None
    return collection


def new_share_link(collection: Collection) -> Collection:
    """A new unlisted address; the old `?key=` stops working."""
    collection.share_token = new_share_token()
    collection.save(update_fields=["share_token", "updated_at"])
    return collection


def delete_collection(collection: Collection) -> None:
    if collection.is_default:
        raise LibraryError(f"“{DEFAULT_NAME}” is where the Save button puts papers; empty it instead of deleting it")
    collection.delete()


def owned_collection(*, user, pk) -> Collection:
    """The member's own collection `pk`, for changing it; anyone else's is CollectionNotFound."""
    found = Collection.objects.filter(pk=_int(pk), owner_id=getattr(user, "pk", None)).first()
    if found is None:
        raise CollectionNotFound(f"collection: you have no collection {pk}")
    return found


def can_view(collection: Collection, *, user=None, key: str = "") -> bool:
    if user is not None and getattr(user, "pk", None) == collection.owner_id:
        return True
    if collection.visibility == Collection.PUBLIC:
        return True
    if collection.visibility == Collection.UNLISTED:
        return bool(key) and hmac.compare_digest(str(key), collection.share_token)
    return False


def viewable_collection(*, pk, user=None, key: str = "") -> Collection:
    """Collection `pk` if the viewer may see it (see the module docstring), else CollectionNotFound."""
    found = Collection.objects.filter(pk=_int(pk)).select_related("owner").first()
    if found is None or not can_view(found, user=user, key=key):
        raise CollectionNotFound(f"collection: no collection {pk} here, or it is private")
    return found


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise CollectionNotFound(f"collection: {str(pk)[:30]!r} is not a collection number") from None


def collection_links(collection: Collection) -> dict[str, str]:
    """Paths of the collection's page, feeds, BibTeX and JSON, with the unlisted key where needed
    (the one builder the pages, feeds and API use)."""
    key = f"?{urlencode({'key': collection.share_token})}" if collection.visibility == Collection.UNLISTED else ""
    pk = {"pk": collection.pk}
    return {
        "page": reverse("web:collection", kwargs=pk) + key,
        "rss": reverse("api:feed-collection-rss", kwargs=pk) + key,
        "atom": reverse("api:feed-collection-atom", kwargs=pk) + key,
        "bibtex": reverse("api:collection-bibtex", kwargs=pk) + key,
        "api": f"/api/v1/collections/{collection.pk}{key}",
    }


def collections_of(user, *, visibility: str | None = None) -> list[Collection]:
    """The member's collections, "Saved for later" first, each with `paper_count` (one query)."""
    rows = Collection.objects.filter(owner=user)
    if visibility:
        rows = rows.filter(visibility=visibility)
    counted = rows.annotate(paper_count=Count("items", filter=visible_filter("items__paper__")))
    return list(counted.order_by("-is_default", "name", "id"))  # Meta.ordering is dropped with GROUP BY


def collection_items(collection: Collection) -> list[CollectionItem]:
    """The collection's items in order, each with its visible paper (one query)."""
    items = CollectionItem.objects.filter(collection=collection).filter(visible_filter("paper__"))
    return list(items.select_related("paper").order_by("position", "id"))


def collection_papers(collection: Collection) -> list[Paper]:
    """The papers in order; each carries its `collection_note`."""
    papers = []
    for item in collection_items(collection):
        item.paper.collection_note = item.note
        papers.append(item.paper)
    return papers


def add_paper(*, user, paper: Paper, collection: Collection | None = None, note: str = "") -> CollectionItem:
    """Put `paper` at the end of `collection` (default: "Saved for later"); already there: unchanged."""
    collection = collection or default_collection(user)
    if collection.owner_id != user.pk:
        raise CollectionNotFound(f"collection: you have no collection {collection.pk}")
    if paper.hidden:
        raise LibraryError(f"paper: {paper.arxiv_id} was removed by the moderators")
    note = _clean_note(note)
    with transaction.atomic():
        existing = CollectionItem.objects.filter(collection=collection, paper=paper).first()
        if existing:
            return existing
        last = CollectionItem.objects.filter(collection=collection).aggregate(last=Max("position"))["last"] or 0
        try:
            with transaction.atomic():
                item = CollectionItem.objects.create(collection=collection, paper=paper, position=last + 1, note=note)
        except IntegrityError:  # the same paper saved twice at once
            return CollectionItem.objects.get(collection=collection, paper=paper)
        Collection.objects.filter(pk=collection.pk).update(updated_at=item.added_at)
    return item


def remove_paper(*, collection: Collection, paper_id: int) -> bool:
    deleted, _ = CollectionItem.objects.filter(collection=collection, paper_id=paper_id).delete()
    return bool(deleted)


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise LibraryError(f"note: {len(note)} characters, the limit is {MAX_NOTE}")
    return note


def set_note(*, collection: Collection, paper_id: int, note: str) -> CollectionItem:
    item = CollectionItem.objects.filter(collection=collection, paper_id=paper_id).first()
    if item is None:
        raise CollectionNotFound(f"paper: not in the collection “{collection.name}”")
    item.note = _clean_note(note)
    item.save(update_fields=["note"])
    return item


def reorder(*, collection: Collection, paper_ids: list[int]) -> None:
    """Put the papers in the order given; papers not named keep their order after them.
    Positions are rewritten 1…n in one transaction, so the order never has ties."""
    with transaction.atomic():
        items = list(
            CollectionItem.objects.select_for_update().filter(collection=collection).order_by("position", "id")
        )
        by_paper = {item.paper_id: item for item in items}
        unknown = [pid for pid in paper_ids if pid not in by_paper]
        if unknown:
            raise LibraryError(f"order: paper {unknown[0]} is not in the collection “{collection.name}”")
        named = dict.fromkeys(paper_ids)  # in order, each once
        ordered = [by_paper[pid] for pid in named] + [item for item in items if item.paper_id not in named]
        for position, item in enumerate(ordered, start=1):
            item.position = position
        CollectionItem.objects.bulk_update(ordered, ["position"])


def move_paper(*, collection: Collection, paper_id: int, direction: str) -> None:
    """One step `up` or `down`, or to the `top` or `bottom` (the buttons that work without JavaScript)."""
    if direction not in MOVES:
        raise LibraryError(f"direction: {direction[:20]!r} is not one of {', '.join(MOVES)}")
    rows = CollectionItem.objects.filter(collection=collection).order_by("position", "id")
    order = list(rows.values_list("paper_id", flat=True))
    if paper_id not in order:
        raise CollectionNotFound(f"paper: not in the collection “{collection.name}”")
    index = order.index(paper_id)
    order.pop(index)
    target = {"up": max(index - 1, 0), "down": min(index + 1, len(order)), "top": 0, "bottom": len(order)}[direction]
    order.insert(target, paper_id)
    reorder(collection=collection, paper_ids=order)


def saved_paper_ids(user) -> dict[int, set[int]]:
    """Paper id -> ids of the member's collections holding it (one query), for the Save buttons."""
    held: dict[int, set[int]] = {}
    rows = CollectionItem.objects.filter(collection__owner=user).values_list("paper_id", "collection_id")
    for paper_id, collection_id in rows:
        held.setdefault(paper_id, set()).add(collection_id)
    return held
