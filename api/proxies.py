"""The client's address and scheme behind reverse proxies (docs/operations.md "Reverse proxies").

`Forwarded` (RFC 7239) and `X-Forwarded-For` / `X-Forwarded-Proto` are believed only when the
TCP peer is one of the proxies named in `LOCALPLAN_TRUSTED_PROXIES` (addresses or networks;
none by default), so nobody can choose the address the login limits count by sending a header.
The hops are read from the right: every trusted proxy is skipped and the first other address is
the client; a hop that is not an address (`unknown`, an obfuscated name) ends the walk at the
proxy that reported it. `Forwarded` wins when both are sent. uvicorn's own handling is off
(`localplan serve` passes `proxy_headers=False`), so this one setting governs every server.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(text: str) -> Address | None:
    """An address out of a hop: `192.0.2.1`, `192.0.2.1:80`, `[2001:db8::1]:80`, `2001:db8::1`."""
    value = text.strip().strip('"')
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> list[str]:
    """Every comma-separated element of a (possibly repeated) header, in order."""
    out: list[str] = []
    for key, value in headers:
        if key == name:
            out += [part.strip() for part in value.decode("latin-1").split(",") if part.strip()]
    return out


def _forwarded(elements: list[str]) -> list[tuple[str, str | None]]:
    """(for, proto) of each element of `Forwarded`."""
    hops = []
    for element in elements:
        pairs = {}
        for pair in element.split(";"):
            key, _, value = pair.partition("=")
            pairs[key.strip().lower()] = value.strip().strip('"')
        hops.append((pairs.get("for", ""), pairs.get("proto")))
    return hops


def forwarded_hops(headers: Sequence[tuple[bytes, bytes]]) -> list[tuple[str, str | None]]:
    """The hops the proxies reported, nearest last: `Forwarded` if sent, else X-Forwarded-*."""
    forwarded = _header(headers, b"forwarded")
    if forwarded:
        return _forwarded(forwarded)
    protos = _header(headers, b"x-forwarded-proto")
    hops: list[tuple[str, str | None]] = [(h, None) for h in _header(headers, b"x-forwarded-for")]
    if hops and protos:  # the nearest proxy's word on the scheme
        hops[-1] = (hops[-1][0], protos[-1])
    return hops


def client_of(
    peer: Address, hops: list[tuple[str, str | None]], trusted: Sequence[Network]
) -> tuple[Address, str | None]:
    """The client's address and the scheme its proxy saw, walking from the nearest hop."""
    client, scheme = peer, None
    for index, (text, proto) in enumerate(reversed(hops)):
        if not any(client in net for net in trusted):
            break  # `client` did not come through a proxy we believe
        found = parse_address(text)
        if found is None:
            break
        if index == 0 and proto:
            scheme = proto.lower()
        client = found
    return client, scheme


class ForwardedMiddleware:
    """Sets the ASGI scope's client (and scheme) from the forwarded headers of trusted proxies."""

    def __init__(self, app: ASGIApp, *, trusted: Sequence[str] = ()) -> None:
        self.app = app
        self.trusted = tuple(ipaddress.ip_network(t, strict=False) for t in trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.trusted and scope["type"] == "http" and scope.get("client"):
            peer = parse_address(str(scope["client"][0]))
            hops = forwarded_hops(scope["headers"])
            if peer is not None and hops:
                client, scheme = client_of(peer, hops, self.trusted)
                scope["client"] = (str(client), scope["client"][1] if client == peer else 0)
                if scheme in ("http", "https"):
                    scope["scheme"] = scheme
        await self.app(scope, receive, send)
