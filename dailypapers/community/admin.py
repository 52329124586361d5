"""Moderation in the Django admin: hide comments, ban members, resolve reports, curation rules,
the queue of authorship claims, organisations and their membership requests."""

from __future__ import annotations

from django.contrib import admin, messages

from dailypapers.community.claims import ClaimRefused, decide_claim
from dailypapers.community.comments import set_comments_hidden
from dailypapers.community.models import (
    AuthorClaim,
    Comment,
    CommentReport,
    CurationRule,
    Follow,
    Member,
    Organisation,
    OrganisationMembership,
    OrganisationPaper,
    PaperLinkChange,
    Submission,
    Vote,
)
from dailypapers.community.orgs import decide_membership


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["user", "banned", "ban_reason"]
    list_filter = ["banned"]
    search_fields = ["user__username", "user__email"]
    actions = ["ban", "unban"]

    @admin.action(description="Ban selected members (they can read but not act)")
    def ban(self, request, queryset):
        queryset.update(banned=True)

    @admin.action(description="Lift the ban of selected members")
    def unban(self, request, queryset):
        queryset.update(banned=False)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "paper", "user", "created_at", "hidden", "deleted"]
    list_filter = ["hidden", "deleted"]
    search_fields = ["body", "user__username", "paper__arxiv_id"]
    raw_id_fields = ["paper", "user", "parent"]
    readonly_fields = ["body_html"]
    actions = ["hide", "unhide"]

    @admin.action(description="Hide selected comments")
    def hide(self, request, queryset):
        set_comments_hidden(list(queryset.values_list("pk", flat=True)), True)

    @admin.action(description="Show selected comments again")
    def unhide(self, request, queryset):
        set_comments_hidden(list(queryset.values_list("pk", flat=True)), False)


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "user", "reason", "created_at", "resolved"]
    list_filter = ["resolved"]
    raw_id_fields = ["comment", "user"]
    actions = ["hide_comments"]

    @admin.action(description="Hide the reported comments and resolve the reports")
    def hide_comments(self, request, queryset):
        set_comments_hidden(list(queryset.values_list("comment_id", flat=True)), True)
        queryset.update(resolved=True)


@admin.register(CurationRule)
class CurationRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "active", "created_at"]
    list_filter = ["kind", "active"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["paper", "user", "created_at"]
    raw_id_fields = ["paper", "user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "value"]
    list_filter = ["kind"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["user", "paper", "created_at"]
    raw_id_fields = ["paper", "user"]


@admin.register(AuthorClaim)
class AuthorClaimAdmin(admin.ModelAdmin):
    """The moderation queue of claims ORCID did not verify: filter on pending, then act."""

    list_display = ["author", "user", "status", "method", "orcid", "note", "created_at"]
    list_filter = ["status", "method"]
    search_fields = ["author__name", "user__username", "orcid"]
    raw_id_fields = ["author", "user", "decided_by"]
    readonly_fields = ["decided_at", "decided_by"]
    actions = ["verify", "reject"]

    @admin.action(description="Verify selected claims (the member is this author)")
    def verify(self, request, queryset):
        for claim in queryset.select_related("author", "user"):
            try:
                decide_claim(claim=claim, by=request.user, approve=True)
            except ClaimRefused as exc:
                self.message_user(request, str(exc), level=messages.WARNING)

    @admin.action(description="Reject selected claims")
    def reject(self, request, queryset):
        for claim in queryset.select_related("author", "user"):
            decide_claim(claim=claim, by=request.user, approve=False)


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    raw_id_fields = ["user", "decided_by"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "role", "status", "created_at"]
    list_filter = ["status", "role"]
    raw_id_fields = ["user", "decided_by"]
    actions = ["approve"]

    @admin.action(description="Approve selected requests (as members)")
    def approve(self, request, queryset):
        for membership in queryset:
            decide_membership(by=request.user, membership_id=membership.pk, approve=True)


@admin.register(OrganisationPaper)
class OrganisationPaperAdmin(admin.ModelAdmin):
    list_display = ["organisation", "paper", "via", "added_by", "created_at"]
    list_filter = ["via"]
    raw_id_fields = ["paper", "added_by"]


@admin.register(PaperLinkChange)
class PaperLinkChangeAdmin(admin.ModelAdmin):
    list_display = ["paper", "field", "old_url", "new_url", "user", "created_at"]
    raw_id_fields = ["paper", "user"]
