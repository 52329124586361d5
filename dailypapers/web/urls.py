"""The site's pages. The feeds and the paper page answer the catalogue's addresses, so their
route names stay `catalog:feed`, `catalog:paper` (Paper.get_absolute_url and every link use
them); `catalog_urlpatterns` is included under that namespace by dailypapers/urls.py.
`/papers/<id>` takes both id styles (new `2503.11731`, old `hep-th/9901001`); any other
spelling of an id (versioned, `arXiv:` prefixed) redirects to it."""

from django.urls import path, re_path

from dailypapers.catalog import views as catalog_views
from dailypapers.catalog.arxiv_ids import URL_PATTERN
from dailypapers.web import collections, saving, views

app_name = "web"
urlpatterns = [
    path("", views.feed_page, name="home"),
    path("api/docs", views.api_docs, name="api_docs"),
    path("orgs", views.organisations_page, name="orgs"),
    path("orgs/<slug:slug>", views.organisation_page, name="org"),
    path("authors/<slug:slug>", views.author_page, name="author"),
    path("settings/digests", views.digests, name="digests"),
    path("topics/<str:keyword>", views.topic_page, name="topic"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("collections", collections.collections_page, name="collections"),
    path("collections/import", collections.collection_import, name="collection-import"),
    path("collections/<int:pk>", collections.collection_page, name="collection"),
    path("collections/<int:pk>/edit", collections.collection_edit, name="collection-edit"),
    path("collections/<int:pk>/delete", collections.collection_delete, name="collection-delete"),
    path("collections/<int:pk>/papers/<int:paper_pk>", collections.collection_item, name="collection-item"),
    re_path(rf"^library/{URL_PATTERN}/save$", saving.save, name="library-save"),
    re_path(rf"^library/{URL_PATTERN}/reading-state$", saving.reading_state, name="library-state"),
]

catalog_urlpatterns = (
    [
        path("papers", views.feed_page, name="feed"),
        re_path(
            r"^papers/(?P<key>date|week|month)/(?P<value>[0-9W-]+)/?$", catalog_views.period_redirect, name="period"
        ),
        re_path(rf"^papers/{URL_PATTERN}$", views.paper_page, name="paper"),
        re_path(
            r"^papers/(?P<text>(?:arXiv:|arxiv:)?[A-Za-z0-9./:-]+?)/?$",
            catalog_views.paper_redirect,
            name="paper_redirect",
        ),
    ],
    "catalog",
)
