"""Prometheus metrics at `/metrics`.

Two kinds: per-process counters and histograms (requests, and latency per route: search
timings are the `search` and `api/papers/search` routes' histograms) that work across
gunicorn workers through prometheus_client's multiprocess mode (`serve` sets
PROMETHEUS_MULTIPROC_DIR), and gauges read from the database at scrape time (papers, upvotes,
ingest lag, subscribers, emails queued, sent and failed, worker queue depth, and the mail
budget left: how many more form-triggered mails the site sends this window).
"""

from __future__ import annotations

import os
import time

from django.db import DatabaseError, connection
from django.urls import Resolver404, resolve
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from dailypapers.catalog.limits import mail_budget_left

REQUESTS = Counter("dailypapers_requests_total", "HTTP requests served.", ["method", "route", "status"])
LATENCY = Histogram(
    "dailypapers_request_seconds",
    "Time to answer an HTTP request.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def _route(request) -> str:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return "unmatched"
    return match.route or match.view_name or "unknown"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        LATENCY.labels(route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        return response


def _scalar(sql: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


# Gauges read with one SQL aggregate each at scrape time: right whichever process or host did
# the work. `migrate` creates every table, so a failing query means the database is down or
# broken: then `dailypapers_database_up` is 0 and the other gauges are left out.
DATABASE_GAUGES = [
    ("dailypapers_papers", "Papers in the catalogue.", "SELECT COUNT(*) FROM catalog_paper"),
    ("dailypapers_upvotes", "Upvotes cast.", "SELECT COUNT(*) FROM community_vote"),
    (
        "dailypapers_subscribers_active",
        "Confirmed digest subscriptions.",
        "SELECT COUNT(*) FROM digest_subscription WHERE status = 'active'",
    ),
    (
        "dailypapers_emails_queued",
        "Digest emails waiting in the outbox (pending or being sent).",
        "SELECT COUNT(*) FROM digest_outboxmessage WHERE state IN ('pending', 'sending')",
    ),
    (
        "dailypapers_emails_sent",
        "Digest emails sent.",
        "SELECT COUNT(*) FROM digest_outboxmessage WHERE state = 'sent'",
    ),
    (
        "dailypapers_emails_failed",
        "Digest emails that failed for good.",
        "SELECT COUNT(*) FROM digest_outboxmessage WHERE state = 'failed'",
    ),
    ("dailypapers_jobs_queued", "Jobs waiting in the worker's queue.", "SELECT COUNT(*) FROM django_q_ormq"),
]


class DatabaseCollector:
    """Gauges computed from the database when Prometheus scrapes."""

    def collect(self):
        try:
            gauges = [
                GaugeMetricFamily(name, help_text, value=_scalar(sql)) for name, help_text, sql in DATABASE_GAUGES
            ]
            newest = _newest_paper_age()
            budget = mail_budget_left()
        except DatabaseError:
            yield GaugeMetricFamily("dailypapers_database_up", "Whether the scrape's database queries worked.", value=0)
            return
        yield GaugeMetricFamily("dailypapers_database_up", "Whether the scrape's database queries worked.", value=1)
        yield from gauges
        if newest is not None:
            yield GaugeMetricFamily(
                "dailypapers_ingest_lag_seconds", "Seconds since the newest paper was added.", value=newest
            )
        if budget is not None:
            left, limit = budget
            yield GaugeMetricFamily(
                "dailypapers_mail_budget_remaining",
                "Form-triggered mails (confirmations, sign-up, reset) the site still sends this window.",
                value=left,
            )
            yield GaugeMetricFamily(
                "dailypapers_mail_budget",
                "The site-wide budget of those mails per window (DAILYPAPERS_MAIL_BUDGET).",
                value=limit,
            )


def _newest_paper_age() -> float | None:
    from django.utils import timezone

    from dailypapers.catalog.models import Paper

    newest = Paper.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    return (timezone.now() - newest).total_seconds() if newest else None


def render_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
