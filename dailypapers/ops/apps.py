from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "dailypapers.ops"
    label = "ops"
    verbose_name = "Operations"
