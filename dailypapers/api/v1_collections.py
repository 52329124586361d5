"""Collections through /api/v1/: one collection (public, unlisted with `?key=`, or your own
with a token or session) with its papers in order and their notes, and the list of your own.
Who may read what is the library app's rule (library/collections.py), the same as the pages'
and the feeds'; a collection you may not read answers 404, whether or not it exists."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from dailypapers.api.cors import allow_any_origin
from dailypapers.api.schemas import answers
from dailypapers.api.security import WRITE_AUTH
from dailypapers.api.tokens import request_token_user
from dailypapers.catalog.site import absolute_url
from dailypapers.catalog.wire import PaperRecord
from dailypapers.library.collections import (
    CollectionNotFound,
    collection_items,
    collection_links,
    collections_of,
    viewable_collection,
)

router = Router(tags=["collections"])


class CollectionSummary(Schema):
    id: int
    name: str
    description: str
    visibility: str = Field(description="private (only you), unlisted (anyone with the link) or public")
    is_default: bool = Field(description='True for "Saved for later", where the Save button puts papers.')
    papers: int = Field(description="How many papers it holds.")
    url: str = Field(description="Its page; for an unlisted collection the address carries its key.")
    updated_at: str


class CollectionItemOut(Schema):
    position: int = Field(description="1 for the first paper, in the owner's order.")
    note: str = Field(description="The owner's note on the paper, or empty.")
    added_at: str
    paper: PaperRecord


class CollectionOut(CollectionSummary):
    owner: str
    rss: str
    atom: str
    bibtex: str
    items: list[CollectionItemOut]


def _summary(collection, request, count: int) -> dict:
    links = collection_links(collection)
    return {
        "id": collection.pk,
        "name": collection.name,
        "description": collection.description,
        "visibility": collection.visibility,
        "is_default": collection.is_default,
        "papers": count,
        "url": absolute_url(links["page"], request),
        "updated_at": collection.updated_at.isoformat(),
    }


@decorate_view(allow_any_origin)
@router.get("/collections/{int:collection_id}", response=answers(CollectionOut, 400, 404), summary="One collection")
def collection(request, collection_id: int, key: str = Query("", max_length=64, description="An unlisted one's key.")):
    viewer = request_token_user(request) or request.user
    try:
        found = viewable_collection(pk=collection_id, user=viewer, key=key)
    except CollectionNotFound as error:
        raise HttpError(404, str(error)) from None
    items = collection_items(found)
    links = collection_links(found)
    return {
        **_summary(found, request, len(items)),
        "owner": found.owner.get_username(),
        "rss": absolute_url(links["rss"], request),
        "atom": absolute_url(links["atom"], request),
        "bibtex": absolute_url(links["bibtex"], request),
        "items": [
            {
                "position": position,
                "note": item.note,
                "added_at": item.added_at.isoformat(),
                "paper": PaperRecord.of(item.paper, request=request),
            }
            for position, item in enumerate(items, start=1)
        ],
    }


@router.get(
    "/me/collections", auth=WRITE_AUTH, response=answers(list[CollectionSummary], 401), summary="Your collections"
)
def my_collections(request):
    return [_summary(row, request, row.paper_count) for row in collections_of(request.auth)]
