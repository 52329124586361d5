from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "dailypapers.digest"
    label = "digest"
