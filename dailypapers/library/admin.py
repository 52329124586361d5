"""Collections and reading states in the Django admin, for curators answering a member's
question ("where did my saved papers go?"); members change their own on /collections."""

from django.contrib import admin

from dailypapers.library.models import Collection, CollectionItem, ReadingState


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    raw_id_fields = ["paper"]  # a select of 75,000 papers would not load
    extra = 0


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "visibility", "is_default", "updated_at"]
    list_filter = ["visibility", "is_default"]
    search_fields = ["name", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = ["share_token"]
    inlines = [CollectionItemInline]


@admin.register(ReadingState)
class ReadingStateAdmin(admin.ModelAdmin):
    list_display = ["user", "paper", "state", "updated_at"]
    list_filter = ["state"]
    raw_id_fields = ["user", "paper"]
