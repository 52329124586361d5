"""The daily, weekly and monthly feeds and the paper page, as plain data.

One data function per page: `daily_feed`, `weekly_feed`, `monthly_feed` and `paper_detail`
take keyword arguments and return dicts of plain values (str, int, date, lists, dicts) that
the HTML views render and that a JSON endpoint can serialise with DjangoJSONEncoder.

A feed lists the papers *featured* on the days of its window (`Paper.featured_on`), hidden
papers excluded (`feed_papers`, the one query every list of the feed uses): most upvoted
first; ties go to new submissions before cross-lists and replacements, then to the lower
arXiv id. Windows are parsed by catalog/windows.py. Every feed
page costs a fixed number of queries whatever the window holds (a day can hold ~500 papers,
a month ~6,000): the page of papers is one indexed query on `featured_on`, the chart and the
category menu are one GROUP BY each, previous/next are one MAX/MIN each.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, Exists, Max, Min, OuterRef, QuerySet, When

from . import clock
from .arxiv_ids import InvalidArxivId, parse_arxiv_id
from .bibtex import paper_bibtex
from .latex import abstract_preview
from .listings import card_reason, listing_rank
from .models import Paper, PaperCategory, visible_filter
from .windows import (
    WINDOW_KEYS,
    FeedParameterError,
    Window,
    parse_day,
    parse_month,
    parse_week,
    parse_window,
    week_label,
)

PAGE_SIZE = 100
# The day view charts the four weeks up to the day shown: enough to see the weekly rhythm
# of arXiv listings (nothing at weekends) without a second query per bar.
DAY_CHART_DAYS = 28
# The category menu lists the most common categories of the window; more would be noise.
CATEGORY_MENU_SIZE = 40
_CATEGORY = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]{2,}(?:-[A-Za-z]+)*)?$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=[ \t])")
# How a window's papers are ordered. Ties go to new submissions before cross-lists and
# replacements (catalog/listings.py), then to the lower arXiv id, as arXiv lists them.
SORTS = {
    "upvotes": ("-upvotes",),
    "trending": ("-hotness", "-upvotes"),
    "publishedAt": ("-featured_on", "-upvotes"),  # HF's name: newest feed day first
}


class PaperNotFound(LookupError):
    """No visible paper has this arXiv id."""


# --- parameters ---------------------------------------------------------------------------
def parse_category(text: str | None) -> str | None:
    if not text:
        return None
    if not _CATEGORY.match(text):
        raise FeedParameterError("category", text, "expected an arXiv category such as cs.LG or hep-th")
    return text


def parse_page(text: str | int | None) -> int:
    if text in (None, ""):
        return 1
    try:
        page = int(text)
    except (TypeError, ValueError):
        page = 0
    if page < 1:
        raise FeedParameterError("page", text, "expected a page number from 1 up")
    return page


def parse_sort(text: str | None, default: str = "upvotes") -> str:
    if text in (None, ""):
        return default
    if text not in SORTS:
        raise FeedParameterError("sort", text, f"expected one of {', '.join(SORTS)}")
    return text


# --- feeds --------------------------------------------------------------------------------
def _featured(category: str | None) -> QuerySet[Paper]:
    papers = Paper.objects.featured()
    if category:
        # Cross-listed papers count too. EXISTS on the (paper, category) unique index lets the
        # database walk the day range first: a join started from the category instead
        # (15k rows for cs.CL) and took ~85 ms a query on the 75k-paper corpus, this ~5 ms.
        papers = papers.filter(Exists(PaperCategory.objects.filter(paper=OuterRef("pk"), category=category)))
    return papers


def feed_papers(window: Window | None = None, category: str | None = None, sort: str = "upvotes") -> QuerySet[Paper]:
    """The visible papers featured in `window` (None: any day) and `category`, in `sort` order.

    The one query behind every list of the daily feed: the day / week / month pages, trending,
    `/api/daily_papers`, the RSS feeds, the MCP tools and CLI, "for you" and the digests.
    Each paper carries `listing_rank` (new 0, cross-list 1, replacement 2; catalog/listings.py).
    """
    papers = _featured(category)
    if window is not None:
        papers = papers.filter(featured_on__range=(window.start, window.end))
    return papers.annotate(listing_rank=listing_rank(category)).order_by(*_ordering(sort, category))


def _ordering(sort: str, category: str | None) -> list:
    # The stored flag, not the rank expression, so a day's order is its index (paper_feed_day_order).
    cross_list = [Case(When(primary_category=category, then=0), default=1)] if category else []
    return [*SORTS[parse_sort(sort)], "is_replacement", *cross_list, "arxiv_id"]


def top_feed_papers(window: Window, *, limit: int) -> list[Paper]:
    """`feed_papers(window)[:limit]` (by upvotes, no category), read through the index.

    One index range per day on paper_feed_day_order, each reading at most `limit` entries,
    gives the candidates; the database orders those few as feed_papers does. A month with
    1,000 papers a day costs 30 short index reads instead of sorting 30,000 rows (on SQLite
    with 100,000 papers, 451 ms -> see docs/community.md for the measured figures).
    """
    days = [window.start + timedelta(days=n) for n in range((window.end - window.start).days + 1)]
    # One day's read, compiled once by the ORM (the same visible filter and order as
    # feed_papers), then repeated per day in one UNION ALL statement: the ORM cannot slice the
    # parts of a union on SQLite, and one statement is one round trip for a month.
    one_day = Paper.objects.visible().filter(featured_on=window.start).order_by(*_ordering("upvotes", None))
    sql, params = one_day.values_list("id")[:limit].query.sql_with_params()
    adapt = connection.ops.adapt_datefield_value  # the form the ORM put in params (text on SQLite)
    day_at = {i for i, value in enumerate(params) if value == adapt(window.start)}
    union, values = [], []
    for n, day in enumerate(days):
        union.append(f"SELECT * FROM ({sql}) AS day{n}")
        values.extend(adapt(day) if i in day_at else value for i, value in enumerate(params))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(union), values)
        candidates = [row[0] for row in cursor.fetchall()]
    # No window filter here: given the range, SQLite walks all of it instead of the few ids.
    return list(feed_papers().filter(pk__in=candidates)[:limit])


def latest_feed_day(*, category: str | None = None) -> date | None:
    return _featured(category).aggregate(day=Max("featured_on"))["day"]


def daily_feed(*, day: str | date | None = None, category: str | None = None, page: int | str | None = 1) -> dict:
    """The featured papers of one day (default: the latest day that has any)."""
    category = parse_category(category)
    if day is None:
        # A category with no featured papers yet still shows the site's latest day, empty.
        day = latest_feed_day(category=category) or (latest_feed_day() if category else None)
        if day is None:
            if not Paper.objects.visible().exists():
                return _empty_site(category)
            day = clock.today()  # papers exist but none is featured yet
    day = parse_day(day)
    chart = Window(day - timedelta(days=DAY_CHART_DAYS - 1), day)
    return _feed("day", Window(day, day), category, page, chart=chart)


def weekly_feed(*, week: str, category: str | None = None, page: int | str | None = 1) -> dict:
    """The featured papers of an ISO week, e.g. `week="2026-W26"`."""
    return _feed("week", parse_week(week), parse_category(category), page)


def monthly_feed(*, month: str, category: str | None = None, page: int | str | None = 1) -> dict:
    """The featured papers of a calendar month, e.g. `month="2026-06"`."""
    return _feed("month", parse_month(month), parse_category(category), page)


def _feed(view: str, window: Window, category: str | None, page, chart: Window | None = None) -> dict:
    chart = chart or window
    ordered = feed_papers(window, category).only(*SUMMARY_FIELDS)
    paginator = Paginator(ordered, PAGE_SIZE)
    number = parse_page(page)
    if paginator.count and number > paginator.num_pages:
        raise FeedParameterError("page", page, f"expected a page number from 1 to {paginator.num_pages}")
    papers = list(paginator.page(number).object_list) if paginator.count else []
    before = _featured(category).filter(featured_on__lt=window.start).aggregate(d=Max("featured_on"))["d"]
    after = _featured(category).filter(featured_on__gt=window.end).aggregate(d=Min("featured_on"))["d"]
    counts = papers_per_day(start=chart.start, end=chart.end, category=category)
    days_with_papers = [c["date"] for c in counts if c["count"] and window.start <= c["date"] <= window.end]
    return {
        "view": view,
        "empty_site": False,
        "label": _label(view, window),
        "start": window.start,
        "end": window.end,
        "period": _period_param(view, window.start),
        "week": week_label(window.start),  # the week and month holding the window, for links
        "month": f"{window.start:%Y-%m}",
        "category": category,
        "categories": category_menu(window=window, selected=category),
        "papers": [paper_summary(p, category=category) for p in papers],
        "total": paginator.count,
        "page": number,
        "num_pages": paginator.num_pages if paginator.count else 1,
        "page_size": PAGE_SIZE,
        "previous": _period_param(view, before) if before else None,
        "next": _period_param(view, after) if after else None,
        "counts": counts,
        # The "Day" link of a week or month goes to its last day with papers, not to an empty Sunday.
        "last_day": days_with_papers[-1] if days_with_papers else window.end,
    }


def _empty_site(category: str | None) -> dict:
    return {
        "view": "day",
        "empty_site": True,
        "label": "",
        "category": category,
        "categories": [],
        "papers": [],
        "total": 0,
        "page": 1,
        "num_pages": 1,
        "previous": None,
        "next": None,
        "counts": [],
        "start": None,
        "end": None,
        "period": None,
        "page_size": PAGE_SIZE,
    }


def _label(view: str, window: Window) -> str:
    if view == "day":
        return f"{window.start:%A} {window.start.day} {window.start:%B %Y}"
    if view == "week":
        return (
            f"Week {window.start.isocalendar()[1]} of {window.start.isocalendar()[0]}, "
            f"{window.start.day} {window.start:%b} – {window.end.day} {window.end:%b %Y}"
        )
    return f"{window.start:%B %Y}"


def _period_param(view: str, day: date) -> dict:
    """The query parameter that names the period holding `day`, e.g. {"week": "2026-W26"}."""
    if view == "day":
        return {"key": "date", "value": day.isoformat(), "day": day}
    if view == "week":
        return {"key": "week", "value": week_label(day), "day": day}
    return {"key": "month", "value": f"{day:%Y-%m}", "day": day}


def papers_per_day(*, start: date, end: date, category: str | None = None) -> list[dict]:
    """Featured papers per day from `start` to `end` inclusive, days without papers as 0."""
    rows = (
        _featured(category)
        .filter(featured_on__range=(start, end))
        .values("featured_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["featured_on"]: row["n"] for row in rows}
    days = (start + timedelta(days=i) for i in range((end - start).days + 1))
    return [{"date": d, "count": counts.get(d, 0)} for d in days]


def category_menu(*, window: Window, selected: str | None = None) -> list[dict]:
    """The commonest categories among the window's featured papers, with counts."""
    rows = (
        PaperCategory.objects.filter(visible_filter("paper__"), paper__featured_on__range=(window.start, window.end))
        .values("category")
        .annotate(n=Count("paper_id"))
        .order_by("-n", "category")[:CATEGORY_MENU_SIZE]
    )
    menu = [{"category": row["category"], "count": row["n"]} for row in rows]
    if selected and selected not in {item["category"] for item in menu}:
        menu.append({"category": selected, "count": 0})
    return sorted(menu, key=lambda item: item["category"])


# --- papers -------------------------------------------------------------------------------
SUMMARY_FIELDS = (
    "id",
    "arxiv_id",
    "version",
    "title",
    "abstract",
    "authors_text",
    "primary_category",
    "categories",
    "published",
    "listing_date",
    "featured_on",
    "featured_reason",
    "code_url",
    "project_url",
    "upvotes",
    "num_comments",
    "keywords",
)


def paper_summary(paper: Paper, *, category: str | None = None) -> dict:
    """What a paper card shows. Keys match Paper's attribute names, so templates written
    against a Paper (e.g. community/_vote.html) work on this dict too. In a `category` feed a
    paper listed from another primary category says it is a cross-list."""
    return {
        "id": paper.id,
        "pk": paper.pk,
        "arxiv_id": paper.arxiv_id,
        "version": paper.version,
        "title": paper.title,
        "abstract_preview": abstract_preview(paper.abstract),
        "author_names": paper.author_names,
        "primary_category": paper.primary_category,
        "categories": list(paper.categories or []),
        "published": paper.published,
        "listing_date": paper.listing_date,
        "featured_on": paper.featured_on,
        "featured_reason": card_reason(
            stored=paper.featured_reason,
            arxiv_id=paper.arxiv_id,
            listing_date=paper.listing_date,
            primary_category=paper.primary_category,
            category=category,
            rank=getattr(paper, "listing_rank", None),
        ),
        "url": paper.get_absolute_url(),
        "abs_url": paper.abs_url,
        "pdf_url": paper.pdf_url,
        "code_url": paper.code_url,
        "project_url": paper.project_url,
        "upvotes": paper.upvotes,
        "num_comments": paper.num_comments,
        "keywords": paper.keywords or [],
    }


def abstract_paragraphs(text: str) -> list[str]:
    """arXiv abstracts wrap lines at ~80 characters; a blank line or an indented line starts
    a new paragraph. Join the wrapped lines, keep the paragraphs."""
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(text or ""))
    return [p for p in paragraphs if p]


def paper_detail(*, arxiv_id: str) -> dict:
    """Everything the paper page shows. Raises PaperNotFound for unknown or hidden papers and
    for text that is not an arXiv id."""
    try:
        parsed = parse_arxiv_id(arxiv_id)
    except InvalidArxivId:
        raise PaperNotFound(arxiv_id) from None
    paper = Paper.objects.visible().filter(arxiv_id=parsed.id).first()
    if paper is None:
        raise PaperNotFound(arxiv_id)
    detail = paper_summary(paper)
    detail.update(
        {
            "abstract_paragraphs": abstract_paragraphs(paper.abstract),
            "abstract": paper.abstract,
            "updated": paper.updated,
            "comment": paper.comment,
            "journal_ref": paper.journal_ref,
            "doi": paper.doi,
            "doi_url": f"https://doi.org/{paper.doi}" if paper.doi else "",
            "versioned_id": paper.versioned_id,
            "bibtex": paper_bibtex(paper),
            "hidden": paper.hidden,
        }
    )
    return detail


def feed_for_query(params) -> dict:
    """The feed a `/papers?…` query asks for: `date=`, `week=` or `month=` (catalog/windows.py;
    none means the latest day), with optional `category=` and `page=`. Raises
    FeedParameterError naming the bad parameter."""
    parse_window(date=params.get("date"), week=params.get("week"), month=params.get("month"))  # all valid
    given = [key for key in WINDOW_KEYS if params.get(key)][:1]  # the narrowest wins, as in the API
    common = {"category": params.get("category") or None, "page": params.get("page")}
    if given == ["week"]:
        return weekly_feed(week=params["week"], **common)
    if given == ["month"]:
        return monthly_feed(month=params["month"], **common)
    return daily_feed(day=params.get("date") or None, **common)
