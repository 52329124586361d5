"""The community's tables: votes, submissions, comments and their reports, follows, curation
rules, the member standing (banned or not) that every action checks, authorship claims and
organisations.

Counters shown on lists (Paper.upvotes, Paper.num_comments, Paper.hotness) are derived from
these tables by the functions in `votes.py` and `comments.py`, in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dailypapers.catalog.models import Author, Paper

USER = settings.AUTH_USER_MODEL


class Member(models.Model):
    """What the community knows about an account beyond allauth's: standing and a short bio."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="member")
    bio = models.CharField(max_length=300, blank=True)
    banned = models.BooleanField(
        default=False, help_text="A banned member can read but not vote, submit, comment or report."
    )
    ban_reason = models.CharField(max_length=200, blank=True)
    # Part of the signed "for you" feed URL; a new one (settings/tokens) retires every old URL.
    feed_key = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({'banned' if self.banned else 'member'})"


class Vote(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="votes")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="vote_one_per_member")]
        indexes = [models.Index(fields=["paper", "created_at"], name="vote_paper_time")]


class Submission(models.Model):
    """A member put a paper on the daily feed. One per paper: a second is a duplicate."""

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="submission")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="submissions")
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="submission_user_time")]


class Comment(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="comments")
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(help_text="Markdown as written.")
    body_html = models.TextField(help_text="Rendered and sanitised; rebuilt on every edit.")
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(
        default=False, help_text="Deleted by its author: shown as [deleted] when it has replies."
    )
    hidden = models.BooleanField(default=False, help_text="Hidden by a moderator.")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["paper", "created_at"], name="comment_paper_time"),
            models.Index(fields=["user", "created_at"], name="comment_user_time"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} by {self.user} on {self.paper.arxiv_id}"

    @property
    def visible(self) -> bool:
        return not (self.deleted or self.hidden)


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="comment_reports")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    resolved = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="report_once_per_member")]


class Follow(models.Model):
    """A member follows an author (name), a category (cs.CL), a topic (a saved search), an
    organisation (its slug) or a keyword (a topic page's: papers that carry it, catalog/matching.py)."""

    AUTHOR, CATEGORY, TOPIC, ORG, KEYWORD = "author", "category", "topic", "org", "keyword"
    KINDS = [(AUTHOR, "author"), (CATEGORY, "category"), (TOPIC, "topic"), (ORG, "organisation"), (KEYWORD, "keyword")]

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=16, choices=KINDS)
    value = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "value"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.kind} {self.value}"


class CurationRule(models.Model):
    """Feature newly ingested papers automatically: by category, by topic (saved search), by author.

    While no active rule exists, every ingested paper is featured (settings.FEATURE_ALL_INGESTED).
    """

    CATEGORY, TOPIC, AUTHOR = "category", "topic", "author"
    KINDS = [(CATEGORY, "category (e.g. cs.CL)"), (TOPIC, "topic: every word of a search"), (AUTHOR, "author name")]

    kind = models.CharField(max_length=16, choices=KINDS)
    value = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="curationrule_once")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class AuthorClaim(models.Model):
    """A member says "this is me" for an author (its canonical row). Verified by an ORCID login
    whose works list one of the author's papers, or by an admin in the moderation queue
    (community/claims.py). At most one member holds a verified claim on an author."""

    PENDING, VERIFIED, REJECTED = "pending", "verified", "rejected"
    STATUSES = [(PENDING, "pending"), (VERIFIED, "verified"), (REJECTED, "rejected")]
    ORCID, ADMIN = "orcid", "admin"
    METHODS = [(ORCID, "ORCID works list"), (ADMIN, "an admin")]

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="author_claims")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="claims")
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    method = models.CharField(max_length=10, choices=METHODS, blank=True, help_text="How it was verified.")
    orcid = models.CharField(max_length=19, blank=True, help_text="The ORCID iD whose works were checked.")
    note = models.CharField(max_length=300, blank=True, help_text="What the last check found, shown to the member.")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "author"], name="claim_once_per_member"),
            models.UniqueConstraint(
                fields=["author"], condition=models.Q(status="verified"), name="claim_one_verified_per_author"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="claim_queue")]

    def __str__(self) -> str:
        return f"{self.user} claims {self.author} ({self.status})"


class ProfileHiddenPaper(models.Model):
    """A verified author keeps one of their papers off their profile (it stays on the site)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="hidden_profile_papers")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="profile_hide_once")]


class PaperLinkChange(models.Model):
    """Who set a paper's code or project link, what it was before and when: the record behind
    every link a verified author edits (community/claims.py set_paper_links)."""

    CODE, PROJECT = "code_url", "project_url"
    FIELDS = [(CODE, "code"), (PROJECT, "project page")]

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="link_changes")
    user = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="paper_link_changes")
    field = models.CharField(max_length=16, choices=FIELDS)
    old_url = models.URLField(max_length=500, blank=True)
    new_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["paper", "created_at"], name="linkchange_paper_time")]


class Organisation(models.Model):
    """A lab, a company or a reading group: members, and the papers they tag with it."""

    slug = models.SlugField(max_length=80, unique=True, help_text="The page's address: /orgs/<slug>.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    url = models.URLField(max_length=500, blank=True, help_text="The organisation's own site.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(models.Model):
    """A member's request to join an organisation; an admin of it (or of the site) approves it."""

    MEMBER, ADMIN = "member", "admin"
    ROLES = [(MEMBER, "member"), (ADMIN, "admin")]
    PENDING, APPROVED = "pending", "approved"
    STATUSES = [(PENDING, "pending"), (APPROVED, "approved")]

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="org_memberships")
    role = models.CharField(max_length=8, choices=ROLES, default=MEMBER)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.role}, {self.status})"


class OrganisationPaper(models.Model):
    """A paper of an organisation: tagged by a member when submitting it, or a paper of one of
    its members' verified authors."""

    SUBMISSION, AUTHOR, ADMIN = "submission", "author", "admin"
    VIA = [(SUBMISSION, "tagged when submitted"), (AUTHOR, "by a verified author"), (ADMIN, "by an admin")]

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="paper_links")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="organisation_links")
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    via = models.CharField(max_length=10, choices=VIA)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "paper"], name="orgpaper_once")]
        indexes = [models.Index(fields=["paper"], name="orgpaper_by_paper")]


class TasteModel(models.Model):
    """A member's "for you" model (community/taste.py): a linear classifier over paper
    embeddings, trained from their signals. Derived data: rebuilt whenever `fingerprint`
    (a hash of the signals it was trained on) no longer matches the member's signals."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="taste_model")
    embedder = models.CharField(max_length=64, help_text="The embedding model whose vectors the weights apply to.")
    weights = models.BinaryField(help_text="float32 little-endian, one per embedding dimension.")
    bias = models.FloatField(default=0.0)
    fingerprint = models.CharField(max_length=64)
    positives = models.PositiveIntegerField(default=0)
    negatives = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"taste of {self.user} ({self.positives}+/{self.negatives}-)"


class DigestOpen(models.Model):
    """A member opened a paper from one of their digests (community/opens.py): a signal for
    "for you". Only member, paper and when: no address, no browser, no count per click."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="digest_opens")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="digest_opens")
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="digestopen_once")]
        indexes = [models.Index(fields=["opened_at"], name="digestopen_by_time")]


class TasteMute(models.Model):
    """A paper the member removed from "what we think you like": it stays upvoted or saved,
    but no longer shapes their "for you" model."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="taste_mutes")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="taste_mutes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="tastemute_once")]
