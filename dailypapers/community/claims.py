"""Claiming authorship: a member says "this is me" for an author, and the claim is verified.

States of an AuthorClaim (one per member and author; at most one verified per author):

    claim_author ──> pending ──(ORCID works list a paper of the author)──> verified
                        │  └──(an admin approves, moderation queue)──────> verified
                        └──(an admin rejects)──> rejected (the member may not claim again)

ORCID: the member signs in with ORCID (allauth's ORCID provider, so the iD is theirs, not
typed), and the public works list of that iD (community/orcid.py) must name one of the
author's papers by arXiv id or arXiv DOI. A claim that ORCID does not verify waits for an admin
(admin → Community → Author claims, actions "Verify" / "Reject").

A verified author: their papers show on their profile (each can be hidden from it), their
name carries a "verified author" badge on paper pages and comments, they set the code and
project links of their papers (set_paper_links, each change recorded), and their papers join
their organisations (orgs.py).
"""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount
from django.db import IntegrityError, transaction
from django.utils import timezone

from dailypapers.catalog.models import Author, Paper
from dailypapers.catalog.pagecache import papers_changed
from dailypapers.community.authorship import (
    authored_papers,
    canonical_of,
    is_author_of,
    papers_of_authors,
    verified_author_ids,
)
from dailypapers.community.members import NotAllowed, ensure_can_act
from dailypapers.community.models import AuthorClaim, PaperLinkChange, ProfileHiddenPaper
from dailypapers.community.orcid import OrcidUnavailable, arxiv_ids_of_works
from dailypapers.community.orgs import OrganisationRefused, clean_url, tag_authored_papers
from dailypapers.community.refusals import Refused


class ClaimRefused(Refused, ValueError):
    """The claim cannot be made: already verified for someone else, or rejected before."""


def claimed_by(author: Author):
    """The member verified as `author` (or as the canonical author it is a variant of), or None."""
    claim = (
        AuthorClaim.objects.filter(author=canonical_of(author), status=AuthorClaim.VERIFIED)
        .select_related("user")
        .first()
    )
    return claim.user if claim else None


def claim_of(user, author: Author) -> AuthorClaim | None:
    if user is None or not user.is_authenticated:
        return None
    return AuthorClaim.objects.filter(user=user, author=canonical_of(author)).first()


def orcid_of(user) -> str:
    """The ORCID iD of the member's ORCID login, "" when they have none."""
    uid = SocialAccount.objects.filter(user=user, provider="orcid").values_list("uid", flat=True).first()
    return uid or ""


def claim_author(*, user, author: Author) -> AuthorClaim:
    """Claim `author` (its canonical row) for `user`, and verify it at once by ORCID when the
    member signed in with ORCID. Claiming again re-checks ORCID."""
    ensure_can_act(user)
    author = canonical_of(author)
    holder = claimed_by(author)
    if holder is not None and holder.pk != user.pk:
        raise ClaimRefused(f"{author.name} is already claimed by {holder.get_username()}", code="duplicate")
    try:
        with transaction.atomic():
            claim, _ = AuthorClaim.objects.get_or_create(
                user=user, author=author, defaults={"created_at": timezone.now()}
            )
    except IntegrityError:  # two tabs at once: the other made it
        claim = AuthorClaim.objects.get(user=user, author=author)
    if claim.status == AuthorClaim.REJECTED:
        raise ClaimRefused(f"your claim on {author.name} was rejected by an admin", code="forbidden")
    if claim.status == AuthorClaim.PENDING:
        verify_by_orcid(claim)
    return claim


def verify_by_orcid(claim: AuthorClaim) -> bool:
    """Check the claimant's ORCID works against the author's papers; verify on a match, else
    leave the claim pending with a note saying why."""
    orcid = orcid_of(claim.user)
    if not orcid:
        claim.note = "Sign in with ORCID to verify at once, or wait for an admin to verify this claim."
        claim.save(update_fields=["note"])
        return False
    try:
        works = arxiv_ids_of_works(orcid)
    except (OrcidUnavailable, ValueError) as exc:
        claim.orcid, claim.note = orcid[:19], f"{exc}; an admin will look at this claim, or try again later."[:300]
        claim.save(update_fields=["orcid", "note"])
        return False
    papers = papers_of_authors([claim.author_id])
    matched = sorted(papers.filter(arxiv_id__in=works).values_list("arxiv_id", flat=True))
    claim.orcid = orcid
    if not matched:
        claim.note = (
            f"The ORCID works of {orcid} ({len(works)} with an arXiv id) list none of "
            f"{claim.author.name}'s papers; an admin will look at this claim."
        )[:300]
        claim.save(update_fields=["orcid", "note"])
        return False
    _verify(claim, method=AuthorClaim.ORCID, by=None, note=f"ORCID {orcid} lists arXiv:{', '.join(matched[:5])}")
    return True


def decide_claim(*, claim: AuthorClaim, by, approve: bool) -> AuthorClaim:
    """The moderation queue's decision."""
    if approve:
        _verify(claim, method=AuthorClaim.ADMIN, by=by, note=f"Verified by {by.get_username()}")
    else:
        claim.status, claim.decided_at, claim.decided_by = AuthorClaim.REJECTED, timezone.now(), by
        claim.note = f"Rejected by {by.get_username()}"
        claim.save(update_fields=["status", "decided_at", "decided_by", "note"])
        papers_changed()  # a verified claim rejected later: its badges go
    return claim


def _verify(claim: AuthorClaim, *, method: str, by, note: str) -> None:
    try:
        with transaction.atomic():
            claim.status, claim.method, claim.note = AuthorClaim.VERIFIED, method, note[:300]
            claim.decided_at, claim.decided_by = timezone.now(), by
            claim.save(update_fields=["status", "method", "orcid", "note", "decided_at", "decided_by"])
            papers_changed()  # badges on paper pages
    except IntegrityError:
        claim.refresh_from_db()
        raise ClaimRefused(f"{claim.author.name} is already verified for another member", code="duplicate") from None
    tag_authored_papers(claim.user)


def set_profile_hidden(*, user, paper: Paper, hidden: bool) -> None:
    """Hide one of your papers from your profile, or show it again."""
    ensure_can_act(user)
    if not is_author_of(user, paper):
        raise NotAllowed(f"only a verified author of {paper.arxiv_id} can hide it from their profile")
    if hidden:
        ProfileHiddenPaper.objects.get_or_create(user=user, paper=paper)
    else:
        ProfileHiddenPaper.objects.filter(user=user, paper=paper).delete()


def set_paper_links(*, user, paper: Paper, code_url: str, project_url: str) -> list[PaperLinkChange]:
    """A verified author of `paper` sets its code and project links (empty clears one). Each
    change is recorded (PaperLinkChange: who, before, after, when). Anyone else: NotAllowed."""
    ensure_can_act(user)
    if not is_author_of(user, paper):
        raise NotAllowed(f"only a verified author of {paper.arxiv_id} can set its links")
    try:
        wanted = {"code_url": clean_url("code link", code_url), "project_url": clean_url("project link", project_url)}
    except OrganisationRefused as exc:
        raise ClaimRefused(str(exc)) from None
    now = timezone.now()
    with transaction.atomic():
        current = Paper.objects.select_for_update().get(pk=paper.pk)
        changes = [
            PaperLinkChange(
                paper=current, user=user, field=field, old_url=getattr(current, field), new_url=url, created_at=now
            )
            for field, url in wanted.items()
            if getattr(current, field) != url
        ]
        if changes:
            PaperLinkChange.objects.bulk_create(changes)
            Paper.objects.filter(pk=paper.pk).update(**wanted)
            papers_changed()
    for field, url in wanted.items():
        setattr(paper, field, url)
    return changes


def reapply_author_links(paper_ids: list[int]) -> int:
    """After an ingest batch updated these papers: put back the links their verified authors
    set, which the upsert overwrote with the ones it found in the new version's abstract and
    comment (an author's choice outranks the extractor's guess). One query when none was set.
    Returns the number of papers changed back."""
    latest: dict[int, dict[str, str]] = {}
    changes = PaperLinkChange.objects.filter(paper_id__in=paper_ids).order_by("created_at", "pk")
    for paper_id, field, url in changes.values_list("paper_id", "field", "new_url"):
        latest.setdefault(paper_id, {})[field] = url  # the newest change of each field wins
    restored = 0
    for paper_id, fields in latest.items():
        restored += Paper.objects.filter(pk=paper_id).exclude(**fields).update(**fields)
    if restored:
        papers_changed()
    return restored


def author_profile_papers(user, *, viewer=None, limit: int = 30) -> dict:
    """A verified author's papers for their profile, newest first, without those they hid
    (the member themself sees the hidden ones in a list of their own, to show them again)."""
    author_ids = verified_author_ids(user)
    if not author_ids:
        return {"authors": [], "papers": [], "hidden": [], "count": 0}
    hidden_ids = ProfileHiddenPaper.objects.filter(user=user).values("paper_id")
    papers = authored_papers(user).order_by("-listing_date", "-pk")
    shown = papers.exclude(pk__in=hidden_ids)
    own = viewer is not None and viewer.pk == user.pk
    return {
        "authors": list(Author.objects.filter(pk__in=author_ids).order_by("name")),
        "papers": list(shown[:limit]),
        "count": shown.count(),
        "hidden": list(papers.filter(pk__in=hidden_ids)[:limit]) if own else [],
    }
