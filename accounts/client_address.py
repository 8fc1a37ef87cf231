"""Which address a request comes from, for throttling and sign-in lockouts.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only when
the request arrives from a proxy named in ``settings.TRUSTED_PROXIES``; otherwise a
client could claim a fresh address on every request and never be throttled. django-axes
uses the same function (``AXES_CLIENT_IP_CALLABLE``), so its log agrees with the throttle.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _parse(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket shows as ::ffff:a.b.c.d; count it as a.b.c.d.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: ``REMOTE_ADDR``, unless that is a trusted proxy; None
    when the server did not say.

    Behind trusted proxies, ``X-Forwarded-For`` is read from the right: each proxy appends
    the address it received the request from, so the first address that is not itself a
    trusted proxy is the client. Whatever a client writes to the left of that is ignored.
    """
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    client = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _parse(entry)
        if address is None:
            # Our proxies write valid addresses; garbage here means the chain cannot be
            # followed further, so the last proxy that was trusted stands for the client.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
