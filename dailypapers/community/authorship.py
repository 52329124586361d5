"""Which authors a member is, once a claim is verified, and so which papers are theirs. The
one definition that profiles, link editing, badges and organisations read (claims.py writes
the claims). A claim is on a canonical author; the variants of its name (catalog.Author.canonical)
are the same person, so their papers count too."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dailypapers.catalog.models import Author, Paper, PaperAuthor
from dailypapers.community.models import AuthorClaim


def canonical_of(author: Author) -> Author:
    return author.canonical if author.canonical_id else author


def verified_author_ids(user) -> list[int]:
    """The canonical authors `user` holds verified claims on."""
    if user is None or not user.is_authenticated:
        return []
    return list(AuthorClaim.objects.filter(user=user, status=AuthorClaim.VERIFIED).values_list("author_id", flat=True))


def papers_of_authors(author_ids: list[int]) -> QuerySet:
    """Visible papers of these canonical authors or of any variant of their names."""
    if not author_ids:
        return Paper.objects.none()
    by_them = Q(authorships__author_id__in=author_ids) | Q(authorships__author__canonical_id__in=author_ids)
    return Paper.objects.visible().filter(pk__in=Paper.objects.filter(by_them).values("pk"))


def authored_papers(user) -> QuerySet:
    """The visible papers of the authors `user` is verified as."""
    return papers_of_authors(verified_author_ids(user))


def is_author_of(user, paper: Paper) -> bool:
    ids = verified_author_ids(user)
    return bool(ids) and papers_of_authors(ids).filter(pk=paper.pk).exists()


def verified_names(paper_id: int) -> dict[str, str]:
    """{name as the paper lists it: username} for the paper's authors that are verified; two queries."""
    rows = list(
        PaperAuthor.objects.filter(paper_id=paper_id).values_list("author__name", "author_id", "author__canonical_id")
    )
    canonical = {name: canonical_id or author_id for name, author_id, canonical_id in rows}
    if not canonical:
        return {}
    holders = dict(
        AuthorClaim.objects.filter(author_id__in=set(canonical.values()), status=AuthorClaim.VERIFIED).values_list(
            "author_id", "user__username"
        )
    )
    return {name: holders[author_id] for name, author_id in canonical.items() if author_id in holders}


def verified_user_ids(user_ids) -> set[int]:
    """Those of `user_ids` who hold a verified claim (comment badges, one query)."""
    return set(
        AuthorClaim.objects.filter(user_id__in=set(user_ids), status=AuthorClaim.VERIFIED).values_list(
            "user_id", flat=True
        )
    )
