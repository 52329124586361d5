"""The site's pages that compose several apps: the feeds (home, `/papers?date|week|month=`) and
the paper page put catalogue data together with community votes and comments and search's
similar papers. Views stay thin: each calls one data function and renders its dict. Also the
organisation pages (`/orgs`, `/orgs/<slug>`), the API reference page, the favicon redirect and
the 404 page (handler404 in dailypapers/urls.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from dailypapers.catalog.author_pages import AuthorNotFound, author_detail, find_author
from dailypapers.catalog.feed import (
    PaperNotFound,
    feed_for_query,
    paper_detail,
)
from dailypapers.catalog.keywords import normalise_keyword, topic_detail
from dailypapers.catalog.pagecache import cache_page_for_anonymous
from dailypapers.catalog.windows import FeedParameterError
from dailypapers.community.authorship import verified_names
from dailypapers.community.orgs import OrganisationRefused, organisations_with_counts
from dailypapers.community.orgs import organisation_page as organisation_page_data
from dailypapers.web.apidocs import api_operations
from dailypapers.web.members import member_subscriptions

FEED_PARAMETERS = ("date", "week", "month", "category", "page")  # all that feed_for_query reads
CHART_HEIGHT = 48
CHART_BAR_WIDTH = 10


@cache_page_for_anonymous(params=FEED_PARAMETERS)
def feed_page(request):
    """Home and `/papers`: the daily feed of the latest day, or the day, week or month asked for."""
    try:
        feed = feed_for_query(request.GET)
    except FeedParameterError as error:
        return render(request, "web/feed.html", {"error": error, "feed": None}, status=400)
    context = {"feed": feed, "chart": chart_bars(feed), "more_url": _more_url(request, feed)}
    # htmx "Show more" asks for the next page's cards only; the page it pushed to the address
    # bar, when htmx restores it from history without a snapshot, needs the whole page.
    fragment = request.htmx and not request.htmx.history_restore_request and feed["page"] > 1
    template = "web/_feed_page.html" if fragment else "web/feed.html"
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
    most = max(item["count"] for item in counts)
    tallest = most or 1  # bar heights divide by it; the caption says `most`
    category = {"category": feed["category"]} if feed["category"] else {}
    bars = []
    for index, item in enumerate(counts):
        height = round(CHART_HEIGHT * item["count"] / tallest) if item["count"] else 0
        bars.append(
            {
                "date": item["date"],
                "count": item["count"],
                "x": index * CHART_BAR_WIDTH + 1,
                "y": CHART_HEIGHT - max(height, 1),
                "height": max(height, 1),
                "current": feed["start"] <= item["date"] <= feed["end"],
                "url": f"{reverse('catalog:feed')}?{urlencode({'date': item['date'].isoformat(), **category})}",
            }
        )
    return {
        "bars": bars,
        "width": len(bars) * CHART_BAR_WIDTH,
        "height": CHART_HEIGHT,
        "bar_width": CHART_BAR_WIDTH - 2,
        "most": most,
    }


@cache_page_for_anonymous
def paper_page(request, arxiv_id: str):
    """The paper page: the catalogue's record, then the community panel (votes, chart,
    discussion) and the similar papers, which its template includes from those apps."""
    try:
        paper = paper_detail(arxiv_id=arxiv_id)
    except PaperNotFound:
        raise Http404(f"No paper {arxiv_id} here.") from None
    return render(request, "web/paper.html", {"paper": paper, "verified_authors": verified_names(paper["pk"])})


@require_GET
def organisations_page(request):
    """`/orgs`: every organisation with its numbers of members and papers."""
    return render(request, "web/orgs.html", {"organisations": organisations_with_counts()})


@require_GET
def organisation_page(request, slug: str):
    """`/orgs/<slug>`: members and papers (the one card), newest or trending first."""
    page = request.GET.get("page", "1")
    try:
        data = organisation_page_data(
            slug=slug,
            sort=request.GET.get("sort", "newest"),
            page=int(page) if page.isdigit() else 1,
            viewer=request.user,
        )
    except OrganisationRefused as error:
        return render(request, "community/error.html", {"message": str(error)}, status=error.status)
    return render(request, "web/org.html", data)


@cache_page_for_anonymous(params=("page",))
def topic_page(request, keyword: str):
    """`/topics/<keyword>`: the papers carrying a keyword, trending first, with a follow button
    and feeds. Another spelling ("Gaussian  Splatting") redirects to the stored one; a keyword
    no paper has answers 404 with the page (a follow of it would still work)."""
    canonical = normalise_keyword(keyword)
    if not canonical:
        raise Http404("empty keyword")
    if canonical != keyword:
        return HttpResponsePermanentRedirect(reverse("web:topic", args=[canonical]))
    try:
        topic = topic_detail(keyword=keyword, page=request.GET.get("page"))
    except FeedParameterError as error:
        return render(request, "web/topic.html", {"error": error, "topic": None}, status=400)
    return render(request, "web/topic.html", {"topic": topic}, status=200 if topic["total"] else 404)


@cache_page_for_anonymous(params=("page",))
def author_page(request, slug: str):
    """An author's page: their papers newest first, papers per month, frequent co-authors and
    categories. A variant name's address redirects (301) to the canonical one."""
    try:
        ref = find_author(slug)
    except AuthorNotFound:
        raise Http404(f"No author {slug} here.") from None
    if ref.moved_to:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return HttpResponsePermanentRedirect(reverse("web:author", kwargs={"slug": ref.moved_to}) + query)
    try:
        author = author_detail(ref=ref, page=request.GET.get("page"))
    except FeedParameterError as error:
        return render(request, "web/author.html", {"error": error, "author": None}, status=400)
    more_url = None
    if author["page"] < author["num_pages"]:
        more_url = f"{author['url']}?{urlencode({'page': author['page'] + 1})}"
    context = {"author": author, "chart": month_bars(author["months"]), "more_url": more_url}
    fragment = request.htmx and not request.htmx.history_restore_request and author["page"] > 1
    return render(request, "web/_author_papers.html" if fragment else "web/author.html", context)


def month_bars(months: list[dict]) -> dict | None:
    """Bar geometry of an author's papers-per-month chart (inline SVG, drawn on the server)."""
    if not months:
        return None
    most = max(item["count"] for item in months)
    bars = []
    for index, item in enumerate(months):
        height = max(round(CHART_HEIGHT * item["count"] / most), 1) if most else 1
        bars.append(
            {
                "month": item["month"],
                "count": item["count"],
                "x": index * CHART_BAR_WIDTH + 1,
                "y": CHART_HEIGHT - height,
                "height": height,
            }
        )
    width = len(bars) * CHART_BAR_WIDTH
    return {"bars": bars, "width": width, "height": CHART_HEIGHT, "bar_width": CHART_BAR_WIDTH - 2, "most": most}


@require_GET
def api_docs(request):
    """The API reference, server-rendered from the OpenAPI schema (web.apidocs)."""
    return render(request, "web/api_docs.html", {"groups": api_operations()})


@login_required
@require_GET
def digests(request):
    """The member's email digests, each with its manage and unsubscribe page (the profile links
    here; the digest app's own pages open from signed links in the mails)."""
    return render(request, "web/digests.html", {"subscriptions": member_subscriptions(request.user)})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the static SVG."""
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))


def not_found(request, exception=None):
    return render(request, "web/404.html", {"path": request.path}, status=404)
