"""Collection pages: `/collections` (the member's own, with the forms to make one and to import
a `.bib` file) and `/collections/<id>` (one collection as paper cards, with its note per paper;
its owner also gets reorder, note, remove, rename, visibility and delete forms). Every change
is a POST that works as a plain form; htmx swaps the list in place for moves and removals.
Who may see a collection is the library app's rule (library/collections.py)."""

from __future__ import annotations

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

# Ids fetched from arXiv during one import, at most: arXiv asks for one request every 3 s and
# answers up to 100 ids a request, so this is one request, and the page answers in seconds.
MAX_FETCHED_ON_IMPORT = 100


def collection_data(collection: Collection, *, viewer) -> dict:
    """One collection as its page shows it (and what the JSON endpoint lists)."""
    items = collection_items(collection)
    # One reverse for all items: three {% url %} per item cost ~40 ms on a 500-paper collection.
    item_path = reverse("web:collection-item", kwargs={"pk": collection.pk, "paper_pk": 0}).removesuffix("0")
    for item in items:
        item.paper.collection_note = item.note
        item.action_url = f"{item_path}{item.paper_id}"
    return {
        "collection": collection,
        "items": items,
        "is_owner": getattr(viewer, "pk", None) == collection.owner_id,
        "links": collection_links(collection),
        "visibilities": Collection.VISIBILITIES,
        "moves": MOVES,
    }


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
    return render(request, "web/collection.html", collection_data(collection, viewer=request.user))


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
    if request.htmx:
        return render(request, "web/_collection_items.html", collection_data(collection, viewer=request.user))
    return HttpResponseRedirect(f"{collection_links(collection)['page']}#item-{paper_pk}")
