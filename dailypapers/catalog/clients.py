"""Who is asking: the client address of a request, the one identity every limit counts by.

Behind a reverse proxy every request comes from the proxy's address (nginx on 127.0.0.1), so
counting REMOTE_ADDR puts every visitor in one bucket: eleven failed logins by one client
locked every member out (issue 13). The proxy says who its client was in X-Forwarded-For,
but a client can send that header too, so it is believed only as far as the operator says:

- DAILYPAPERS_TRUSTED_PROXIES=1.2.3.4/32,10.0.0.0/8 (addresses or CIDR ranges): the header is
  read from the right, skipping addresses in those ranges, and the first address outside
  them is the client. A request whose REMOTE_ADDR is not a trusted proxy is its own client,
  whatever header it sends (so a client that reaches gunicorn directly cannot pose as another).
- DAILYPAPERS_TRUSTED_PROXIES=N (a count): N proxies stand in front of every request; the
  client is the Nth address from the right of the header.
- empty: no proxy, REMOTE_ADDR is the client.

The default trusts loopback only: the documented nginx on the same host works out of the
box, and a site served straight to the internet never sees a loopback REMOTE_ADDR.

allauth's login/signup/reset limits (community/accounts.py), the API's throttle, our own
limits (catalog/limits.py) and the request log all call `client_ip`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class TrustedProxies:
    count: int = 0
    networks: tuple[_Network, ...] = ()

    def trusts(self, address: str) -> bool:
        parsed = _address(address)
        return parsed is not None and any(parsed in network for network in self.networks)


def parse_trusted_proxies(raw: str) -> TrustedProxies:
    """'2' -> two proxies; '127.0.0.1,10.0.0.0/8' -> those ranges; '' -> none.
    Raises ValueError naming the item it cannot read (settings.py turns it into a startup error)."""
    text = raw.strip()
    if not text:
        return TrustedProxies()
    if text.isdigit():
        return TrustedProxies(count=int(text))
    networks = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is neither a proxy count nor an IP address or CIDR range") from None
    return TrustedProxies(networks=tuple(networks))


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:51234"
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(*, remote_addr: str, forwarded_for: str | None, trusted: TrustedProxies) -> str:
    """The client's address as text, given the socket's peer and the X-Forwarded-For header."""
    peer = _address(remote_addr)
    peer_text = str(peer) if peer is not None else (remote_addr or "unknown")
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    if not hops:
        return peer_text
    if trusted.count:
        chosen = _address(hops[-min(trusted.count, len(hops))])
        return str(chosen) if chosen is not None else peer_text
    if not trusted.networks or not trusted.trusts(peer_text):
        return peer_text
    for hop in reversed(hops):
        parsed = _address(hop)
        if parsed is None:  # garbage a trusted proxy passed on: stop at the last good hop
            return peer_text
        if not trusted.trusts(str(parsed)):
            return str(parsed)
        peer_text = str(parsed)
    return peer_text  # every hop is a trusted proxy: the request began inside


def client_ip(request) -> str:
    """The client address of `request` under settings.TRUSTED_PROXIES (computed once per request)."""
    cached = getattr(request, "_dailypapers_client_ip", None)
    if cached is None:
        from django.conf import settings

        cached = client_address(
            remote_addr=request.META.get("REMOTE_ADDR", ""),
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR"),
            trusted=settings.TRUSTED_PROXIES,
        )
        request._dailypapers_client_ip = cached
    return cached
