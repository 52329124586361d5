"""The one paper card of every list (feeds, trending and top lists, search results, for you,
similar papers), built in Python: a list renders 30 to 100 cards, and the same card as a
Django template cost ~1 ms each (30 ms of a 55 ms trending page); format_html does it in a
tenth of that. `paper` is a Paper or the catalogue's paper dict (catalog.feed.paper_summary);
lists built from the feed hold dicts, community and search lists hold Papers."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from dailypapers.catalog.keywords import topic_path
from dailypapers.catalog.latex import abstract_preview, title_text
from dailypapers.community.templatetags.community import paper_url, vote_button
from dailypapers.web.templatetags.library_actions import render_actions

register = template.Library()
MAX_AUTHORS = 8
MATCHED_BY = {"both": "matches words and meaning", "meaning": "matches meaning", "words": "matches words"}


@lru_cache(maxsize=4)
def _path(name: str) -> str:
    return reverse(name)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@register.filter
def preview(paper) -> str:
    """Two lines' worth of the abstract as plain text (catalog.latex.abstract_preview)."""
    if isinstance(paper, dict):
        return paper.get("abstract_preview") or abstract_preview(paper.get("abstract", ""))
    return abstract_preview(paper.abstract)


@register.filter
def plain_title(title: str) -> str:
    """The paper's title as text (catalog.latex.title_text), as cards show it."""
    return title_text(title)


def keyword_chips(keywords) -> str:
    """A paper's keywords as links to their topic pages (cards and the paper page)."""
    if not keywords:
        return ""
    return format_html(
        '<p class="paper-keywords" aria-label="Keywords">{}</p>',
        format_html_join(" ", '<a class="keyword" href="{}">{}</a>', ((topic_path(k), k) for k in keywords)),
    )


@register.simple_tag
def keyword_chip_list(keywords) -> str:
    return keyword_chips(keywords)


@register.simple_tag(takes_context=True)
def link_authors(context, papers, attr: str = "") -> str:
    """Resolve the author pages of every name on these papers in one query (before a list's
    cards: web/_author_links.html). `papers` is a list, or one paper; `attr` names the paper
    inside each row (`row.paper` of search results)."""
    links = context.get("author_links")
    if links is not None and papers:
        links.add_papers(papers if isinstance(papers, list | tuple) else [papers], attr)
    return ""


def author_names_html(context, names: list[str]):
    """The names, each linking its author page where it has one (the page's `author_links`)."""
    links = context.get("author_links")
    if links is None:
        return ", ".join(names)
    links.add(names)  # no query when the list resolved its names first
    return format_html_join(
        ", ",
        "{}",
        ((format_html('<a href="{}">{}</a>', path, name) if (path := links.path(name)) else name,) for name in names),
    )


@register.simple_tag(takes_context=True)
def author_link(context, name: str):
    """One name, linking its author page where it has one."""
    return author_names_html(context, [name])


@register.simple_tag(takes_context=True)
def paper_card(
    context, paper, rank=None, rank_label="", reason="", snippet="", matched_by="", pinned=False, compact=False
):
    """The card: vote button, title, authors, abstract preview (or a search's `snippet`),
    keyword chips, category, id, day, links and badges, then the numbers in words ("12 upvotes · 3 comments ·
    trending #4") and why the paper is here (`reason`, else its featured reason).
    `rank`/`rank_label`: the place in trending ("trending #4") or a top list ("#2 this week");
    `matched_by`/`pinned`: search; `compact`: no abstract, keywords nor featured reason (similar papers)."""
    get = paper.get if isinstance(paper, dict) else lambda key, default=None: getattr(paper, key, default)
    arxiv_id, url = get("arxiv_id"), paper_url(paper)
    names = get("author_names") or []
    authors = author_names_html(context, names[:MAX_AUTHORS])
    if len(names) > MAX_AUTHORS:
        authors = format_html("{}, et al. ({} authors)", authors, len(names))
    text = snippet or ("" if compact else preview(paper))
    category = get("primary_category")
    listed = get("listing_date")
    upvotes, comments = get("upvotes") or 0, get("num_comments") or 0
    stats = [
        format_html("<span>{}</span>", _plural(upvotes, "upvote")),
        format_html('<a href="{}#comments">{}</a>', url, _plural(comments, "comment")),
    ]
    if rank:
        place = f"#{rank} {rank_label}" if rank_label else f"trending #{rank}"
        stats.append(format_html('<strong class="rank">{}</strong>', place))
    if matched_by:
        stats.append(
            format_html(
                '<span class="matched-by" title="why this paper is in the results">{}</span>',
                MATCHED_BY.get(matched_by, MATCHED_BY["words"]),
            )
        )
        stats.append(
            format_html('<a href="{}?like={}">more like this</a>', _path("search:search"), quote(arxiv_id, safe=""))
        )
    badges = [(get("code_url"), "Code"), (get("project_url"), "Project page")]
    why = reason or ("" if compact else get("featured_reason"))
    classes = "paper-card" + (" compact" if compact else "") + (" search-result" if matched_by else "")
    return format_html(
        '<article class="{classes}" id="paper-{slug}"{matched}>'
        '<div class="paper-votes">{vote}</div><div class="paper-body">'
        '<h2 class="paper-title"><a href="{url}">{title}</a>{pinned}</h2>'
        '<p class="paper-authors">{authors}</p>{text}{keywords}'
        '<p class="paper-meta">{category}<span class="paper-id">arXiv:{arxiv_id}</span>{listed}'
        '<span class="paper-links"><a href="{abs_url}">arXiv</a> <a href="{pdf_url}">PDF</a>{badges}</span></p>'
        '<p class="paper-stats">{stats}</p>{why}{library}</div></article>',
        classes=classes,
        slug=slugify(arxiv_id),
        matched=format_html(' data-matched-by="{}"', matched_by) if matched_by else "",
        vote=vote_button(context, paper),
        url=url,
        title=title_text(get("title")),
        pinned=mark_safe(' <small class="pinned">exact match</small>') if pinned else "",
        authors=authors,
        text=format_html('<p class="paper-abstract{}">{}</p>', " snippet" if snippet else "", text) if text else "",
        keywords="" if compact else keyword_chips(get("keywords")),
        category=format_html(
            '<a class="category" href="{}?category={}" title="Papers in {}">{}</a> ',
            _path("catalog:feed"),
            quote(category, safe=""),
            category,
            category,
        )
        if category
        else "",
        arxiv_id=arxiv_id,
        listed=format_html(' <time datetime="{}">{}</time>', listed.isoformat(), format_date(listed, "j M Y"))
        if listed
        else "",
        abs_url=get("abs_url"),
        pdf_url=get("pdf_url"),
        badges=format_html_join("", ' <a class="badge" href="{}">{}</a>', [pair for pair in badges if pair[0]]),
        stats=format_html_join(" · ", "{}", ((part,) for part in stats)),
        why=format_html('<p class="featured-reason">{}</p>', why) if why else "",
        library=render_actions(context.get("request"), paper),  # save, read, not interested
    )
