"""Digest pages: thin views over `subscriptions`, `bounces` and `rendering`.

- /subscribe answers the same page whatever the address's state (no enumeration).
- /subscribe/confirm/<token> and /unsubscribe/<token>: GET only shows a page with a button,
  so link scanners change nothing; POST acts. The unsubscribe POST is RFC 8058 one-click:
  no login, no CSRF token (the signed token is the credential), 200 without a redirect.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dailypapers.catalog.clients import client_ip
from dailypapers.catalog.windows import parse_day
from dailypapers.digest import bounces, subscriptions
from dailypapers.digest.content import PaperPicker, default_edition_date
from dailypapers.digest.models import Edition, Subscription
from dailypapers.digest.rendering import digest_data
from dailypapers.digest.subscriptions import MailLimitReached, SubscriptionError

log = logging.getLogger("dailypapers.digest")


def _form_context(request, *, values=None, error=None) -> dict:
    values = values or {"frequency": Subscription.DAILY, "kind": Subscription.TRENDING, "value": "", "email": ""}
    return {"values": values, "error": error, "frequencies": Subscription.FREQUENCIES, "kinds": Subscription.KINDS}


@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        values = {
            "frequency": request.GET.get("frequency", Subscription.DAILY),
            "kind": request.GET.get("kind", Subscription.TRENDING),
            "value": request.GET.get("value", "")[:200],
            "email": request.user.email if request.user.is_authenticated else "",
        }
        return render(request, "digest/subscribe.html", _form_context(request, values=values))
    values = {key: request.POST.get(key, "") for key in ("email", "frequency", "kind", "value")}
    try:
        subscriptions.request_subscription(user=request.user, client=client_ip(request), request=request, **values)
    except SubscriptionError as exc:
        return render(request, "digest/subscribe.html", _form_context(request, values=values, error=exc), status=400)
    except MailLimitReached as exc:
        error = SubscriptionError("email", str(exc))
        response = render(
            request, "digest/subscribe.html", _form_context(request, values=values, error=error), status=exc.status
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    # Same answer for new, pending, active and suppressed addresses.
    return render(request, "digest/check_inbox.html", {})


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    if request.method == "GET":
        return render(request, "digest/confirm.html", {"token": token})
    subscription = subscriptions.confirm_subscription(token)
    if subscription is None:
        return render(request, "digest/link_invalid.html", {"what": "confirmation"}, status=400)
    return render(
        request,
        "digest/confirmed.html",
        {"subscription": subscription, "manage_token": subscriptions.link_token(subscription)},
    )


@csrf_exempt  # RFC 8058: mail clients POST without a CSRF token; the signed token authorises.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscription = subscriptions.subscription_for_token(token)
    if subscription is None:
        return render(request, "digest/link_invalid.html", {"what": "unsubscribe"}, status=404)
    if request.method == "GET":
        return render(request, "digest/unsubscribe.html", {"subscription": subscription, "token": token})
    everything = request.POST.get("everything") == "1"
    subscriptions.unsubscribe(subscription, everything=everything)
    return render(
        request,
        "digest/unsubscribed.html",
        {"subscription": subscription, "everything": everything, "manage_token": token},
    )


@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    subscription = subscriptions.subscription_for_token(token)
    if subscription is None:
        return render(request, "digest/link_invalid.html", {"what": "manage"}, status=404)
    error, saved = None, False
    if request.method == "POST":
        try:
            subscriptions.update_preferences(
                subscription,
                frequency=request.POST.get("frequency", ""),
                kind=request.POST.get("kind", ""),
                value=request.POST.get("value", ""),
            )
            saved = True
        except SubscriptionError as exc:
            error = exc
    data = subscriptions.manage_data(subscription)
    return render(
        request,
        "digest/manage.html",
        {**data, "token": token, "error": error, "saved": saved},
        status=400 if error else 200,
    )


@staff_member_required
def preview(request):
    """The operator's preview: ?kind=daily|weekly&date=YYYY-MM-DD and either ?subscription=<id>
    or ?what=trending|topic|category|author&value=…; &format=text shows the plain-text part."""
    kind = request.GET.get("kind", Subscription.DAILY)
    try:
        date = parse_day(request.GET["date"]) if request.GET.get("date") else default_edition_date(kind)
        if kind not in {Subscription.DAILY, Subscription.WEEKLY}:
            raise ValueError("kind: expected daily or weekly")
        if request.GET.get("subscription"):
            subscription = Subscription.objects.get(pk=int(request.GET["subscription"]))
        else:
            frequency, what, value = subscriptions.clean_choice(
                frequency=kind,
                kind=request.GET.get("what", Subscription.TRENDING),
                value=request.GET.get("value", ""),
                user=request.user,
            )
            subscription = Subscription(
                email="preview@example.org", frequency=frequency, kind=what, value=value, user=request.user
            )
    except (ValueError, Subscription.DoesNotExist) as exc:
        return HttpResponse(f"Bad preview request: {exc}", status=400, content_type="text/plain")
    edition = Edition(kind=kind, date=date)
    data = digest_data(
        subscription=subscription, edition=edition, paper_ids=PaperPicker(kind=kind, date=date).paper_ids(subscription)
    )
    template = "digest/email/digest.txt" if request.GET.get("format") == "text" else "digest/email/digest.html"
    response = render(
        request, template, data, content_type="text/plain; charset=utf-8" if template.endswith(".txt") else None
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # called by the mail provider with a shared secret, not by a browser
@require_POST
def bounce_webhook(request):
    secret = settings.DIGEST_BOUNCE_WEBHOOK_SECRET
    given = request.headers.get("X-Webhook-Secret", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "missing or wrong X-Webhook-Secret header"}, status=403)
    try:
        events = bounces.parse_events(json.loads(request.body or b"null"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return JsonResponse({"error": f"body: not JSON ({exc})"}, status=400)
    except RecursionError:  # JSON nested 5,000 deep was a 500; a real event list is 2 levels deep
        return JsonResponse({"error": "body: JSON nested too deeply"}, status=400)
    except SubscriptionError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    suppressed = [event["email"] for event in events if bounces.record_event(**event)]
    return JsonResponse({"received": len(events), "suppressed": suppressed})
