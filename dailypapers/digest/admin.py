"""Admin pages for operators: subscriptions, editions, the outbox (filter by state or
`uncertain` to see what a crash left), suppressions and bounce events."""

from django.contrib import admin

from dailypapers.digest.models import BounceEvent, Edition, OutboxMessage, Subscription, Suppression


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "kind", "value", "frequency", "status", "created_at", "confirmed_at")
    list_filter = ("status", "frequency", "kind")
    search_fields = ("email", "value")
    readonly_fields = ("token", "created_at", "confirmed_at", "unsubscribed_at")


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("kind", "date", "created_at", "built_at")
    list_filter = ("kind",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "edition",
        "subscription",
        "state",
        "attempts",
        "uncertain",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("state", "uncertain", "edition__kind")
    search_fields = ("subscription__email",)
    list_select_related = ("edition", "subscription")
    raw_id_fields = ("subscription", "edition")


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ("email", "reason", "created_at")
    list_filter = ("reason",)
    search_fields = ("email",)


@admin.register(BounceEvent)
class BounceEventAdmin(admin.ModelAdmin):
    list_display = ("email", "kind", "received_at", "detail")
    list_filter = ("kind",)
    search_fields = ("email",)
