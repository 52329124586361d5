"""Routes of the api app: the JSON API under /api/, RSS/Atom feeds under /feeds/, Markdown
and BibTeX exports of papers, searches, upvotes and collections, and the token settings page."""

from django.urls import path, re_path

from dailypapers.api import views
from dailypapers.api.feeds import FEEDS, atom
from dailypapers.api.ninja_api import api
from dailypapers.catalog.arxiv_ids import URL_PATTERN

app_name = "api"

_FEED_PATHS = {
    "daily": "feeds/daily",
    "trending": "feeds/trending",
    "category": "feeds/category/<str:category>",
    "author": "feeds/author/<str:name>",
    "org": "feeds/org/<slug:slug>",
    "topic": "feeds/topic/<str:keyword>",
    "author-page": "feeds/authors/<slug:slug>",
    "search": "feeds/search",
    "for-you": "feeds/for-you/<str:token>",
    "collection": "feeds/collection/<int:pk>",
    "saved": "feeds/saved/<str:token>",
}

urlpatterns = [
    path("api/", api.urls),
    re_path(rf"^papers/{URL_PATTERN}(?:v\d+)?\.md$", views.paper_markdown, name="paper-markdown"),
    re_path(rf"^papers/{URL_PATTERN}(?:v\d+)?\.bib$", views.paper_bibtex, name="paper-bibtex"),
    path("export/search.bib", views.search_bibtex, name="search-bibtex"),
    path("authors/<slug:slug>.bib", views.author_bibtex, name="author-bibtex"),
    path("export/upvotes.bib", views.upvotes_bibtex, name="upvotes-bibtex"),
    path("collections/<int:pk>.bib", views.collection_bibtex, name="collection-bibtex"),
    path("settings/tokens", views.token_settings, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke", views.revoke, name="token-revoke"),
    path("settings/tokens/feed/rotate", views.rotate_feed, name="feed-rotate"),
]
for _name, _path in _FEED_PATHS.items():
    urlpatterns += [
        path(f"{_path}.rss", FEEDS[_name](), name=f"feed-{_name}-rss"),
        path(f"{_path}.atom", atom(FEEDS[_name])(), name=f"feed-{_name}-atom"),
    ]
