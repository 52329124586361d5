from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "dailypapers.community"
    label = "community"
    verbose_name = "Community"

    def ready(self):
        from dailypapers.community import curation, signals  # noqa: F401  (connect the receivers)
