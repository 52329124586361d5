"""Collection pages: `/collections` (the member's own, with the forms to make one and to import
a `.bib` file) and `/collections/<id>` (one collection as paper cards, with its note per paper;
its owner also gets reorder, note, remove, rename, visibility and delete forms). Every change
is a POST that works as a plain form; htmx swaps the list in place for moves and removals.
Who may see a collection is the library app's rule (library/collections.py)."""

from __future__ import annotations

import math

import arxiv
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dailypapers.ingest.records import RecordError
from dailypapers.ingest.sources.arxiv_api import fetch_ids
from dailypapers.ingest.upsert import upsert_records
from dailypapers.library.bibtex_import import BibtexImportError, import_bibtex
from dailypapers.library.collections import (
    MOVES,
    CollectionNotFound,
    LibraryError,
    collection_items,
    collection_links,
    collections_of,
    create_collection,
    delete_collection,
    move_paper,
    new_share_link,
    owned_collection,
    remove_paper,
    set_note,
    update_collection,
    viewable_collection,
)
from dailypapers.library.models import Collection

PAGE_SIZE = 100  # cards a page, as the week and month feeds; a card with its buttons costs ~1 ms
# Ids fetched from arXiv during one import, at most: arXiv asks for one request every 3 s and
# answers up to 100 ids a request, so this is one request, and the page answers in seconds.
MAX_FETCHED_ON_IMPORT = 100


def collection_data(collection: Collection, *, viewer, page: int = 1, focus: int | None = None) -> dict:
    """One page of a collection as its page shows it; `focus` (a paper id) picks the page that
    holds that paper (after a move). Raises CollectionNotFound for a page past the last."""
    items = collection_items(collection)
    num_pages = max(1, math.ceil(len(items) / PAGE_SIZE))
    order = [item.paper_id for item in items]
    if focus in order:
        page = order.index(focus) // PAGE_SIZE + 1
    if not 1 <= page <= num_pages:
        raise CollectionNotFound(f"page: {page} is past the last page, {num_pages}")
    first = (page - 1) * PAGE_SIZE
    shown = items[first : first + PAGE_SIZE]
    # One reverse for all items: three {% url %} per item cost ~40 ms on a 500-paper collection.
    item_path = reverse("web:collection-item", kwargs={"pk": collection.pk, "paper_pk": 0}).removesuffix("0")
    for number, item in enumerate(shown, start=first + 1):
        item.paper.collection_note = item.note
        item.action_url = f"{item_path}{item.paper_id}"
        item.number = number
    links = collection_links(collection)
    return {
        "collection": collection,
        "items": shown,
        "total": len(items),
        "page": page,
        "num_pages": num_pages,
        "previous_url": _page_url(links["page"], page - 1) if page > 1 else None,
        "next_url": _page_url(links["page"], page + 1) if page < num_pages else None,
        "is_owner": getattr(viewer, "pk", None) == collection.owner_id,
        "links": links,
        "visibilities": Collection.VISIBILITIES,
        "moves": MOVES,
    }


def _page_url(path: str, page: int) -> str:
    return path if page == 1 else f"{path}{'&' if '?' in path else '?'}page={page}"


def _page_number(text: str) -> int:
    try:
        page = int(text or 1)
    except ValueError:
        raise LibraryError(f"page: {text[:20]!r} is not a page number") from None
    if page < 1:
        raise LibraryError(f"page: {page} is not a page number (pages start at 1)")
    return page


@login_required
@require_http_methods(["GET", "POST"])
def collections_page(request):
    """Your collections; POST makes a new one."""
    error, status = None, 200
    if request.method == "POST":
        try:
            made = create_collection(
                user=request.user,
                name=request.POST.get("name", ""),
                visibility=request.POST.get("visibility", Collection.PRIVATE),
                description=request.POST.get("description", ""),
            )
        except LibraryError as exc:
            error, status = str(exc), exc.status
        else:
            return redirect("web:collection", pk=made.pk)
    context = {
        "collections": collections_of(request.user),
        "visibilities": Collection.VISIBILITIES,
        "error": error,
        "form": request.POST if error else {},
    }
    return render(request, "web/collections.html", context, status=status)


def _fetch_from_arxiv(arxiv_ids: list[str]) -> None:
    """The ingest app's arXiv source and idempotent upsert, as a submission uses them; an arXiv
    that does not answer leaves the ids unknown (the import reports them)."""
    try:
        records = [r for r in fetch_ids(arxiv_ids[:MAX_FETCHED_ON_IMPORT]) if not isinstance(r, RecordError)]
        if records:
            upsert_records(records)
    except (OSError, arxiv.ArxivError):
        pass


@login_required
@require_POST
def collection_import(request):
    """A `.bib` upload becomes a new collection; the page then says what was left out."""
    upload = request.FILES.get("file")
    name = request.POST.get("name", "") or (upload.name.rsplit(".", 1)[0] if upload else "")
    try:
        if upload is None:
            raise BibtexImportError("file: choose a .bib file to import")
        result = import_bibtex(
            user=request.user,
            name=name,
            data=upload.read(),
            visibility=request.POST.get("visibility", Collection.PRIVATE),
            fetch_missing=_fetch_from_arxiv,
        )
    except LibraryError as exc:
        context = {
            "collections": collections_of(request.user),
            "visibilities": Collection.VISIBILITIES,
            "import_error": str(exc),
            "form": {},
        }
        return render(request, "web/collections.html", context, status=exc.status)
    messages.success(request, f"Imported {result['added']} paper{'' if result['added'] == 1 else 's'}.")
    if result["unknown"]:
        messages.warning(
            request, f"{len(result['unknown'])} arXiv ids are not on this site: " + "; ".join(result["unknown"][:20])
        )
    if result["without_id"]:
        messages.info(
            request,
            f"{len(result['without_id'])} entries have no arXiv id: " + "; ".join(result["without_id"][:20]),
        )
    return redirect("web:collection", pk=result["collection"].pk)


@require_GET
def collection_page(request, pk: int):
    try:
        collection = viewable_collection(pk=pk, user=request.user, key=request.GET.get("key", ""))
    except CollectionNotFound as exc:
        raise Http404(str(exc)) from None
    try:
        data = collection_data(collection, viewer=request.user, page=_page_number(request.GET.get("page", "")))
    except LibraryError as exc:
        return render(request, "community/error.html", {"message": str(exc)}, status=exc.status)
    return render(request, "web/collection.html", data)


def _owned(request, pk: int) -> Collection:
    try:
        return owned_collection(user=request.user, pk=pk)
    except CollectionNotFound as exc:
        raise Http404(str(exc)) from None


@login_required
@require_POST
def collection_edit(request, pk: int):
    """Rename, describe, change visibility, or (`new_link`) retire the unlisted address."""
    collection = _owned(request, pk)
    try:
        if request.POST.get("new_link"):
            new_share_link(collection)
            messages.success(request, "New address made; the old link no longer opens this collection.")
        else:
            update_collection(
                collection,
                name=request.POST.get("name"),
                visibility=request.POST.get("visibility"),
                description=request.POST.get("description"),
            )
            messages.success(request, "Collection saved.")
    except LibraryError as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(collection_links(collection)["page"])


@login_required
@require_POST
def collection_delete(request, pk: int):
    collection = _owned(request, pk)
    try:
        delete_collection(collection)
    except LibraryError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(collection_links(collection)["page"])
    messages.success(request, f"Deleted the collection “{collection.name}”.")
    return redirect("web:collections")


@login_required
@require_POST
def collection_item(request, pk: int, paper_pk: int):
    """`action`: up, down, top, bottom, remove, or note (with `note`)."""
    collection = _owned(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "remove":
            remove_paper(collection=collection, paper_id=paper_pk)
        elif action == "note":
            set_note(collection=collection, paper_id=paper_pk, note=request.POST.get("note", ""))
        else:
            move_paper(collection=collection, paper_id=paper_pk, direction=action)
    except LibraryError as exc:
        if request.htmx:
            return render(request, "community/error.html", {"message": str(exc)}, status=exc.status)
        messages.error(request, str(exc))
    try:
        page = _page_number(request.POST.get("page", ""))
        data = collection_data(collection, viewer=request.user, page=page, focus=paper_pk)
    except LibraryError:  # the last page emptied by a removal: show the new last one
        data = collection_data(collection, viewer=request.user, page=1, focus=None)
        if data["num_pages"] > 1:
            data = collection_data(collection, viewer=request.user, page=data["num_pages"])
    if request.htmx:
        return render(request, "web/_collection_items.html", data)
    page_url = _page_url(collection_links(collection)["page"], data["page"])
    return HttpResponseRedirect(f"{page_url}#item-{paper_pk}")
