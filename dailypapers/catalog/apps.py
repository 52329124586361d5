from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "dailypapers.catalog"
    label = "catalog"
    verbose_name = "Catalogue"
