"""Organisation actions: join, leave, approve or refuse a request, and the site admins' form
for a new organisation. The organisation's page (/orgs/<slug>, paper cards) is composed in web/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dailypapers.community.orgs import (
    create_organisation,
    decide_membership,
    leave_organisation,
    organisation,
    request_membership,
)
from dailypapers.community.refusals import Refused
from dailypapers.community.views import _back, _login_first, _refusal


@require_POST
def join(request, slug: str):
    if not request.user.is_authenticated:
        return _login_first(request)
    org = organisation(slug)
    try:
        membership = request_membership(user=request.user, org=org)
    except Refused as exc:
        return _refusal(request, exc)
    if membership.status == membership.PENDING:
        messages.info(request, f"Your request to join {org.name} waits for one of its admins.")
    return _back(request, f"/orgs/{org.slug}")


@require_POST
def leave(request, slug: str):
    if not request.user.is_authenticated:
        return _login_first(request)
    org = organisation(slug)
    try:
        leave_organisation(user=request.user, org=org)
    except Refused as exc:
        return _refusal(request, exc)
    return _back(request, f"/orgs/{org.slug}")


@require_POST
def decide(request, pk: int, approve: bool):
    if not request.user.is_authenticated:
        return _login_first(request)
    try:
        membership = decide_membership(
            by=request.user, membership_id=pk, approve=approve, role=request.POST.get("role", "")
        )
    except Refused as exc:
        return _refusal(request, exc)
    if membership is not None:
        messages.success(request, f"{membership.user.get_username()} is now a {membership.role}.")
    return _back(request, "/orgs")


@staff_member_required
def new(request):
    fields = {key: request.POST.get(key, "") for key in ("name", "slug", "description", "url")}
    if request.method == "POST":
        try:
            org = create_organisation(**fields, creator=request.user)
        except Refused as exc:
            return render(request, "community/org_new.html", {**fields, "error": str(exc)}, status=exc.status)
        return redirect(f"/orgs/{org.slug}")
    return render(request, "community/org_new.html", fields)
