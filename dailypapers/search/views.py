"""Search pages: /search (full page, or the results fragment for htmx as-you-type, or JSON with
?format=json) and /papers/<id>/similar (the fragment the paper page loads). Thin: they parse
request parameters into `search_page_data`, which calls the service."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render

from dailypapers.catalog.arxiv_ids import InvalidArxivId, normalize_arxiv_id
from dailypapers.catalog.models import Paper
from dailypapers.catalog.wire import PaperRecord
from dailypapers.search.service import MODES, SORTS, SearchError, more_like_this, search_papers, similar_papers

PAGE_SIZE = 20
MAX_PAGE = 5  # fusion keeps the best 100 of each list; pages past that would be empty


def _page_number(raw: str) -> int:
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def search_form(params) -> dict:
    """The search page's parameters, cleaned: the one reading of a search (saved searches
    store exactly these)."""
    code = params.get("code", "")
    return {
        "q": params.get("q", "")[:500],
        "mode": params.get("mode", "hybrid") or "hybrid",
        "category": params.get("category", "").strip()[:32],
        "date_from": params.get("from", "").strip()[:10],
        "date_to": params.get("to", "").strip()[:10],
        "code": code if code in ("1", "0") else "",
        "sort": params.get("sort", "relevance") or "relevance",
        "like": params.get("like", "").strip()[:40],
    }


def search_page_data(params) -> dict:
    """The data of the search page, from its query parameters; what the HTML and JSON show."""
    page = _page_number(params.get("page", "1"))
    form = search_form(params)
    data = {"form": form, "page": page, "modes": MODES, "sorts": SORTS, "error": ""}
    try:
        if form["like"]:
            try:
                like_id = normalize_arxiv_id(form["like"])
            except InvalidArxivId:  # also keeps NUL bytes away from PostgreSQL
                raise SearchError(f"like: {form['like']!r} is not an arXiv id") from None
            paper = Paper.objects.visible().filter(arxiv_id=like_id).first()
            if paper is None:
                raise SearchError(f"like: no paper with arXiv id {form['like']!r}")
            answer = more_like_this(paper, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        else:
            answer = search_papers(
                form["q"],
                mode=form["mode"],
                category=form["category"] or None,
                date_from=form["date_from"] or None,
                date_to=form["date_to"] or None,
                has_code={"1": True, "0": False}.get(form["code"]),
                sort=form["sort"],
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
            )
    except SearchError as exc:
        data["error"] = str(exc)
        answer = {"results": [], "total": 0, "notices": []}
    data["answer"] = answer
    data["has_next"] = page < MAX_PAGE and answer["total"] > page * PAGE_SIZE
    return data


def _json(data: dict, request=None) -> dict:
    """The page's data as JSON: each result is the catalogue's paper record plus how it matched."""
    answer = data["answer"]
    return {
        "query": data["form"]["q"],
        "error": data["error"],
        "notices": answer["notices"],
        "total": answer["total"],
        "page": data["page"],
        "authors": answer.get("authors", []),  # the author the query names (search/authors.py)
        "results": [
            {
                **PaperRecord.of(row["paper"], request=request).model_dump(),
                "score": row["score"],
                "matched_by": row["matched_by"],
                "pinned": row["pinned"],
                "snippet": str(row["snippet"]),
            }
            for row in answer["results"]
        ],
    }


def search_page(request):
    data = search_page_data(request.GET)
    status = 400 if data["error"] else 200
    if request.GET.get("format") == "json":
        return JsonResponse(_json(data, request), status=status)
    template = (
        "search/_results.html"
        if getattr(request, "htmx", False) and request.htmx.target == "search-results"
        else "search/search.html"
    )
    return render(request, template, data, status=status)


def similar_fragment(request, arxiv_id: str):
    paper = Paper.objects.visible().filter(arxiv_id=arxiv_id).first()
    if paper is None:
        raise Http404(f"no paper {arxiv_id}")
    return render(request, "search/_similar_list.html", {"paper": paper, "similar": similar_papers(paper, limit=5)})
