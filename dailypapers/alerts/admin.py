from django.contrib import admin

from dailypapers.alerts.models import SavedSearch, SavedSearchMatch, Webhook, WebhookDelivery


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "query", "mode", "category", "in_digest", "created_at")
    search_fields = ("name", "query", "user__username")
    exclude = ("vector",)


@admin.register(SavedSearchMatch)
class SavedSearchMatchAdmin(admin.ModelAdmin):
    list_display = ("saved_search", "paper", "kind", "reason", "matched_at")
    raw_id_fields = ("saved_search", "paper")


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("url", "format", "saved_search", "active", "consecutive_failures", "disabled_at")
    list_filter = ("active", "format")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("webhook", "paper", "state", "attempts", "next_attempt_at", "uncertain", "last_error")
    list_filter = ("state", "uncertain")
    raw_id_fields = ("webhook", "match", "paper")
