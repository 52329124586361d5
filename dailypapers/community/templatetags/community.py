"""Template tags for the includes other apps' templates use: the vote and follow buttons, the
paper panel and the paper's URLs. The paper card itself is web/_paper_card.html."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from dailypapers.catalog.keywords import topic_path
from dailypapers.catalog.models import Paper
from dailypapers.community.authorship import is_author_of
from dailypapers.community.charts import upvote_chart
from dailypapers.community.claims import claim_of, claimed_by, orcid_of
from dailypapers.community.comments import comment_thread
from dailypapers.community.follows import follows_of
from dailypapers.community.models import Submission
from dailypapers.community.votes import voted_paper_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def has_voted(context, paper) -> bool:
    """Whether the viewer upvoted `paper`; the viewer's votes load once per request."""
    if context.get("voted_now") is not None:  # the vote view just cast it
        return bool(context["voted_now"])
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    if not hasattr(request, "_community_voted_ids"):
        request._community_voted_ids = voted_paper_ids(request.user)
    return (paper["pk"] if isinstance(paper, dict) else paper.pk) in request._community_voted_ids


@register.inclusion_tag("community/_panel_body.html", takes_context=True)
def paper_panel(context, paper):
    """Everything the community shows on a paper page: chart, submission, comments.

    `paper` is a Paper or the catalogue's paper dict (which carries `pk`)."""
    if not isinstance(paper, Paper):
        paper = Paper.objects.get(pk=paper["pk"])
    return {
        "request": context.get("request"),
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
        "paper": paper,
        "chart": upvote_chart(paper_id=paper.pk),
        "submission": Submission.objects.filter(paper=paper).select_related("user").first(),
        "thread": comment_thread(paper=paper),
        "is_paper_author": is_author_of(context.get("user"), paper),
        "error": context.get("error"),  # a refused comment, shown above the form with its text kept
        "body": context.get("body", ""),
    }


@register.simple_tag(takes_context=True)
def verified_author_badge(context, name: str):
    """A "verified author" badge after an author's name, linking the member who claimed it;
    `verified_authors` ({name: username}, community.authorship.verified_names) is in the context."""
    username = (context.get("verified_authors") or {}).get(name)
    if not username:
        return ""
    return format_html(
        ' <a class="badge verified-author" href="{}" title="Verified author: {}">verified author</a>',
        reverse("community:profile", kwargs={"username": username}),
        username,
    )


@register.simple_tag(takes_context=True)
def author_claim(context, author) -> dict:
    """What the claim box of an author page shows (web/_author_claim.html): who holds the
    verified claim, the viewer's own claim, and whether ORCID login is offered."""
    user = context.get("user")
    signed_in = bool(user and user.is_authenticated)
    return {
        "holder": claimed_by(author),
        "mine": claim_of(user, author) if signed_in else None,
        "signed_in": signed_in,
        "has_orcid": bool(signed_in and orcid_of(user)),
        "orcid_offered": "orcid" in settings.SOCIALACCOUNT_PROVIDERS,
    }


@register.filter
def paper_url(paper) -> str:
    """The paper's page, for a Paper or the catalogue's paper dict."""
    if isinstance(paper, dict):
        return paper["url"]
    return _path("catalog:paper").format(paper.arxiv_id)


@register.filter
def topic_url(keyword: str) -> str:
    """A keyword's topic page (catalog.keywords.topic_path), e.g. for a member's keyword follows."""
    return topic_path(keyword)


@register.filter
def discussion_url(paper) -> str:
    return _path("community:discussion").format(paper["arxiv_id"] if isinstance(paper, dict) else paper.arxiv_id)


@lru_cache(maxsize=8)
def _path(name: str) -> str:
    # One reverse per process and route: a list renders 30-50 cards and reverse() costs ~0.1 ms.
    return reverse(name, kwargs={"arxiv_id": "0000.00000"}).replace("0000.00000", "{}")


@register.simple_tag(takes_context=True)
def vote_button(context, paper):
    """The upvote form for `paper` (a Paper or the catalogue's dict), rendered in Python because
    lists show dozens of them: a POST form that htmx swaps in place, a plain form without JS."""
    voted = has_voted(context, paper)
    get = paper.get if isinstance(paper, dict) else lambda key: getattr(paper, key)
    path = _path("community:unvote" if voted else "community:upvote").format(get("arxiv_id"))
    request = context.get("request")
    token = context.get("csrf_token")
    return format_html(
        '<form class="vote" id="vote-{pk}" method="post" action="{path}" hx-post="{path}" hx-target="this" '
        'hx-swap="outerHTML">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<input type="hidden" name="next" value="{next}">'
        '<button type="submit" class="vote-button{cls}" aria-pressed="{pressed}" title="{title}">▲ <span '
        'class="vote-count">{upvotes}</span></button>'
        "</form>",
        pk=get("pk"),
        path=path,
        token=token or "",
        next=request.get_full_path() if request else "",
        cls=" voted" if voted else "",
        pressed="true" if voted else "false",
        title="Remove your upvote" if voted else "Upvote",
        upvotes=get("upvotes"),
    )


def _is_following(context, kind: str, value: str) -> bool:
    """Whether the viewer follows (kind, value); the viewer's follows load once per request."""
    if context.get("following_now") is not None:  # the follow view just changed it
        return bool(context["following_now"])
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    if not hasattr(request, "_community_follows"):
        request._community_follows = {(k, v) for k, values in follows_of(request.user).items() for v in values}
    return (kind, " ".join(value.split())) in request._community_follows


@register.simple_tag(takes_context=True)
def follow_button(context, kind: str, value: str, label: str = ""):
    """A Follow / Following button for an author, category or topic: a POST form that htmx
    swaps in place, a plain form post without JavaScript (signed-out readers are sent to sign
    in). `label` names the thing in the button's accessible name ("author Ada Lovelace")."""
    following = _is_following(context, kind, value)
    path = _follow_path("community:unfollow" if following else "community:follow")
    request = context.get("request")
    name = label or f"{kind} {value}"
    return format_html(
        '<form class="follow" method="post" action="{path}" hx-post="{path}" hx-target="this" hx-swap="outerHTML">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<input type="hidden" name="kind" value="{kind}"><input type="hidden" name="value" value="{value}">'
        '<input type="hidden" name="next" value="{next}">'
        '<button type="submit" class="follow-button{cls}" aria-pressed="{pressed}" aria-label="{aria}" title="{aria}">'
        "{text}</button>"
        "</form>",
        path=path,
        token=context.get("csrf_token") or "",
        kind=kind,
        value=value,
        next=request.get_full_path() if request else "",
        cls=" following" if following else "",
        pressed="true" if following else "false",
        aria=f"Stop following {name}" if following else f"Follow {name}",
        text="Following ✓" if following else "+ Follow",
    )


@lru_cache(maxsize=2)
def _follow_path(name: str) -> str:
    return reverse(name)
