from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "web/404.html", status=404)
