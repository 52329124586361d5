from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "dailypapers.alerts"
    label = "alerts"
    verbose_name = "Alerts (saved searches and their deliveries)"
