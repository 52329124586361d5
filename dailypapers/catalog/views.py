"""Catalogue pages: the `/papers?date|week|month=` feeds and the paper page. Views stay thin:
each calls one data function of `feed.py` and renders its dict."""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from .arxiv_ids import InvalidArxivId, parse_arxiv_id
from .feed import FeedParameterError, PaperNotFound, feed_for_query, paper_detail
from .pagecache import cache_page_for_anonymous

FEED_PARAMETERS = ("date", "week", "month", "category", "page")  # all that feed_for_query reads
CHART_HEIGHT = 48
CHART_BAR_WIDTH = 10


@cache_page_for_anonymous(params=FEED_PARAMETERS)
def feed_page(request):
    """Home and `/papers`: the daily feed of the latest day, or the day, week or month asked for."""
    try:
        feed = feed_for_query(request.GET)
    except FeedParameterError as error:
        return render(request, "catalog/feed.html", {"error": error, "feed": None}, status=400)
    context = {"feed": feed, "chart": chart_bars(feed), "more_url": _more_url(request, feed)}
    # htmx "Show more" asks for the next page's cards only.
    template = "catalog/_feed_page.html" if request.htmx and feed["page"] > 1 else "catalog/feed.html"
    return render(request, template, context)


def _more_url(request, feed: dict) -> str | None:
    if feed["page"] >= feed["num_pages"]:
        return None
    query = request.GET.copy()
    query["page"] = str(feed["page"] + 1)
    return f"{reverse('catalog:feed')}?{query.urlencode()}"


def chart_bars(feed: dict) -> dict | None:
    """Bar geometry of the papers-per-day chart (inline SVG, drawn on the server)."""
    counts = feed.get("counts") or []
    if not counts:
        return None
    tallest = max(item["count"] for item in counts) or 1
    category = {"category": feed["category"]} if feed["category"] else {}
    bars = []
    for index, item in enumerate(counts):
        height = round(CHART_HEIGHT * item["count"] / tallest) if item["count"] else 0
        bars.append({
            "date": item["date"], "count": item["count"],
            "x": index * CHART_BAR_WIDTH + 1, "y": CHART_HEIGHT - max(height, 1), "height": max(height, 1),
            "current": feed["start"] <= item["date"] <= feed["end"],
            "url": f"{reverse('catalog:feed')}?{urlencode({'date': item['date'].isoformat(), **category})}",
        })
    return {"bars": bars, "width": len(bars) * CHART_BAR_WIDTH, "height": CHART_HEIGHT,
            "bar_width": CHART_BAR_WIDTH - 2, "tallest": tallest}


@cache_page_for_anonymous
def paper_page(request, arxiv_id: str):
    try:
        paper = paper_detail(arxiv_id=arxiv_id)
    except PaperNotFound:
        raise Http404(f"No paper {arxiv_id} here.") from None
    return render(request, "catalog/paper.html", {"paper": paper})


def paper_redirect(request, text: str):
    """`/papers/2503.11731v2`, `/papers/arXiv:2503.11731` → the canonical `/papers/2503.11731`."""
    try:
        parsed = parse_arxiv_id(text)
    except InvalidArxivId:
        raise Http404(f"{text!r} is not an arXiv id.") from None
    return HttpResponsePermanentRedirect(reverse("catalog:paper", kwargs={"arxiv_id": parsed.id}))


def period_redirect(request, key: str, value: str):
    """Hugging Face's path-style URLs (`/papers/date/2026-06-30`) → our query-style ones."""
    return HttpResponsePermanentRedirect(f"{reverse('catalog:feed')}?{urlencode({key: value})}")
