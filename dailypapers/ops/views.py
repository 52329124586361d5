"""Operator endpoints: liveness, readiness, Prometheus metrics (loopback/allowed addresses only)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from dailypapers.catalog.clients import client_ip
from dailypapers.ops.health import readiness_report
from dailypapers.ops.metrics import render_metrics


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    ready, checks = readiness_report()
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


@never_cache
def metrics(request):
    # Metrics describe the deployment; only the scraper's addresses may read them (the client
    # address, so behind the proxy it is the scraper's, not nginx's 127.0.0.1).
    if client_ip(request) not in settings.METRICS_ALLOWED_IPS:
        raise Http404
    return HttpResponse(render_metrics(), content_type=CONTENT_TYPE_LATEST)


@staff_member_required
def dashboard(request):
    from dailypapers.ops.dashboard import dashboard_data

    return render(request, "ops/dashboard.html", {**admin.site.each_context(request), **dashboard_data()})
