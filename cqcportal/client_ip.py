"""The client's address behind the reverse proxy, for the sign-in lockout (issue 9).

Behind a proxy every request comes from the proxy's address; keyed on that, five failures
would lock an account for everyone. ``X-Forwarded-For`` names the client, but any client can
send one: only the entries our own proxies appended are believed. Starting from the address
that connected, each hop that is a trusted proxy hands over to the entry it appended (the
right-most one left), for at most ``PORTAL_PROXY_COUNT`` hops. A client that connects
directly, or writes its own entries to the left of the proxy's, keeps its real address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def trusted_networks(
    trusted: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted)


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def client_ip_address(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the address of the client, not of our proxy."""
    remote = request.META.get("REMOTE_ADDR")
    networks = trusted_networks(tuple(settings.PORTAL_TRUSTED_PROXIES))
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    current = _address(remote)
    for _hop in range(settings.PORTAL_PROXY_COUNT):
        if current is None or not hops or not any(current in net for net in networks):
            break
        # The right-most entry is the one the trusted proxy wrote; garbage there means the
        # proxy is not what the settings say, so stay with the proxy's own address.
        forwarded = _address(hops.pop())
        if forwarded is None:
            break
        current = forwarded
    return str(current) if current is not None else remote
