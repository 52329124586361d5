from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from dailypapers.ops.health import readiness_report


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    ready, checks = readiness_report()
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)
