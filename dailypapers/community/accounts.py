"""How django-allauth treats our accounts: who a request comes from, how many account mails a
visitor can make us send, the site's name in those mails, and accounts the operator creates on
the command line (`dailypapers createsuperuser`) counting as verified.

allauth counts failed logins, sign-ups and password resets per client address. Its own
notion of the address is REMOTE_ADDR (every visitor is the proxy behind nginx, so eleven
failed logins locked every member out, issue 13); ours is catalog/clients.py's, under
DAILYPAPERS_TRUSTED_PROXIES. Its mails (address confirmation, password reset) draw on the
same per-client and site-wide budgets as the digest's confirmation mails (catalog/limits.py);
a mail over budget is not sent and the page answers as if it were, like allauth does for an
unknown address, so nothing about an account leaks.

Without django.contrib.sites allauth names the site after the request's Host, so the
verification mail said "Hello from 127.0.0.1:38635!"; it now says the site's name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from dailypapers.catalog.clients import client_ip
from dailypapers.catalog.limits import spend_mail
from dailypapers.catalog.site import absolute_url

log = logging.getLogger("dailypapers.community")


@dataclass(frozen=True)
class SiteName:
    """What allauth's mail templates read from `current_site`."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request or getattr(self, "request", None) or context.get("request")
        decision = spend_mail(client_ip(request) if request is not None else "no-request")
        if not decision.allowed:
            log.warning("account mail %s not sent: %s limit reached", template_prefix, decision.name)
            return
        domain = urlsplit(absolute_url("/", allauth_context.request)).netloc
        super().send_mail(template_prefix, email, {"current_site": SiteName(settings.SITE_NAME, domain), **context})

    def pre_login(self, request, user, **kwargs):
        verify_operator_email(user)
        return super().pre_login(request, user, **kwargs)


def verify_operator_email(user) -> None:
    """A superuser with no email address on record was made by the operator on the command line
    (`dailypapers createsuperuser`; the sign-up form records every address and never makes a
    superuser): the address counts as verified, so /admin/ opens without a mail round trip,
    which a demo without a mail server could not complete."""
    from allauth.account.models import EmailAddress

    if user.is_superuser and user.email and not EmailAddress.objects.filter(user=user).exists():
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
