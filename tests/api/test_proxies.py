"""Reading forwarded headers (api/proxies.py): only through trusted proxies, from the right."""

from __future__ import annotations

import ipaddress

import pytest

from api.proxies import client_of, forwarded_hops, parse_address

TRUSTED = (ipaddress.ip_network("10.0.0.0/8"),)
PROXY = ipaddress.ip_address("10.0.0.5")


def hops(**headers: str) -> list[tuple[str, str | None]]:
    return forwarded_hops([(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()])


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("192.0.2.1:8080", "192.0.2.1"),
        ('"[2001:db8::17]:4711"', "2001:db8::17"),
        ("2001:db8::17", "2001:db8::17"),
        ("unknown", None),
        ("_hidden", None),
        ("", None),
    ],
)
def test_addresses_of_hops(text: str, address: str | None) -> None:
    found = parse_address(text)
    assert (str(found) if found else None) == address


def test_the_first_untrusted_hop_from_the_right_is_the_client() -> None:
    chain = hops(x_forwarded_for="203.0.113.9, 198.51.100.7, 10.0.0.9", x_forwarded_proto="https")
    client, scheme = client_of(PROXY, chain, TRUSTED)
    assert (str(client), scheme) == ("198.51.100.7", "https")  # the spoofed left end is ignored


def test_an_untrusted_peer_is_the_client_whatever_it_sends() -> None:
    peer = ipaddress.ip_address("198.51.100.7")
    assert client_of(peer, hops(x_forwarded_for="192.0.2.10"), TRUSTED) == (peer, None)


def test_forwarded_wins_and_an_unknown_hop_stops_at_its_proxy() -> None:
    both = hops(forwarded='for="[2001:db8::17]:4711";proto=https', x_forwarded_for="192.0.2.1")
    assert str(client_of(PROXY, both, TRUSTED)[0]) == "2001:db8::17"
    unknown = hops(forwarded="for=192.0.2.1, for=unknown")
    assert client_of(PROXY, unknown, TRUSTED) == (PROXY, None)
