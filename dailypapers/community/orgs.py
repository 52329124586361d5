"""Organisations: a lab, a company or a reading group with members and papers.

Site admins create them (Django admin, or /orgs/new). A member asks to join; an admin of the
organisation or of the site approves (the requester becomes a member) or refuses (the request
is dropped). Papers join an organisation two ways, as on Hugging Face: a member tags a paper
with it when submitting it (submissions.py), and the papers of a member's verified authors
(authorship.py) join every organisation they belong to, when the claim is verified, when the
membership is approved, and as new papers of theirs are ingested (signals.py).

The organisation's page, feed, digest and API all list its papers with `organisation_papers`.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from dailypapers.catalog.models import Paper, PaperAuthor
from dailypapers.catalog.pagecache import papers_changed
from dailypapers.catalog.text import NOT_ONE_LINE
from dailypapers.community.authorship import authored_papers
from dailypapers.community.members import NotAllowed, ensure_can_act
from dailypapers.community.models import AuthorClaim, Organisation, OrganisationMembership, OrganisationPaper
from dailypapers.community.refusals import Refused

SORTS = {
    # Newest listing first; NULLs (papers from a metadata file without dates) last on both databases.
    "newest": (F("listing_date").desc(nulls_last=True), F("published").desc(nulls_last=True), "-pk"),
    "trending": ("-hotness", "-pk"),
}
PAGE_SIZE = 30  # as many cards as a feed page
# /orgs/new is the admins' form, so no organisation may have that address.
RESERVED_SLUGS = {"new"}
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


class OrganisationRefused(Refused, ValueError):
    """An organisation's field or a membership request that cannot be accepted; names what."""


def _one_line(field: str, value: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if NOT_ONE_LINE.search(value):
        raise OrganisationRefused(f"{field}: one line of text without control characters")
    if len(value) > limit:
        raise OrganisationRefused(f"{field}: {len(value)} characters, the limit is {limit}")
    return value


def clean_url(field: str, url: str) -> str:
    """An http(s) URL of at most 500 characters, or ""; anything else is refused naming `field`."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 500:
        raise OrganisationRefused(f"{field}: {len(url)} characters, the limit is 500")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise OrganisationRefused(f"{field}: {url[:80]!r} is not an http or https URL") from None
    return url


def create_organisation(*, name: str, slug: str = "", description: str = "", url: str = "", creator=None):
    """A new organisation; its creator (a site admin) becomes its first admin."""
    name = _one_line("name", name, 200)
    if not name:
        raise OrganisationRefused("name: give the organisation a name")
    slug = slugify(slug or name)[:80]
    if not slug:
        raise OrganisationRefused("slug: letters or digits are needed for the address /orgs/<slug>")
    if slug in RESERVED_SLUGS:
        raise OrganisationRefused(f"slug: /orgs/{slug} is a page of the site; choose another", code="duplicate")
    description = (description or "").strip()
    if len(description) > 2000:
        raise OrganisationRefused(f"description: {len(description)} characters, the limit is 2000")
    try:
        with transaction.atomic():
            org = Organisation.objects.create(slug=slug, name=name, description=description, url=clean_url("url", url))
            if creator is not None:
                OrganisationMembership.objects.create(
                    organisation=org,
                    user=creator,
                    role=OrganisationMembership.ADMIN,
                    status=OrganisationMembership.APPROVED,
                    created_at=timezone.now(),
                    decided_at=timezone.now(),
                    decided_by=creator,
                )
    except IntegrityError:
        raise OrganisationRefused(f"slug: /orgs/{slug} is taken", code="duplicate") from None
    return org


def organisation(slug: str) -> Organisation:
    """The organisation at /orgs/<slug>, else Http404 (also for text that is no slug, such as
    a NUL byte, which PostgreSQL refuses to compare)."""
    if not SLUG.fullmatch(slug or ""):
        raise Http404(f"No organisation {slug[:80]!r}.")
    return get_object_or_404(Organisation, slug=slug)


def can_manage(user, org: Organisation) -> bool:
    """Site admins and the organisation's own admins approve members."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return OrganisationMembership.objects.filter(
        organisation=org, user=user, role=OrganisationMembership.ADMIN, status=OrganisationMembership.APPROVED
    ).exists()


def membership_of(user, org: Organisation) -> OrganisationMembership | None:
    if user is None or not user.is_authenticated:
        return None
    return OrganisationMembership.objects.filter(organisation=org, user=user).first()


def member_organisations(user) -> list[Organisation]:
    """The organisations `user` is an approved member of (the submit form offers them)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__status=OrganisationMembership.APPROVED
        ).order_by("name")
    )


def request_membership(*, user, org: Organisation) -> OrganisationMembership:
    """Ask to join; asking again changes nothing."""
    ensure_can_act(user)
    membership, _ = OrganisationMembership.objects.get_or_create(
        organisation=org, user=user, defaults={"created_at": timezone.now()}
    )
    return membership


def leave_organisation(*, user, org: Organisation) -> None:
    ensure_can_act(user)
    OrganisationMembership.objects.filter(organisation=org, user=user).delete()


def decide_membership(*, by, membership_id: int, approve: bool, role: str = "") -> OrganisationMembership | None:
    """Approve (as `role`, default member) or refuse (the request is dropped) a membership;
    only a site admin or an admin of that organisation may."""
    ensure_can_act(by)
    membership = OrganisationMembership.objects.select_related("organisation", "user").filter(pk=membership_id).first()
    if membership is None:
        raise OrganisationRefused(f"membership {membership_id}: no such request", code="not_found")
    if not can_manage(by, membership.organisation):
        raise NotAllowed(f"only admins of {membership.organisation.name} approve its members")
    if not approve:
        membership.delete()
        return None
    if role and role not in dict(OrganisationMembership.ROLES):
        raise OrganisationRefused(f"role: expected member or admin, got {role!r}")
    membership.status = OrganisationMembership.APPROVED
    membership.role = role or membership.role
    membership.decided_at, membership.decided_by = timezone.now(), by
    membership.save(update_fields=["status", "role", "decided_at", "decided_by"])
    tag_authored_papers(membership.user)
    return membership


def tag_paper(*, org: Organisation, paper: Paper, user=None, via: str = OrganisationPaper.SUBMISSION) -> bool:
    """Put a paper on an organisation's page; True when it is new there."""
    _, created = OrganisationPaper.objects.get_or_create(
        organisation=org, paper=paper, defaults={"added_by": user, "via": via, "created_at": timezone.now()}
    )
    return created


def tag_authored_papers(user, paper_ids: list[int] | None = None) -> int:
    """Add the papers of `user`'s verified authors (or those of them in `paper_ids`) to every
    organisation `user` is an approved member of. Returns the number of new links."""
    orgs = member_organisations(user)
    if not orgs:
        return 0
    papers = authored_papers(user)
    if paper_ids is not None:
        papers = papers.filter(pk__in=paper_ids)
    ids = list(papers.values_list("pk", flat=True))
    now = timezone.now()
    before = OrganisationPaper.objects.filter(organisation__in=orgs).count()
    OrganisationPaper.objects.bulk_create(
        [
            OrganisationPaper(
                organisation=org, paper_id=pk, added_by=user, via=OrganisationPaper.AUTHOR, created_at=now
            )
            for org in orgs
            for pk in ids
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    added = OrganisationPaper.objects.filter(organisation__in=orgs).count() - before
    if added:
        papers_changed()
    return added


def tag_new_papers_of_verified_authors(paper_ids: list[int]) -> int:
    """After an ingest batch: the new papers by verified authors join those members'
    organisations. One query when no member of an organisation is a verified author (the
    common case), so the ingest pays nothing for it."""
    claims = AuthorClaim.objects.filter(
        status=AuthorClaim.VERIFIED,
        user__org_memberships__status=OrganisationMembership.APPROVED,
    ).values_list("user_id", "author_id")
    authors_of_user: dict[int, set[int]] = {}
    for user_id, author_id in claims:
        authors_of_user.setdefault(user_id, set()).add(author_id)
    if not authors_of_user:
        return 0
    added = 0
    for user_id, author_ids in authors_of_user.items():
        by_them = PaperAuthor.objects.filter(paper_id__in=paper_ids).filter(
            Q(author_id__in=author_ids) | Q(author__canonical_id__in=author_ids)
        )
        ids = list(by_them.values_list("paper_id", flat=True).distinct())
        if ids:
            added += tag_authored_papers(get_user_model().objects.get(pk=user_id), paper_ids=ids)
    return added


def in_organisation(papers: QuerySet, slug: str) -> QuerySet:
    """Those of `papers` on the organisation's page (its feed, digest and API list the same)."""
    return papers.filter(pk__in=OrganisationPaper.objects.filter(organisation__slug=slug).values("paper_id"))


def organisation_papers(org: Organisation, *, sort: str = "newest") -> QuerySet:
    """The organisation's visible papers in `sort` order (newest or trending)."""
    if sort not in SORTS:
        raise OrganisationRefused(f"sort: expected one of {', '.join(SORTS)}, got {sort[:40]!r}")
    return in_organisation(Paper.objects.visible(), org.slug).order_by(*SORTS[sort])


def approved_members(org: Organisation) -> list[OrganisationMembership]:
    return list(
        org.memberships.filter(status=OrganisationMembership.APPROVED)
        .select_related("user")
        .order_by("role", "user__username")  # admins first ("admin" < "member")
    )


def organisations_with_counts() -> list[Organisation]:
    """Every organisation with `num_members` and `num_papers`, by name (the /orgs list)."""

    def count(queryset):
        return Coalesce(Subquery(queryset.values("organisation").annotate(n=Count("pk")).values("n")), 0)

    members = OrganisationMembership.objects.filter(organisation=OuterRef("pk"), status=OrganisationMembership.APPROVED)
    papers = OrganisationPaper.objects.filter(organisation=OuterRef("pk"), paper__hidden=False)
    return list(Organisation.objects.annotate(num_members=count(members), num_papers=count(papers)).order_by("name"))


def organisation_page(*, slug: str, sort: str = "newest", page: int = 1, viewer=None) -> dict:
    """One data function for /orgs/<slug> (and its JSON twin): the organisation, its members,
    its papers (a page of PAGE_SIZE in `sort` order), and for the viewer their membership and,
    for its admins, the requests to approve."""
    org = organisation(slug)
    papers = Paginator(organisation_papers(org, sort=sort), PAGE_SIZE)
    current = papers.get_page(page)
    manager = can_manage(viewer, org)
    return {
        "org": org,
        "sort": sort,
        "sorts": list(SORTS),
        "members": approved_members(org),
        "papers": list(current.object_list),
        "page": current.number,
        "num_pages": papers.num_pages,
        "num_papers": papers.count,
        "membership": membership_of(viewer, org),
        "can_manage": manager,
        "pending": list(
            org.memberships.filter(status=OrganisationMembership.PENDING).select_related("user").order_by("created_at")
        )
        if manager
        else [],
    }
