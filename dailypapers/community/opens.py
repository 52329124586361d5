"""Papers a member opens from their digests, a signal for "for you".

In a member's own digest each paper links to /papers/<id>/from-digest/<token>, which records
(member, paper, first time) and redirects to the paper's page. The token is the member and
paper ids signed with the site's secret (Django's Signer, its own salt), so nobody can record
an open for someone else or for another paper. What is kept is only that row: no address, no
browser, no time of later clicks, no tracking pixel; a member sees these papers on "what we
think you like" and can remove any of them. Digests to addresses without an account link
straight to the paper. A link with a bad or foreign token still leads to the paper and records
nothing, so an old or forwarded email never breaks. A mail provider's link scanner that follows
links also counts as an open: that is why an open weighs half a save (signals_of.WEIGHTS).
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from dailypapers.catalog.models import Paper
from dailypapers.catalog.site import absolute_url
from dailypapers.community.models import DigestOpen

_SALT = "dailypapers.community.digest-open"


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT, sep=".")


def open_url(*, user_id: int, paper: Paper) -> str:
    """The absolute URL a member's digest uses for `paper`."""
    token = _signer().sign(f"{user_id}-{paper.pk}")
    return absolute_url(reverse("community:digest_open", kwargs={"arxiv_id": paper.arxiv_id, "token": token}))


def record_open(*, token: str, paper: Paper) -> bool:
    """Record the member's first open of `paper`; False (nothing recorded) for a bad token."""
    try:
        user_id, paper_id = (int(part) for part in _signer().unsign(token).split("-"))
    except (signing.BadSignature, ValueError):
        return False
    if paper_id != paper.pk:
        return False
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    DigestOpen.objects.get_or_create(user=user, paper=paper, defaults={"opened_at": timezone.now()})
    return True
