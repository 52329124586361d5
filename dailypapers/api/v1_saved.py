"""A member's saved searches through /api/v1/me/saved-searches: list, save, rename, keep in
the digest or not, delete; read their matches (each saying why); add and remove webhooks.
Token or session with CSRF, like every write. Thin over dailypapers.alerts (saved.py,
hooks.py); a refused value answers 400 naming the field (alerts.saved.SavedSearchError)."""

from __future__ import annotations

from typing import Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from dailypapers.alerts import hooks
from dailypapers.alerts.records import MatchRecord, match_record
from dailypapers.alerts.saved import (
    recent_matches,
    rename,
    save_search,
    saved_search_of,
    saved_searches_of,
    set_in_digest,
)
from dailypapers.api.params import CATEGORY, ONE_LINE_NON_BLANK, IsoDate
from dailypapers.api.schemas import answers
from dailypapers.api.security import WRITE_AUTH
from dailypapers.catalog.site import absolute_url

router = Router(tags=["saved searches"], auth=WRITE_AUTH)


# A query the matcher can use: the published pattern asks for one plain word of letters or
# digits before any quote (what saved.py's check needs, as a regular expression clients and
# schemathesis can generate from); the check itself still decides and words the refusal.
SAVED_QUERY = r'^([^"\x00]*\s)?[A-Za-z0-9]+(\s[^\x00]*)?$'
OPTIONAL_CATEGORY = rf"^$|{CATEGORY}"
URL = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][^\s]*)?$"


class SavedSearchIn(Schema):
    q: str = Field(
        max_length=500,
        pattern=SAVED_QUERY,
        description="The search as typed on the search page (words, author:, cat:).",
    )
    mode: Literal["hybrid", "keyword", "meaning"] = "hybrid"
    category: str = Field("", max_length=32, pattern=OPTIONAL_CATEGORY, description="arXiv category, e.g. cs.CL.")
    date_from: IsoDate = Field(None, alias="from", description="Listed on or after YYYY-MM-DD.")
    date_to: IsoDate = Field(None, alias="to", description="Listed on or before YYYY-MM-DD.")
    code: Literal["", "1", "0"] = Field("", description="1: only papers with code; 0: only without.")
    name: str = Field("", max_length=200, pattern=rf"^$|{ONE_LINE_NON_BLANK}", description="Default: the query.")


class SavedSearchChange(Schema):
    name: str | None = Field(None, max_length=200, pattern=ONE_LINE_NON_BLANK)
    in_digest: bool | None = Field(None, description="Show new matches in your personal digest.")


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    mode: str
    category: str
    date_from: str | None
    date_to: str | None
    has_code: bool | None
    in_digest: bool
    page_url: str
    feed_rss: str = Field(description="Private feed: anyone with this URL can read it.")
    feed_atom: str
    created_at: str


class WebhookIn(Schema):
    url: str = Field(max_length=500, pattern=URL, description="http(s) URL the matches are POSTed to.")
    format: Literal["json", "slack", "discord"] = "json"


class WebhookOut(Schema):
    id: int
    url: str
    format: str
    active: bool
    secret: str = Field(description="Key of the X-Dailypapers-Signature HMAC-SHA256 (docs/alerts.md).")
    disabled_reason: str


def _out(saved, request) -> dict:
    feed = {
        k: absolute_url(reverse(f"api:feed-saved-{k}", kwargs={"token": saved.feed_token}), request)
        for k in ("rss", "atom")
    }
    return {
        "id": saved.pk,
        "name": saved.name,
        "query": saved.query,
        "mode": saved.mode,
        "category": saved.category,
        "date_from": saved.date_from.isoformat() if saved.date_from else None,
        "date_to": saved.date_to.isoformat() if saved.date_to else None,
        "has_code": saved.has_code,
        "in_digest": saved.in_digest,
        "page_url": absolute_url(reverse("alerts:detail", kwargs={"pk": saved.pk}), request),
        "feed_rss": feed["rss"],
        "feed_atom": feed["atom"],
        "created_at": saved.created_at.isoformat(),
    }


def _hook_out(hook) -> dict:
    return {
        "id": hook.pk,
        "url": hook.url,
        "format": hook.format,
        "active": hook.active,
        "secret": hook.secret,
        "disabled_reason": hook.disabled_reason,
    }


def _owned(request, saved_search_id: int):
    saved = saved_search_of(request.auth, saved_search_id)
    if saved is None:
        raise HttpError(404, f"saved_search_id: you have no saved search {saved_search_id}")
    return saved


@router.get("/saved-searches", response=answers(list[SavedSearchOut], 401), summary="Your saved searches")
def list_saved(request):
    return [_out(saved, request) for saved in saved_searches_of(request.auth)]


@router.post(
    "/saved-searches", response=answers(SavedSearchOut, 400, 401, 403, 429, ok_status=201), summary="Save a search"
)
def create_saved(request, body: SavedSearchIn):
    days = {key: day.isoformat() if day else "" for key, day in (("from", body.date_from), ("to", body.date_to))}
    params = {"q": body.q, "mode": body.mode, "category": body.category, **days}
    saved = save_search(user=request.auth, params={**params, "code": body.code}, name=body.name)
    return Status(201, _out(saved, request))


@router.get(
    "/saved-searches/{saved_search_id}", response=answers(SavedSearchOut, 400, 401, 404), summary="One saved search"
)
def get_saved(request, saved_search_id: int):
    return _out(_owned(request, saved_search_id), request)


@router.patch(
    "/saved-searches/{saved_search_id}",
    response=answers(SavedSearchOut, 400, 401, 404),
    summary="Rename, or keep in the digest or not",
)
def change_saved(request, saved_search_id: int, body: SavedSearchChange):
    saved = _owned(request, saved_search_id)
    if body.name is not None:
        rename(saved, body.name)
    if body.in_digest is not None:
        set_in_digest(saved, body.in_digest)
    return _out(saved, request)


@router.delete(
    "/saved-searches/{saved_search_id}", response=answers(None, 400, 401, 404, ok_status=204), summary="Delete"
)
def delete_saved(request, saved_search_id: int):
    _owned(request, saved_search_id).delete()
    return Status(204, None)


@router.get(
    "/saved-searches/{saved_search_id}/matches",
    response=answers(list[MatchRecord], 400, 401, 404),
    summary="Newest matches, each saying why",
)
def matches(request, saved_search_id: int, limit: int = Query(20, ge=1, le=100)):
    saved = _owned(request, saved_search_id)
    return [match_record(m, request=request) for m in recent_matches(saved, limit=limit)]


@router.get(
    "/saved-searches/{saved_search_id}/webhooks",
    response=answers(list[WebhookOut], 400, 401, 404),
    summary="Webhooks of a saved search",
)
def list_hooks(request, saved_search_id: int):
    return [_hook_out(h) for h in _owned(request, saved_search_id).webhooks.order_by("pk")]


@router.post(
    "/saved-searches/{saved_search_id}/webhooks",
    response=answers(WebhookOut, 400, 401, 404, ok_status=201),
    summary="Add a webhook (JSON signed with its secret, or Slack / Discord shape)",
)
def add_hook(request, saved_search_id: int, body: WebhookIn):
    hook = hooks.add_webhook(_owned(request, saved_search_id), url=body.url, format=body.format)
    return Status(201, _hook_out(hook))


@router.delete(
    "/saved-searches/{saved_search_id}/webhooks/{webhook_id}",
    response=answers(None, 400, 401, 404, ok_status=204),
    summary="Remove a webhook",
)
def remove_hook(request, saved_search_id: int, webhook_id: int):
    hook = hooks.hook_of(_owned(request, saved_search_id), webhook_id)
    if hook is None:
        raise HttpError(404, f"webhook_id: this saved search has no webhook {webhook_id}")
    hook.delete()
    return Status(204, None)
