"""Subscribing, double opt-in, preferences and leaving: plain functions the views call.

Rules kept here:
- `request_subscription` answers the same way whatever the address's state, so the form
  never reveals whether an address is subscribed; every path sends at most one email.
- Nothing is sent to a subscription before its confirmation link (signed, expiring) is used.
- An unsubscribed subscription stays unsubscribed until a fresh double opt-in; suppressed
  addresses (bounces, complaints, "unsubscribe from everything") get no digest at all.
- Every user-supplied field is refused if it holds a control character (CR/LF, C1 controls
  such as U+0085 NEL, U+2028/U+2029 included: catalog/text.py), so nothing a user types can
  become an email header.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dailypapers.catalog.limits import MAIL_SITE, hit, spend_mail
from dailypapers.catalog.site import absolute_url
from dailypapers.catalog.text import NOT_ONE_LINE
from dailypapers.community.models import Organisation
from dailypapers.digest import mail
from dailypapers.digest.models import Subscription, Suppression

log = logging.getLogger("dailypapers.digest")

CONFIRM_SALT = "dailypapers.digest.confirm"
LINK_SALT = "dailypapers.digest.link"
_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")


class MailLimitReached(RuntimeError):
    """The visitor's address (429) or the whole site (503) has asked for its mails this window."""

    def __init__(self, *, site_wide: bool, retry_after: int):
        self.status = 503 if site_wide else 429
        self.retry_after = retry_after
        whose = (
            "the site has sent as many confirmation emails as it may"
            if site_wide
            else "too many subscription requests came from your address"
        )
        super().__init__(f"{whose} this hour; please try again in {max(1, retry_after // 60)} minutes")


class SubscriptionError(ValueError):
    """Bad form input; `field` names the field, the message says what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def clean_text(field: str, raw: str | None, *, max_length: int) -> str:
    if raw is not None and not isinstance(raw, str):  # e.g. a number in webhook JSON
        raise SubscriptionError(field, "must be text")
    text = (raw or "").strip()
    if NOT_ONE_LINE.search(text):
        raise SubscriptionError(field, "must be one line of text (no line breaks or control characters)")
    if len(text) > max_length:
        raise SubscriptionError(field, f"must be at most {max_length} characters")
    return text


def clean_email(raw: str | None) -> str:
    email = clean_text("email", raw, max_length=254)
    try:
        validate_email(email)
    except ValidationError:
        raise SubscriptionError("email", "enter a valid email address, like name@example.org") from None
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}".lower()


def clean_choice(*, frequency: str, kind: str, value: str | None, user=None) -> tuple[str, str, str]:
    if frequency not in {code for code, _ in Subscription.FREQUENCIES}:
        raise SubscriptionError("frequency", "choose daily or weekly")
    if kind not in {code for code, _ in Subscription.KINDS}:
        raise SubscriptionError("kind", "choose what to receive")
    text = clean_text("value", value, max_length=200)
    if kind in {Subscription.TRENDING, Subscription.FOR_YOU}:
        text = ""
    elif not text:
        raise SubscriptionError("value", f"a {kind} digest needs a {'search query' if kind == 'topic' else kind}")
    if kind == Subscription.CATEGORY and not _CATEGORY.match(text):
        raise SubscriptionError("value", "an arXiv category looks like cs.CL or hep-th")
    if kind == Subscription.ORG and not Organisation.objects.filter(slug=text).exists():
        raise SubscriptionError("value", f"no organisation /orgs/{text[:80]}; see /orgs for their addresses")
    if kind == Subscription.FOR_YOU and not (user and user.is_authenticated):
        raise SubscriptionError("kind", "the \u201cfor you\u201d digest is for members; log in first")
    return frequency, kind, text


def link_token(subscription: Subscription) -> str:
    """Opaque signed token for manage and unsubscribe links; it never expires."""
    return signing.dumps(subscription.token, salt=LINK_SALT)


def subscription_for_token(token: str) -> Subscription | None:
    try:
        raw = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(token=raw).first() if isinstance(raw, str) else None


def confirm_url(subscription: Subscription, request=None) -> str:
    token = signing.dumps(subscription.token, salt=CONFIRM_SALT)
    return absolute_url(reverse("digest:confirm", kwargs={"token": token}), request)


def links_for(subscription: Subscription) -> dict:
    """Manage and unsubscribe URLs of one subscription, signing its token once."""
    token = link_token(subscription)
    return {
        "manage_url": absolute_url(reverse("digest:manage", kwargs={"token": token})),
        "unsubscribe_url": absolute_url(reverse("digest:unsubscribe", kwargs={"token": token})),
    }


def manage_url(subscription: Subscription, request=None) -> str:
    return absolute_url(reverse("digest:manage", kwargs={"token": link_token(subscription)}), request)


def _mail_allowed(email: str) -> bool:
    """At most DIGEST_MAILS_PER_ADDRESS_PER_HOUR form-triggered mails per address, counted
    atomically (catalog/limits.py, which stores a hash, never the address)."""
    return hit("mail-address", email, (settings.DIGEST_MAILS_PER_ADDRESS_PER_HOUR, 3600)).allowed


def request_subscription(
    *, email: str, frequency: str, kind: str, value: str = "", user=None, client: str | None = None, request=None
) -> None:
    """Record the request and send one email; returns nothing, so callers cannot tell apart
    a new, a pending, an active or a suppressed address. Raises SubscriptionError on bad input,
    and MailLimitReached (before storing anything) when the visitor at `client` (a client
    address; None for the operator's own tools) or the whole site has spent its mail budget:
    one anonymous client had 60 confirmations sent to 60 addresses in 6 s (issue 13). `request`,
    when there is one, gives the links the address the visitor used (catalog/site.py)."""
    email = clean_email(email)
    frequency, kind, value = clean_choice(frequency=frequency, kind=kind, value=value, user=user)
    if client is not None:
        decision = spend_mail(client)
        if not decision.allowed:
            raise MailLimitReached(site_wide=decision.name == MAIL_SITE, retry_after=decision.retry_after)
    suppression = Suppression.objects.filter(email=email).first()
    if suppression and suppression.reason != Suppression.UNSUBSCRIBED:
        log.info("subscription request for a suppressed address (%s) ignored", suppression.reason)
        return
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            email=email,
            kind=kind,
            value=value,
            defaults={"frequency": frequency, "user": user if user and user.is_authenticated else None},
        )
        already_active = not created and subscription.status == Subscription.ACTIVE
        if not already_active:
            subscription.frequency = frequency
            subscription.status = Subscription.UNCONFIRMED
            subscription.save(update_fields=["frequency", "status"])
    if not _mail_allowed(email):
        log.info("subscription mail not sent: DIGEST_MAILS_PER_ADDRESS_PER_HOUR reached")
        return
    if already_active:
        mail.send_already_subscribed(subscription=subscription, manage_url=manage_url(subscription, request))
    else:
        mail.send_confirmation(subscription=subscription, confirm_url=confirm_url(subscription, request))


def confirm_subscription(token: str, *, now: dt.datetime | None = None) -> Subscription | None:
    """Activate the subscription behind a confirmation token; None when bad or expired."""
    try:
        raw = signing.loads(token, salt=CONFIRM_SALT, max_age=dt.timedelta(days=settings.DIGEST_CONFIRM_MAX_AGE_DAYS))
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    now = now or timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(token=raw).first()
        if subscription is None:
            return None
        if subscription.status != Subscription.ACTIVE:
            subscription.status = Subscription.ACTIVE
            subscription.confirmed_at = now
            subscription.unsubscribed_at = None
            subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        # A fresh opt-in lifts an earlier "unsubscribe from everything", never a bounce or complaint.
        Suppression.objects.filter(email=subscription.email, reason=Suppression.UNSUBSCRIBED).delete()
    return subscription


def unsubscribe(subscription: Subscription, *, everything: bool = False, now: dt.datetime | None = None) -> None:
    """Stop this subscription (or every one of its address); idempotent."""
    now = now or timezone.now()
    rows = (
        Subscription.objects.filter(email=subscription.email)
        if everything
        else Subscription.objects.filter(pk=subscription.pk)
    )
    rows.exclude(status=Subscription.UNSUBSCRIBED).update(status=Subscription.UNSUBSCRIBED, unsubscribed_at=now)
    if everything:
        Suppression.objects.get_or_create(email=subscription.email, defaults={"reason": Suppression.UNSUBSCRIBED})


def update_preferences(subscription: Subscription, *, frequency: str, kind: str, value: str = "") -> Subscription:
    """Change what an active subscription receives (the manage page proves mailbox control)."""
    frequency, kind, value = clean_choice(frequency=frequency, kind=kind, value=value, user=subscription.user)
    clash = (
        Subscription.objects.filter(email=subscription.email, kind=kind, value=value)
        .exclude(pk=subscription.pk)
        .first()
    )
    if clash is not None:
        raise SubscriptionError("kind", "you already have a subscription for this; change or remove that one")
    subscription.frequency, subscription.kind, subscription.value = frequency, kind, value
    subscription.save(update_fields=["frequency", "kind", "value"])
    return subscription


def manage_data(subscription: Subscription) -> dict:
    """The manage page's data: every subscription of the address, with its own links."""
    rows = Subscription.objects.filter(email=subscription.email).order_by("created_at")
    return {
        "email": subscription.email,
        "current": subscription,
        "subscriptions": [
            {
                "subscription": row,
                "description": row.description,
                "frequency": row.frequency,
                "status": row.status,
                "token": link_token(row),
            }
            for row in rows
        ],
        "frequencies": Subscription.FREQUENCIES,
        "kinds": Subscription.KINDS,
    }


def purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Delete subscriptions left unconfirmed for DIGEST_PURGE_UNCONFIRMED_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.DIGEST_PURGE_UNCONFIRMED_DAYS)
    deleted, _ = Subscription.objects.filter(
        status=Subscription.UNCONFIRMED, confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted


def import_subscribers(
    rows, *, frequency: str = Subscription.DAILY, kind: str = Subscription.TRENDING, value: str = ""
) -> dict:
    """Bring in addresses that already opted in elsewhere (a list moved from another tool) as
    active subscriptions. Never resubscribes: an address that unsubscribed from this digest,
    or is suppressed (bounce, complaint, unsubscribed from everything), is skipped, and so is
    one already subscribed. `rows` are (line number, address). Returns counts and the
    problems, each naming its line."""
    if kind == Subscription.FOR_YOU:
        raise SubscriptionError(
            "kind", "the \u201cfor you\u201d digest cannot be imported; members subscribe themselves"
        )
    frequency, kind, value = clean_choice(frequency=frequency, kind=kind, value=value, user=None)
    suppressed = set(Suppression.objects.values_list("email", flat=True))
    existing = set(Subscription.objects.filter(kind=kind, value=value).values_list("email", flat=True))
    created, skipped, problems = 0, 0, []
    now = timezone.now()
    for line, raw in rows:
        try:
            email = clean_email(raw)
        except SubscriptionError as exc:
            problems.append(f"line {line}: {exc.message}")
            continue
        if email in suppressed or email in existing:
            skipped += 1
            continue
        Subscription.objects.create(
            email=email, kind=kind, value=value, frequency=frequency, status=Subscription.ACTIVE, confirmed_at=now
        )
        existing.add(email)
        created += 1
    return {"created": created, "skipped": skipped, "problems": problems}
