"""Catalogue routes. `/papers/<id>` takes both id styles (new `2503.11731`, old
`hep-th/9901001`); any other spelling of an id (versioned, `arXiv:` prefixed) redirects to it."""

from django.urls import path, re_path

from . import views
from .arxiv_ids import URL_PATTERN

app_name = "catalog"
urlpatterns = [
    path("papers", views.feed_page, name="feed"),
    re_path(r"^papers/(?P<key>date|week|month)/(?P<value>[0-9W-]+)/?$", views.period_redirect, name="period"),
    re_path(rf"^papers/{URL_PATTERN}$", views.paper_page, name="paper"),
    re_path(r"^papers/(?P<text>(?:arXiv:|arxiv:)?[A-Za-z0-9./:-]+?)/?$", views.paper_redirect, name="paper_redirect"),
]
