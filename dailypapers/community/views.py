"""Community pages. Views stay thin: parse the request, call one function, render its data.

Every mutation is a POST behind Django's CSRF check; htmx requests get the fragment back,
plain form posts get a redirect, so the buttons work without JavaScript.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from dailypapers.catalog import clock
from dailypapers.catalog.arxiv_ids import InvalidArxivId, normalize_arxiv_id
from dailypapers.catalog.feed import latest_feed_day
from dailypapers.catalog.models import Paper
from dailypapers.catalog.text import NOT_ONE_LINE
from dailypapers.community.comments import (
    CommentRefused,
    comment_thread,
    delete_comment,
    edit_comment,
    post_comment,
    report_comment,
)
from dailypapers.community.follows import follow, unfollow
from dailypapers.community.foryou import CANDIDATE_DAYS, for_you
from dailypapers.community.members import NotAllowed, is_banned
from dailypapers.community.models import Comment
from dailypapers.community.opens import record_open
from dailypapers.community.orgs import member_organisations
from dailypapers.community.profiles import member_profile
from dailypapers.community.ranking import ranking_constants, trending_page
from dailypapers.community.refusals import Refused
from dailypapers.community.submissions import submit_paper
from dailypapers.community.taste_profile import stop_using, taste_profile, use_again
from dailypapers.community.templatetags.community import paper_url
from dailypapers.community.votes import cast_vote

FOLLOW_LABELS = {
    "author": "Authors",
    "category": "Categories",
    "topic": "Topics",
    "org": "Organisations",
    "keyword": "Keywords",
}


def _paper(arxiv_id: str) -> Paper:
    try:
        arxiv_id = normalize_arxiv_id(arxiv_id)
    except InvalidArxivId:
        arxiv_id = ""
    return get_object_or_404(Paper.objects.visible(), arxiv_id=arxiv_id)


def _refused(request, message: str, status: int):
    return render(request, "community/error.html", {"message": message}, status=status)


def _refusal(request, refusal: Refused):
    """A community refusal as a page, with the status its code has for the API too."""
    return _refused(request, str(refusal), refusal.status)


def _local_target(request, target: str) -> str | None:
    """`target` when it is a URL on this site that can go in a header (no CR/LF or other
    line breaks: an htmx upvote with CR/LF in `next` was a 500, BadHeaderError), else None."""
    if not target or NOT_ONE_LINE.search(target):
        return None
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else None


def _back(request, fallback: str):
    target = _local_target(request, request.POST.get("next") or request.GET.get("next") or "")
    return HttpResponseRedirect(target or fallback)


def _login_first(request):
    target = _local_target(request, request.POST.get("next") or "") or request.path
    login = f"{reverse('account_login')}?{urlencode({'next': target})}"
    if request.htmx:
        response = render(request, "community/error.html", {"message": "Sign in to do this."}, status=401)
        response["HX-Redirect"] = login
        return response
    return HttpResponseRedirect(login)


@require_GET
def trending(request):
    try:
        data = trending_page(window=request.GET.get("window", ""))
    except ValueError as exc:
        return _refused(request, str(exc), 400)
    # A card says its place in words: "#2 this week".
    data["window_label"] = {"day": "today", "week": "this week", "month": "this month"}.get(data["window"], "")
    # An empty top list points to the newest papers the site has (an offline corpus ends in the past).
    data["latest_day"] = latest_feed_day() if not data["papers"] else None
    return render(request, "community/trending.html", data)


@require_GET
def about_ranking(request):
    return render(request, "community/about_ranking.html", ranking_constants())


@require_POST
def vote(request, arxiv_id: str, up: bool):
    if not request.user.is_authenticated:
        return _login_first(request)
    paper = _paper(arxiv_id)
    try:
        result = cast_vote(user=request.user, paper_id=paper.pk, up=up)
    except Refused as exc:
        return _refusal(request, exc)
    if request.htmx:
        paper.upvotes = result["upvotes"]
        return render(request, "community/_vote.html", {"paper": paper, "voted_now": result["voted"]})
    return _back(request, paper_url(paper))


@login_required
def submit(request):
    context = {
        "text": request.POST.get("arxiv_id", ""),
        "comment": request.POST.get("comment", ""),
        "max_age_days": settings.SUBMISSION_MAX_AGE_DAYS,
        "per_day": settings.SUBMISSIONS_PER_MEMBER_PER_DAY,
        "organisations": member_organisations(request.user),
        "organisation": request.POST.get("organisation", ""),
    }
    if request.method == "POST":
        try:
            submission = submit_paper(
                user=request.user,
                text=context["text"],
                comment=context["comment"],
                organisation=context["organisation"],
            )
        except Refused as exc:
            context["error"] = str(exc)
            return render(request, "community/submit.html", context, status=exc.status)
        messages.success(request, f"{submission.paper.arxiv_id} is on today's feed. Thank you!")
        return redirect(reverse("community:discussion", kwargs={"arxiv_id": submission.paper.arxiv_id}))
    return render(request, "community/submit.html", context)


def discussion(request, arxiv_id: str):
    paper = _paper(arxiv_id)
    error, status = None, 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return _login_first(request)
        try:
            parent = request.POST.get("parent") or None
            comment = post_comment(
                user=request.user,
                paper=paper,
                body=request.POST.get("body", ""),
                parent_id=int(parent) if parent and parent.isdigit() else None,
            )
        except NotAllowed as exc:
            return _refusal(request, exc)
        except CommentRefused as exc:
            error, status = str(exc), exc.status
        else:
            return _back(request, f"{request.path}#comment-{comment.pk}")
    context = {
        "paper": paper,
        "thread": comment_thread(paper=paper),
        "error": error,
        "body": request.POST.get("body", ""),
    }
    return render(request, "community/discussion.html", context, status=status if error else 200)


def _comment_action(request, pk: int, action):
    if not request.user.is_authenticated:
        return _login_first(request)
    try:
        comment = action()
    except NotAllowed as exc:
        return _refusal(request, exc)
    except CommentRefused as exc:
        if exc.code != "not_found":
            raise  # an edit's text is refused on the edit page itself (comment_edit)
        return _refusal(request, exc)
    return comment


def comment_edit(request, pk: int):
    if request.method == "POST":
        try:
            result = _comment_action(
                request, pk, lambda: edit_comment(user=request.user, comment_id=pk, body=request.POST.get("body", ""))
            )
        except CommentRefused as exc:
            return render(
                request,
                "community/comment_edit.html",
                {"comment": get_object_or_404(Comment, pk=pk), "error": str(exc), "body": request.POST.get("body", "")},
                status=exc.status,
            )
        if not isinstance(result, Comment):
            return result
        return HttpResponseRedirect(
            reverse("community:discussion", kwargs={"arxiv_id": result.paper.arxiv_id}) + f"#comment-{pk}"
        )
    if not request.user.is_authenticated:
        return _login_first(request)
    comment = get_object_or_404(Comment, pk=pk, deleted=False)
    if comment.user_id != request.user.pk:
        return _refused(request, "you can only change your own comments", 403)
    return render(request, "community/comment_edit.html", {"comment": comment, "body": comment.body})


@require_POST
def comment_delete(request, pk: int):
    result = _comment_action(request, pk, lambda: delete_comment(user=request.user, comment_id=pk))
    if not isinstance(result, Comment):
        return result
    messages.info(request, "Comment deleted.")
    return HttpResponseRedirect(reverse("community:discussion", kwargs={"arxiv_id": result.paper.arxiv_id}))


@require_POST
def comment_report(request, pk: int):
    def report():
        report_comment(user=request.user, comment_id=pk, reason=request.POST.get("reason", ""))
        return Comment.objects.get(pk=pk)

    result = _comment_action(request, pk, report)
    if not isinstance(result, Comment):
        return result
    messages.info(request, "Thank you; the moderators will look at this comment.")
    return HttpResponseRedirect(
        reverse("community:discussion", kwargs={"arxiv_id": result.paper.arxiv_id}) + f"#comment-{pk}"
    )


@require_GET
def profile(request, username: str):
    data = member_profile(username=username, viewer=request.user)
    data["follow_groups"] = [
        {"kind": kind, "label": label, "values": data["follows"][kind]} for kind, label in FOLLOW_LABELS.items()
    ]
    return render(request, "community/profile.html", data)


@require_POST
def follow_change(request, on: bool):
    if not request.user.is_authenticated:
        return _login_first(request)
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
    try:
        (follow if on else unfollow)(user=request.user, kind=kind, value=value)
    except Refused as exc:
        return _refusal(request, exc)
    if request.htmx:
        return render(request, "community/_follow.html", {"kind": kind, "value": value, "following_now": on})
    return _back(request, reverse("community:profile", kwargs={"username": request.user.get_username()}))


@login_required
@require_GET
def for_you_page(request):
    today = clock.today()  # the newest listing day when the catalogue is behind the calendar
    data = for_you(user=request.user, today=today)
    # An empty feed says which papers it looked at, and whether the site has newer ones at all.
    data.update(
        banned=is_banned(request.user), since=today - dt.timedelta(days=CANDIDATE_DAYS), latest_day=latest_feed_day()
    )
    return render(request, "community/for_you.html", data)


@login_required
@require_GET
def taste_page(request):
    """ "What we think you like": the papers shaping the member's "for you", each removable."""
    return render(request, "community/taste.html", taste_profile(user=request.user))


@login_required
@require_POST
def taste_change(request, arxiv_id: str, use: bool):
    paper = _paper(arxiv_id)
    try:
        (use_again if use else stop_using)(user=request.user, paper=paper)
    except Refused as exc:
        return _refusal(request, exc)
    verb = "shapes your feed again" if use else "no longer shapes your feed"
    messages.success(request, f"“{paper.title[:80]}” {verb}.")
    return _back(request, reverse("community:taste"))


@require_GET
def digest_open(request, arxiv_id: str, token: str):
    """A paper link in a member's digest: note the open (opens.py), then show the paper."""
    paper = _paper(arxiv_id)
    record_open(token=token, paper=paper)
    return HttpResponseRedirect(paper_url(paper))
