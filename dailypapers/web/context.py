"""Template context every page gets: the site's public URL and name, whether it holds no papers
at all, and the week and month of the latest featured day for the navigation links (one MAX
over the featured_on index; on a site whose papers stop in the past — an offline corpus — the
links still lead to papers)."""

from django.conf import settings
from django.utils import timezone

from dailypapers.catalog.feed import latest_feed_day
from dailypapers.catalog.models import Paper


def site(request):
    latest = latest_feed_day()
    # No featured day: either an empty site (pages say how to load papers) or papers not yet
    # featured; one EXISTS tells them apart, only on such a site.
    site_empty = latest is None and not Paper.objects.exists()
    day = latest or timezone.localdate()
    year, week, _ = day.isocalendar()
    return {"site_name": "dailypapers", "base_url": settings.BASE_URL, "site_empty": site_empty,
            "this_week": f"{year}-W{week:02d}", "this_month": f"{day:%Y-%m}"}
