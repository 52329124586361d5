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

from dailypapers.catalog.latex import abstract_preview, title_text
from dailypapers.catalog.models import Paper
from dailypapers.catalog.site import absolute_url
from dailypapers.community.opens import open_url
from dailypapers.digest.models import Edition, Subscription
from dailypapers.digest.subscriptions import links_for

ABSTRACT_CHARS = 300
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(text: str, limit: int = 120) -> str:
    text = _LINE_BREAKS.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def paper_item(paper: Paper, *, member_id: int | None = None) -> dict:
    """One paper of a digest. In a member's digest the page link notes the open ("for you"
    learns from it; community/opens.py), and leads to the same page."""
    authors = paper.author_names
    return {
        "title": title_text(paper.title),
        "authors": ", ".join(authors[:6]) + (f" and {len(authors) - 6} more" if len(authors) > 6 else ""),
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
        self._blocks: dict[tuple[int, ...], tuple[str, str, int]] = {}

    def blocks(self, paper_ids: list[int], *, member_id: int | None = None) -> tuple[str, str, int]:
        key = (member_id, *paper_ids)  # a member's links are theirs (opens.py): never shared
        if key not in self._blocks:
            items = [paper_item(paper, member_id=member_id) for paper in load_papers(paper_ids, self.papers)]
            self._blocks[key] = (
                mark_safe(render_to_string("digest/email/_papers.html", {"papers": items})),
                render_to_string("digest/email/_papers.txt", {"papers": items}),
                len(items),
            )
        return self._blocks[key]


def digest_data(
    *, subscription: Subscription, edition: Edition, paper_ids: list[int], blocks: PaperBlocks | None = None
) -> dict:
    """Everything a digest shows; rendered as the email and as the operator's preview."""
    papers_html, papers_text, count = (blocks or PaperBlocks()).blocks(paper_ids, member_id=subscription.user_id)
    return {
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
