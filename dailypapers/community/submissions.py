"""Submitting a paper to today's feed: a member pastes an arXiv id or URL.

The paper is fetched through the ingest code when the catalogue lacks it, then featured on
today's feed ("Submitted by <member>") with the member's optional note. Rules, each a
setting, each refusing with a message that names it:
- the first version is at most SUBMISSION_MAX_AGE_DAYS old;
- a member submits at most SUBMISSIONS_PER_MEMBER_PER_DAY papers a day (UTC);
- no duplicates: a paper is submitted once.
A member may tag the paper with one of their organisations (orgs.py), as on Hugging Face.
"""

from __future__ import annotations

import datetime as dt

import arxiv
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from dailypapers.catalog import clock
from dailypapers.catalog.arxiv_ids import InvalidArxivId, normalize_arxiv_id
from dailypapers.catalog.models import Paper
from dailypapers.catalog.pagecache import papers_changed
from dailypapers.catalog.wire import first_version_day
from dailypapers.community.members import ensure_can_act
from dailypapers.community.models import Organisation, OrganisationMembership, Submission
from dailypapers.community.orgs import tag_paper
from dailypapers.community.refusals import Refused
from dailypapers.community.votes import refresh_paper_counters
from dailypapers.ingest.records import RecordError
from dailypapers.ingest.sources.arxiv_api import fetch_ids
from dailypapers.ingest.upsert import upsert_records


class SubmissionRefused(Refused, ValueError):
    """A submission rule refused the paper; the message says which and why."""


def fetch_paper(arxiv_id: str) -> Paper | None:
    """Fetch one paper from arXiv into the catalogue with the ingest app's arXiv API source and
    its idempotent upsert (which also sends `papers_ingested`, so curation rules see the paper
    like any other); None when arXiv has no such paper. Community may import ingest for this
    one purpose (docs/community.md, "Submissions")."""
    try:
        records = [item for item in fetch_ids([arxiv_id]) if not isinstance(item, RecordError)]
        if not records:
            return None
        upsert_records(records)
    except (OSError, arxiv.ArxivError) as exc:  # requests' errors are OSErrors
        raise SubmissionRefused(
            f"arXiv did not answer for {arxiv_id} ({type(exc).__name__}); try again in a few minutes",
            code="upstream_unavailable",
        ) from None
    return Paper.objects.filter(arxiv_id=arxiv_id).first()


def submit_paper(
    *, user, text: str, comment: str = "", organisation: str = "", now: dt.datetime | None = None
) -> Submission:
    """Feature the paper `text` names; `organisation` (a slug, optional) tags it with one of
    the member's organisations."""
    ensure_can_act(user)
    now = now or timezone.now()
    # The site's today (catalog/clock.py): on a catalogue that stopped months ago (an offline
    # corpus) its papers are as old as their newest listing day says, not as the calendar says.
    calendar_day = now.astimezone(dt.UTC).date()
    today = clock.today(calendar_day)
    try:
        arxiv_id = normalize_arxiv_id(text)
    except InvalidArxivId:
        raise SubmissionRefused(
            f"arXiv id: {text.strip()[:100]!r} is neither an arXiv id (2503.11731) nor an arxiv.org URL"
        ) from None
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise SubmissionRefused(f"comment: {len(comment)} characters, the limit is 500")

    org = _member_organisation(user, organisation)

    day_start = dt.datetime.combine(calendar_day, dt.time(0, 0), tzinfo=dt.UTC)  # a limit per real day
    submitted_today = Submission.objects.filter(user=user, created_at__gte=day_start).count()
    if submitted_today >= settings.SUBMISSIONS_PER_MEMBER_PER_DAY:
        raise SubmissionRefused(
            f"daily limit: you have submitted {submitted_today} papers today, "
            f"the limit is {settings.SUBMISSIONS_PER_MEMBER_PER_DAY} a day; try again tomorrow (UTC)",
            code="rate_limited",
        )
    existing = Submission.objects.filter(paper__arxiv_id=arxiv_id).select_related("user").first()
    if existing:
        raise _duplicate(arxiv_id, existing)

    paper = Paper.objects.filter(arxiv_id=arxiv_id).first() or fetch_paper(arxiv_id)
    if paper is None:
        raise SubmissionRefused(f"arXiv id: arXiv has no paper {arxiv_id}", code="not_found")
    if paper.hidden:
        raise SubmissionRefused(f"{arxiv_id} was removed by the moderators and cannot be submitted", code="removed")
    first_day = first_version_day(paper)
    if first_day is None:
        raise SubmissionRefused(
            f"age: arXiv gives no submission date for {arxiv_id}, so its age cannot be checked", code="too_old"
        )
    age_days = (today - first_day).days
    if age_days > settings.SUBMISSION_MAX_AGE_DAYS:
        raise SubmissionRefused(
            f"too old: the first version of {arxiv_id} is from {first_day.isoformat()} ({age_days} days ago); "
            f"papers can be submitted up to {settings.SUBMISSION_MAX_AGE_DAYS} days after their first version",
            code="too_old",
        )

    try:
        with transaction.atomic():
            submission = Submission.objects.create(paper=paper, user=user, comment=comment, created_at=now)
            reason = f"Submitted by {user.get_username()}"[:200]
            Paper.objects.filter(pk=paper.pk).update(featured_on=today, featured_reason=reason)
            if org is not None:
                tag_paper(org=org, paper=paper, user=user)
            papers_changed()
    except IntegrityError:
        raise _duplicate(arxiv_id, Submission.objects.select_related("user").get(paper=paper)) from None
    refresh_paper_counters([paper.pk])  # a new featured day moves its trending key
    return submission


def _member_organisation(user, slug: str) -> Organisation | None:
    slug = (slug or "").strip()
    if not slug:
        return None
    org = Organisation.objects.filter(
        slug=slug, memberships__user=user, memberships__status=OrganisationMembership.APPROVED
    ).first()
    if org is None:
        raise SubmissionRefused(f"organisation: you are not a member of {slug[:80]!r}", code="forbidden")
    return org


def _duplicate(arxiv_id: str, existing: Submission) -> SubmissionRefused:
    return SubmissionRefused(
        f"duplicate: {arxiv_id} was already submitted by {existing.user.get_username()} "
        f"on {existing.created_at.date().isoformat()}",
        code="duplicate",
    )
