"""Template context every page gets: the site's public URL and name, and the current week
and month for the navigation links (no database query: every page renders the nav)."""

from django.conf import settings
from django.utils import timezone


def site(request):
    today = timezone.localdate()
    year, week, _ = today.isocalendar()
    return {"site_name": "dailypapers", "base_url": settings.BASE_URL,
            "this_week": f"{year}-W{week:02d}", "this_month": f"{today:%Y-%m}"}
