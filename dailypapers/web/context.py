"""Template context every page gets: the site's public URL and name, the week and month of the
latest featured day for the navigation links (one MAX over the featured_on index; on a site
whose papers stop in the past — an offline corpus — the links still lead to papers), and
`latest_listing`: the newest listing day when the catalogue is behind the calendar, which the
site then treats as today (catalog/clock.py), so pages can say "latest listing: 1 July 2026",
and `site_empty`: no papers at all (an EXISTS, only on a site with no featured day).
`author_links`: this page's author names and their pages (catalog.author_links.AuthorLinks); a list
template resolves its cards' names in one query with `{% include "web/_author_links.html" %}`."""

from django.conf import settings

from dailypapers.catalog import clock
from dailypapers.catalog.author_links import AuthorLinks
from dailypapers.catalog.feed import latest_feed_day
from dailypapers.catalog.models import Paper
from dailypapers.catalog.windows import week_label


def site(request):
    latest = latest_feed_day()
    day = latest or clock.today()
    return {
        "site_name": "dailypapers",
        "base_url": settings.BASE_URL,
        "site_empty": latest is None and not Paper.objects.exists(),
        "this_week": week_label(day),
        "this_month": f"{day:%Y-%m}",
        "latest_listing": clock.catalogue_behind(),
        "author_links": AuthorLinks(),
    }
