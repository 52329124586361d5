"""Search filters as a queryset of allowed papers: date range, category, has code, author:, cat:.

Returns None when nothing filters (beyond hiding moderated papers, which every search does),
so the common query skips a subquery.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Q, QuerySet

from dailypapers.catalog import windows
from dailypapers.catalog.models import Paper
from dailypapers.catalog.windows import FeedParameterError

CATEGORY = re.compile(r"[A-Za-z][A-Za-z0-9.-]{0,31}")  # arXiv archive[.subject], e.g. cs.CL, hep-th, q-bio.BM


class SearchError(ValueError):
    """A search parameter (not the query text) has a value we cannot use; the message names it."""


def parse_day(value, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return windows.parse_day(value if isinstance(value, dt.date) else str(value), name)
    except FeedParameterError as exc:
        raise SearchError(str(exc)) from None


def filtered_papers(
    *, category=None, date_from=None, date_to=None, has_code=None, authors=(), categories=()
) -> QuerySet | None:
    if not (category or date_from or date_to or has_code is not None or authors or categories):
        return None
    papers = Paper.objects.visible()
    if category:
        papers = papers.filter(id__in=_in_categories([category]))
    if categories:
        papers = papers.filter(id__in=_in_categories(categories))
    # The arXiv listing day when known, else the submission day.
    if date_from:
        papers = papers.filter(
            Q(listing_date__gte=date_from) | Q(listing_date__isnull=True, published__date__gte=date_from)
        )
    if date_to:
        papers = papers.filter(
            Q(listing_date__lte=date_to) | Q(listing_date__isnull=True, published__date__lte=date_to)
        )
    if has_code is True:
        papers = papers.exclude(code_url="")
    elif has_code is False:
        papers = papers.filter(code_url="")
    for name in authors:
        papers = papers.filter(authors_text__icontains=name)
    return papers


def _in_categories(names) -> QuerySet:
    from dailypapers.catalog.models import PaperCategory

    wanted = Q()
    for name in names:
        if not CATEGORY.fullmatch(name.strip()):  # also keeps NUL bytes away from PostgreSQL
            raise SearchError(f"category: expected an arXiv category like cs.CL, got {name.strip()[:40]!r}")
        wanted |= Q(category__iexact=name.strip())
    return PaperCategory.objects.filter(wanted).values("paper_id")


def visible_ids(ids, allowed: QuerySet | None) -> set[int]:
    """Those of `ids` the filters allow (and that are not hidden)."""
    ids = list(ids)
    if not ids:
        return set()
    base = allowed if allowed is not None else Paper.objects.visible()
    return set(base.filter(id__in=ids).values_list("id", flat=True))


def paper_passes(
    paper, *, category=None, date_from=None, date_to=None, has_code=None, authors=(), categories=()
) -> bool:
    """Whether a paper in hand passes the filters `filtered_papers` applies in the database:
    the same rules (categories ignoring case, the listing day else the submission day, code or
    not, author text containing each name ignoring case) for matching a batch of new papers
    without a query per saved search. Hidden papers never pass."""
    if paper.hidden:
        return False
    listed = {name.casefold() for name in paper.categories or []}
    wanted = [category] if category else []
    for group in (wanted, list(categories)):
        for name in group:
            if not CATEGORY.fullmatch(name.strip()):
                raise SearchError(f"category: expected an arXiv category like cs.CL, got {name.strip()[:40]!r}")
        if group and not any(name.strip().casefold() in listed for name in group):
            return False
    day = paper.listing_date or (paper.published.date() if paper.published else None)
    if (date_from and (day is None or day < date_from)) or (date_to and (day is None or day > date_to)):
        return False
    if has_code is not None and bool(paper.code_url) != has_code:
        return False
    authors_text = (paper.authors_text or "").casefold()
    return all(name.casefold() in authors_text for name in authors)
