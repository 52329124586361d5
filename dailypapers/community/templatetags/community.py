"""Template tags for the includes other apps' templates use: the vote button and the paper panel."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from dailypapers.catalog.models import Paper
from dailypapers.community.charts import upvote_chart
from dailypapers.community.comments import comment_thread
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
        "error": context.get("error"),  # a refused comment, shown above the form with its text kept
        "body": context.get("body", ""),
    }


@register.filter
def paper_url(paper) -> str:
    """The paper's page; its discussion page while the catalogue has no paper page route."""
    if isinstance(paper, dict):
        return paper["url"]
    try:
        return paper.get_absolute_url()
    except NoReverseMatch:
        return reverse("community:discussion", kwargs={"arxiv_id": paper.arxiv_id})
