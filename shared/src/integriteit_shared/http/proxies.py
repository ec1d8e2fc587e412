"""Which peers may tell us the client's address: `TRUSTED_PROXIES`, for uvicorn and the
limiters alike.

Without the setting nobody is trusted: uvicorn runs with `--no-proxy-headers` (its default
trusts X-Forwarded-For from 127.0.0.1, so any client of a service bound to localhost could
pick its own address and walk around every rate limit), and `client_address` is the TCP
peer. With it (comma-separated addresses or networks, as uvicorn's `--forwarded-allow-ips`
takes them), uvicorn puts the forwarded client in the scope, and `client_address` applies
the same rule to a request that reached the app from a trusted peer some other way: the
rightmost X-Forwarded-For entry that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from starlette.requests import Request

Netwerk = ipaddress.IPv4Network | ipaddress.IPv6Network


def uvicorn_proxy_args(trusted_proxies: str) -> list[str]:
    """The uvicorn flags for this setting: proxy headers off unless proxies are trusted."""
    trusted = ",".join(p.strip() for p in trusted_proxies.split(",") if p.strip())
    if not trusted:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", trusted]


@cache
def _networks(trusted_proxies: str) -> tuple[Netwerk, ...] | None:
    """The trusted networks; None means every peer (`*`)."""
    result: list[Netwerk] = []
    for part in trusted_proxies.split(","):
        part = part.strip()
        if part == "*":
            return None
        if part:
            result.append(ipaddress.ip_network(part, strict=False))
    return tuple(result)


def _trusted(address: str, networks: tuple[Netwerk, ...] | None) -> bool:
    if networks is None:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: Request, trusted_proxies: str) -> str:
    """The client's address as far as the trusted proxies vouch for it."""
    peer = request.client.host if request.client else "onbekend"
    networks = _networks(trusted_proxies)
    if networks == () or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop, networks):
            return hop
    return peer
