"""Routes: each feature app contributes its own `urls.py`; order matters only where paths overlap
(the community's `/papers/trending` and `/papers/submit` come before the catalogue's
`/papers/<arxiv_id>`, whose pattern needs digits anyway). The catalogue's addresses (feeds, the
paper page) are answered by pages composed in web/, under the `catalog:` route names."""

from django.contrib import admin
from django.urls import include, path

from dailypapers.web.urls import catalog_urlpatterns

urlpatterns = [
    path("", include("dailypapers.ops.urls")),  # before admin/: it owns /admin/dashboard/
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),  # sign-up, login, email, password (community)
    path("", include("dailypapers.community.urls")),
    path("", include("dailypapers.alerts.urls")),
    path("", include("dailypapers.digest.urls")),
    path("", include("dailypapers.search.urls")),
    path("", include("dailypapers.api.urls")),
    path("", include(catalog_urlpatterns)),
    path("", include("dailypapers.web.urls")),
]

handler404 = "dailypapers.web.views.not_found"
