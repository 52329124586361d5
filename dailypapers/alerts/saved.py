"""Saved searches as library functions: save one from the search page's parameters, list,
rename, delete, rotate its private token, and the data of its page (new matches since the
last visit). Pages, the API and MCP are thin shells over these.

A search is read exactly as the search page reads it (search.views.search_form) and checked
by the search's own parsers (search.filters), so a saved search can only hold what the search
page would have run.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Max
from django.utils import timezone

from dailypapers.alerts.models import MatchCursor, SavedSearch, SavedSearchMatch, new_feed_token
from dailypapers.community.refusals import Refused
from dailypapers.search.filters import CATEGORY, SearchError, parse_day
from dailypapers.search.models import PaperEmbedding
from dailypapers.search.query import parse_query
from dailypapers.search.service import MODE_ALIASES, MODES
from dailypapers.search.views import search_form

MAX_SAVED_PER_MEMBER = 100  # a member with more is scripting; 100 × a batch is still one matrix product
MAX_NAME_CHARS = 200
PAGE_MATCHES = 50
TOKEN_TEXT = re.compile(r"[A-Za-z0-9_-]{1,64}")  # new_feed_token: URL-safe base64


class SavedSearchError(Refused, ValueError):
    """A saved search we cannot make or change; the message names the field."""

    default_code = "invalid"


def _cleaned(form: dict) -> dict:
    mode = MODE_ALIASES.get(form["mode"], form["mode"])
    if mode not in MODES:
        raise SavedSearchError(f"mode: expected one of {', '.join(MODES)}, got {form['mode']!r}")
    category = form["category"]
    if category and not CATEGORY.fullmatch(category):
        raise SavedSearchError(f"category: expected an arXiv category like cs.CL, got {category[:40]!r}")
    try:
        date_from, date_to = parse_day(form["date_from"], "from"), parse_day(form["date_to"], "to")
    except SearchError as exc:
        raise SavedSearchError(str(exc)) from None
    query = " ".join(form["q"].replace("\x00", " ").split())
    parsed = parse_query(query)
    if not (parsed.has_keyword_part or parsed.meaning_text or parsed.authors or parsed.categories or category):
        raise SavedSearchError("q: a saved search needs words, author:, cat: or a category to match new papers by")
    return {
        "query": query,
        "mode": mode,
        "category": category,
        "date_from": date_from,
        "date_to": date_to,
        "has_code": {"1": True, "0": False}.get(form["code"]),
    }


def default_name(fields: dict) -> str:
    parts = [fields["query"] or ""]
    if fields["category"]:
        parts.append(f"in {fields['category']}")
    if fields["has_code"] is True:
        parts.append("with code")
    return " ".join(p for p in parts if p)[:MAX_NAME_CHARS] or "Saved search"


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SavedSearchError("name: give the saved search a name")
    if len(name) > MAX_NAME_CHARS:
        raise SavedSearchError(f"name: at most {MAX_NAME_CHARS} characters")
    return name


def start_matching_here() -> None:
    """The matcher reads papers embedded after the first saved search exists (not the whole
    back catalogue): the cursor starts at the newest embedding when it is first needed."""
    if not MatchCursor.objects.filter(name="papers").exists():
        newest = PaperEmbedding.objects.aggregate(top=Max("id"))["top"] or 0
        MatchCursor.objects.get_or_create(
            name="papers", defaults={"first_embedding_id": newest, "last_embedding_id": newest}
        )


def save_search(*, user, params, name: str = "") -> SavedSearch:
    """Save the search the search page's parameters (`q`, `mode`, `category`, `from`, `to`,
    `code`) describe. Saving the same search again returns the one saved before."""
    fields = _cleaned(search_form(params))
    existing = SavedSearch.objects.filter(user=user, **fields).first()
    if existing:
        return existing
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_PER_MEMBER:
        raise SavedSearchError(f"you have {MAX_SAVED_PER_MEMBER} saved searches; delete one first", code="rate_limited")
    start_matching_here()
    return SavedSearch.objects.create(user=user, name=_clean_name(name or default_name(fields)), **fields)


def saved_searches_of(user):
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-id")


def saved_search_of(user, pk) -> SavedSearch | None:
    try:
        return SavedSearch.objects.filter(user=user, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def rename(saved: SavedSearch, name: str) -> SavedSearch:
    saved.name = _clean_name(name)
    saved.save(update_fields=["name"])
    return saved


def rotate_token(saved: SavedSearch) -> str:
    """A new private token: the feed URL and MCP handle given out before stop working."""
    saved.feed_token = new_feed_token()
    saved.save(update_fields=["feed_token"])
    return saved.feed_token


def set_in_digest(saved: SavedSearch, on: bool) -> None:
    saved.in_digest = bool(on)
    saved.save(update_fields=["in_digest"])


def by_token(token: str) -> SavedSearch | None:
    token = (token or "").strip()
    if not TOKEN_TEXT.fullmatch(token):
        return None  # tokens are URL-safe base64: anything else (NUL included) never reaches the database
    return SavedSearch.objects.filter(feed_token=token).select_related("user").first()


def search_params(saved: SavedSearch) -> dict:
    """The search page's query parameters for this saved search (to run it now)."""
    params = {"q": saved.query, "mode": saved.mode}
    if saved.category:
        params["category"] = saved.category
    if saved.date_from:
        params["from"] = saved.date_from.isoformat()
    if saved.date_to:
        params["to"] = saved.date_to.isoformat()
    if saved.has_code is not None:
        params["code"] = "1" if saved.has_code else "0"
    return params


def recent_matches(saved: SavedSearch, *, since: dt.datetime | None = None, limit: int = PAGE_MATCHES):
    """Matches newest first, with their papers (one query), visible papers only."""
    rows = SavedSearchMatch.objects.filter(saved_search=saved, paper__hidden=False)
    if since is not None:
        rows = rows.filter(matched_at__gt=since)
    return list(rows.select_related("paper").order_by("-matched_at", "-id")[:limit])


def visit(saved: SavedSearch, *, now: dt.datetime | None = None) -> dict:
    """The data of the saved search's page: what matched since the previous visit (marked
    new) and the earlier matches; the visit is recorded."""
    now = now or timezone.now()
    previous = saved.last_visit_at
    matches = recent_matches(saved)
    new = [m for m in matches if previous is None or m.matched_at > previous]
    earlier = [m for m in matches if not (previous is None or m.matched_at > previous)]
    SavedSearch.objects.filter(pk=saved.pk).update(last_visit_at=now)
    return {"saved": saved, "new": new, "earlier": earlier, "previous_visit": previous}
