"""Turning one outbox row into an email: HTML (inline styles, dark-mode aware, accessible)
plus plain text, with RFC 8058 one-click unsubscribe headers and a Message-ID fixed per row.

The same `digest_data` feeds the operator's browser preview, so what the preview shows is
what the subscriber gets. Header values are built from our own text; the one user-supplied
piece that reaches a header (the topic/author in the subject) is collapsed to one line
first, and Django's EmailMessage refuses any header with a line break on top of that.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from dailypapers.alerts.sections import digest_sections
from dailypapers.catalog.author_links import AuthorLinks
from dailypapers.catalog.latex import abstract_preview, title_text
from dailypapers.catalog.models import Paper
from dailypapers.catalog.site import absolute_url
from dailypapers.community.opens import open_url
from dailypapers.digest.content import edition_window
from dailypapers.digest.models import Edition, Subscription
from dailypapers.digest.subscriptions import links_for

ABSTRACT_CHARS = 300
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(text: str, limit: int = 120) -> str:
    text = _LINE_BREAKS.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def paper_item(paper: Paper, author_links: AuthorLinks | None = None, *, member_id: int | None = None) -> dict:
    """What a digest shows of a paper; the HTML part links each author's page (`author_links`
    resolves a whole list's names in one query). In a member's digest the page link notes the
    open ("for you" learns from it; community/opens.py), and leads to the same page."""
    authors = paper.author_names
    more = f" and {len(authors) - 6} more" if len(authors) > 6 else ""
    links = author_links or AuthorLinks()
    return {
        "title": title_text(paper.title),
        "authors": ", ".join(authors[:6]) + more,
        "author_links": [
            {"name": name, "url": absolute_url(path) if (path := links.path(name)) else ""} for name in authors[:6]
        ],
        "more_authors": more,
        "abstract": abstract_preview(paper.abstract, limit=ABSTRACT_CHARS),  # LaTeX as text, as on cards
        "upvotes": paper.upvotes,
        "page_url": open_url(user_id=member_id, paper=paper) if member_id else absolute_url(paper.get_absolute_url()),
        "pdf_url": paper.pdf_url,
        "code_url": paper.code_url,
        "arxiv_id": paper.arxiv_id,
    }


def subject_for(subscription: Subscription, edition: Edition) -> str:
    when = "this week" if edition.kind == Subscription.WEEKLY else edition.date.strftime("%a %d %b %Y")
    return one_line(f"{subscription.description} \u2014 {when}", 150)


class PaperBlocks:
    """The rendered paper list (HTML and text) per distinct list of papers, made once per run:
    10,000 subscribers share a few dozen lists, so most messages only render their frame."""

    def __init__(self):
        self.papers: dict[int, Paper] = {}
        self.author_links = AuthorLinks()  # names' author pages, remembered for the run
        self._blocks: dict[tuple[int, ...], tuple[str, str, int]] = {}

    def blocks(self, paper_ids: list[int], *, member_id: int | None = None) -> tuple[str, str, int]:
        key = (member_id, *paper_ids)  # a member's links are theirs (opens.py): never shared
        if key not in self._blocks:
            papers = load_papers(paper_ids, self.papers)
            self.author_links.add(name for paper in papers for name in paper.author_names[:6])
            items = [paper_item(paper, self.author_links, member_id=member_id) for paper in papers]
            self._blocks[key] = (
                mark_safe(render_to_string("digest/email/_papers.html", {"papers": items})),
                render_to_string("digest/email/_papers.txt", {"papers": items}),
                len(items),
            )
        return self._blocks[key]


def saved_search_blocks(subscription: Subscription, edition: Edition) -> tuple[str, str, int]:
    """The "Your saved searches" section of a member's personal digest (HTML, text, papers):
    each saved search's new matches in the edition's window, each saying why it matched."""
    if subscription.kind != Subscription.FOR_YOU or subscription.user_id is None:
        return "", "", 0
    first, last = edition_window(edition.kind, edition.date)
    sections = [
        {
            "name": section["saved_search"].name,
            "url": absolute_url(f"/saved-searches/{section['saved_search'].pk}"),
            "papers": [
                paper_item(match.paper, member_id=subscription.user_id) | {"reason": match.reason}
                for match in section["matches"]
            ],
        }
        for section in digest_sections(user=subscription.user, first=first, last=last, limit=settings.DIGEST_MAX_PAPERS)
    ]
    if not sections:
        return "", "", 0
    count = sum(len(section["papers"]) for section in sections)
    return (
        mark_safe(render_to_string("digest/email/_saved_searches.html", {"sections": sections})),
        render_to_string("digest/email/_saved_searches.txt", {"sections": sections}),
        count,
    )


def digest_data(
    *, subscription: Subscription, edition: Edition, paper_ids: list[int], blocks: PaperBlocks | None = None
) -> dict:
    """Everything a digest shows; rendered as the email and as the operator's preview."""
    papers_html, papers_text, count = (blocks or PaperBlocks()).blocks(paper_ids, member_id=subscription.user_id)
    saved_html, saved_text, saved_count = saved_search_blocks(subscription, edition)
    return {
        "saved_html": saved_html,
        "saved_text": saved_text,
        "saved_count": saved_count,
        "site_name": settings.SITE_NAME,
        "base_url": absolute_url("/"),
        "subject": subject_for(subscription, edition),
        "heading": one_line(subscription.description, 200),
        "edition": edition,
        "frequency": subscription.get_frequency_display(),
        "papers_html": papers_html,
        "papers_text": papers_text,
        "paper_count": count,
        **links_for(subscription),
    }


def build_message(*, data: dict, to: str, message_id: str) -> EmailMultiAlternatives:
    text = render_to_string("digest/email/digest.txt", data)
    html = render_to_string("digest/email/digest.html", data)
    headers = {
        "Message-ID": message_id,
        # RFC 8058: an https URL that takes a POST, and a mailto for older clients.
        "List-Unsubscribe": (
            f"<{data['unsubscribe_url']}>, <mailto:{settings.DIGEST_UNSUBSCRIBE_MAILTO}?subject=unsubscribe>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"dailypapers digest <digest.{settings.DIGEST_MESSAGE_ID_DOMAIN}>",
        "Auto-Submitted": "auto-generated",
    }
    message = EmailMultiAlternatives(
        subject=data["subject"], body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def load_papers(paper_ids: list[int], cache: dict[int, Paper]) -> list[Paper]:
    """Papers in the given order, fetching only those not in `cache` (one query at most)."""
    missing = [pk for pk in paper_ids if pk not in cache]
    if missing:
        cache.update({paper.pk: paper for paper in Paper.objects.filter(pk__in=missing)})
    return [cache[pk] for pk in paper_ids if pk in cache and not cache[pk].hidden]
