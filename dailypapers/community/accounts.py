"""How django-allauth treats our accounts: the site's name in its mails, and accounts the
operator creates on the command line (`dailypapers createsuperuser`) counting as verified.

Without django.contrib.sites allauth names the site after the request's Host, so the
verification mail said "Hello from 127.0.0.1:38635!"; it now says the site's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from dailypapers.catalog.site import absolute_url


@dataclass(frozen=True)
class SiteName:
    """What allauth's mail templates read from `current_site`."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
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
