"""Template context every page gets: the site's public URL and name."""

from django.conf import settings


def site(request):
    return {"site_name": "dailypapers", "base_url": settings.BASE_URL}
