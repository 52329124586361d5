"""Paper keywords as stored data: their one spelling, their one writer, and the papers of a keyword.

The search app extracts them (search/keywords.py); the catalogue keeps them twice on purpose,
as categories are kept: `Paper.keywords` (a list, best first) for cards and the API, which
read it with the paper and so need no join, and `PaperKeyword` rows for "which papers have
this keyword" (the topic page, keyword follows), an index lookup. `save_keywords` is the only
writer of both, in one transaction, so they cannot disagree.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet

from .feed import parse_page
from .models import Paper, PaperKeyword
from .pagecache import papers_changed
from .windows import FeedParameterError

MAX_KEYWORD_CHARS = 120  # PaperKeyword.keyword's column; the extractor's 3 words fit in ~60
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Trending first, as the trending list orders (catalog.feed.SORTS["trending"]), then the newest.
TOPIC_ORDER = ("-hotness", "-upvotes", "-listing_date", "arxiv_id")


def normalise_keyword(text: str) -> str:
    """The stored spelling: lower case, words separated by one space (`" Gaussian  Splatting"`
    → `"gaussian splatting"`). Topic addresses and keyword follows are compared in it."""
    text = _CONTROL.sub(" ", text or "")  # NUL and other control characters are never part of a keyword
    return _SPACE.sub(" ", text.strip().lower())[:MAX_KEYWORD_CHARS]


def save_keywords(found: dict[int, list[tuple[str, float]]]) -> None:
    """Replace the keywords of the papers in `found` ({paper id: [(keyword, score), …] best
    first}); a paper gone meanwhile is skipped."""
    if not found:
        return
    with transaction.atomic():
        # Row locks (PostgreSQL), in id order: the embedding job and `dailypapers keywords` may
        # write one paper at once; the second waits and replaces, instead of a duplicate key.
        locked = Paper.objects.select_for_update().filter(pk__in=found).order_by("pk")
        existing = set(locked.values_list("pk", flat=True))
        PaperKeyword.objects.filter(paper_id__in=existing).delete()
        rows, papers = [], []
        for paper_id in sorted(existing):
            keywords = list(dict.fromkeys(normalise_keyword(k) for k, _ in found[paper_id]))
            scores = dict((normalise_keyword(k), s) for k, s in reversed(found[paper_id]))
            keywords = [k for k in keywords if k]
            rows.extend(
                PaperKeyword(paper_id=paper_id, keyword=k, position=i, score=scores[k]) for i, k in enumerate(keywords)
            )
            papers.append(Paper(pk=paper_id, keywords=keywords))
        PaperKeyword.objects.bulk_create(rows)
        Paper.objects.bulk_update(papers, ["keywords"], batch_size=500)
        papers_changed()  # cards show keywords: cached pages must not keep the old ones


def with_keyword(papers: QuerySet, keyword: str) -> QuerySet:
    """Those of `papers` that carry `keyword` (any spelling: it is normalised).

    `id IN (ids from the (keyword, paper) index)`, not a correlated EXISTS: SQLite ran the
    EXISTS once per paper of the catalogue, 700-1,100 ms a topic page on the 74,728-paper
    corpus whether the keyword had 1 paper or 34,000 (bench/topic_pages.py)."""
    ids = PaperKeyword.objects.filter(keyword=normalise_keyword(keyword)).values("paper_id")
    return papers.filter(pk__in=ids)


def topic_papers(keyword: str) -> QuerySet:
    """The visible papers with `keyword`, trending first: the topic page and its feeds."""
    return with_keyword(Paper.objects.visible(), keyword).order_by(*TOPIC_ORDER)


def topic_path(keyword: str) -> str:
    """The topic page of `keyword` (web/urls.py routes `/topics/<keyword>`): what every chip,
    feed and API answer links to."""
    return "/topics/" + quote(normalise_keyword(keyword), safe="")


TOPIC_PAGE_SIZE = 50  # cards a topic page shows at a time, as the search results page


def topic_detail(*, keyword: str, page: int | str | None = 1) -> dict:
    """The topic page's data: the papers with `keyword`, trending first, a page at a time.
    Raises FeedParameterError for a page past the end."""
    keyword = normalise_keyword(keyword)
    paginator = Paginator(topic_papers(keyword), TOPIC_PAGE_SIZE)
    number = parse_page(page)
    total = paginator.count
    if total and number > paginator.num_pages:
        raise FeedParameterError("page", page, f"expected a page number from 1 to {paginator.num_pages}")
    return {
        "keyword": keyword,
        "path": topic_path(keyword),
        "papers": list(paginator.page(number).object_list) if total else [],
        "total": total,
        "page": number,
        "num_pages": paginator.num_pages if total else 1,
    }
