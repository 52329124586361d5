"""Routes of the api app: the JSON API under /api/, feeds, Markdown and BibTeX exports,
and the token settings page."""

from django.urls import path

from dailypapers.api.ninja_api import api

app_name = "api"
urlpatterns = [
    path("api/", api.urls),
]
