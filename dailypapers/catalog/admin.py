from django.contrib import admin

from dailypapers.catalog.models import Author, Paper
from dailypapers.catalog.pagecache import papers_changed


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["arxiv_id", "title", "primary_category", "listing_date", "featured_on", "upvotes", "hidden"]
    list_filter = ["hidden", "primary_category"]
    search_fields = ["arxiv_id", "title", "authors_text"]
    date_hierarchy = "listing_date"
    actions = ["hide", "unhide"]

    @admin.action(description="Hide selected papers")
    def hide(self, request, queryset):
        queryset.update(hidden=True)
        papers_changed()

    @admin.action(description="Show selected papers again")
    def unhide(self, request, queryset):
        queryset.update(hidden=False)
        papers_changed()


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    search_fields = ["name"]
