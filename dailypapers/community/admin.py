"""Moderation in the Django admin: hide comments, ban members, resolve reports, curation rules."""

from __future__ import annotations

from django.contrib import admin

from dailypapers.community.comments import set_comments_hidden
from dailypapers.community.models import Comment, CommentReport, CurationRule, Follow, Member, Submission, Vote


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
