"""Template context every page gets: the site's public URL and name, and the week and month
of the latest featured day for the navigation links (one MAX over the featured_on index;
on a site whose papers stop in the past — an offline corpus — the links still lead to papers)."""

from django.conf import settings
from django.utils import timezone

from dailypapers.catalog.feed import latest_feed_day


def site(request):
    day = latest_feed_day() or timezone.localdate()
    year, week, _ = day.isocalendar()
    return {"site_name": "dailypapers", "base_url": settings.BASE_URL,
            "this_week": f"{year}-W{week:02d}", "this_month": f"{day:%Y-%m}"}
