"""Site-wide views: the 404 page (wired as handler404 in dailypapers/urls.py)."""

from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "web/404.html", {"path": request.path}, status=404)
