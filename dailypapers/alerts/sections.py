"""A member's saved searches as a section of their personal email digest: for each saved
search they keep in the digest (SavedSearch.in_digest), its matches among the papers listed
in the edition's window, each with why it matched. The digest app calls this (it sits above
alerts); one query per edition and member, whatever the number of saved searches."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from dailypapers.alerts.models import SavedSearchMatch


def digest_sections(*, user, first: dt.date, last: dt.date, limit: int) -> list[dict]:
    """[{"saved_search", "matches": [SavedSearchMatch with .paper]}], saved searches by name,
    at most `limit` matches each, newest first; only sections with something in them."""
    in_window = Q(paper__listing_date__range=(first, last)) | Q(
        paper__listing_date__isnull=True, paper__featured_on__range=(first, last)
    )
    rows = (
        SavedSearchMatch.objects.filter(in_window, saved_search__user=user, saved_search__in_digest=True)
        .filter(paper__hidden=False)
        .select_related("saved_search", "paper")
        .order_by("saved_search__name", "saved_search_id", "-matched_at", "-id")
    )
    sections: dict[int, dict] = {}
    for match in rows:
        section = sections.setdefault(match.saved_search_id, {"saved_search": match.saved_search, "matches": []})
        if len(section["matches"]) < limit:
            section["matches"].append(match)
    return list(sections.values())
