"""The site's own pages: the home page (the latest day's feed)."""

from django.urls import path

from dailypapers.catalog.views import feed_page

app_name = "web"
urlpatterns = [
    path("", feed_page, name="home"),
]
