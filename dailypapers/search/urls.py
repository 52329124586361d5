"""Search routes. Included before the catalogue's, so /papers/<id>/similar is ours."""

from django.urls import path, re_path

from dailypapers.catalog.arxiv_ids import URL_PATTERN

from . import views

app_name = "search"
urlpatterns = [
    path("search", views.search_page, name="search"),
    re_path(rf"^papers/{URL_PATTERN}/similar$", views.similar_fragment, name="similar"),
]
