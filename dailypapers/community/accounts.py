"""django-allauth's adapter for this site: who a request comes from, and how many account
mails a visitor can make us send.

allauth counts failed logins, sign-ups and password resets per client address. Its own
notion of the address is REMOTE_ADDR (every visitor is the proxy behind nginx, so eleven
failed logins locked every member out); ours is catalog/clients.py's, under
DAILYPAPERS_TRUSTED_PROXIES. Its mails (address confirmation, password reset) draw on the
same per-client and site-wide budgets as the digest's confirmation mails (catalog/limits.py);
a mail over budget is not sent and the page answers as if it were, like allauth does for an
unknown address, so nothing about an account leaks.
"""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter

from dailypapers.catalog.clients import client_ip
from dailypapers.catalog.limits import spend_mail

log = logging.getLogger("dailypapers.community")


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = getattr(self, "request", None) or context.get("request")
        client = client_ip(request) if request is not None else "no-request"
        decision = spend_mail(client)
        if not decision.allowed:
            log.warning("account mail %s not sent: %s limit reached", template_prefix, decision.name)
            return
        super().send_mail(template_prefix, email, context)
