"""Which network addresses outbound HTTP (page images, webhooks) may reach (SSRF protection).

Refused unless the policy says otherwise:

- loopback (127.0.0.0/8, ::1): only with ``allow_loopback`` (tests, single-host setups);
- private and shared ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, ...): only with
  ``allow_private`` or when listed in ``allowed_networks``;
- cloud metadata endpoints (169.254.169.254, fd00:ec2::254, 100.100.100.200, 168.63.129.16, ...),
  link-local, multicast, reserved and unspecified addresses: only when listed in
  ``allowed_networks`` (an explicit network always wins).

IPv6 forms that embed an IPv4 address (IPv4-mapped, 6to4, Teredo, NAT64) are judged by the
IPv4 address inside, so ``::ffff:127.0.0.1`` is loopback.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Resolves (host, port) to IP address strings; swappable so tests can fake DNS.
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

METADATA_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "169.254.169.254/32",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
        "169.254.170.2/32",  # AWS ECS task metadata
        "fd00:ec2::254/128",  # AWS IMDS over IPv6
        "100.100.100.200/32",  # Alibaba Cloud
        "168.63.129.16/32",  # Azure wire server (a public address)
        "192.0.0.192/32",  # Oracle Cloud (legacy)
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# "This network": Linux connects 0.x.x.x to the local host.
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")


def parse_networks(networks: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``["10.1.0.0/16", "192.168.5.7"]`` -> networks; raises ``ValueError`` on a bad entry."""
    return tuple(ipaddress.ip_network(n.strip(), strict=False) for n in networks)


def embedded_ipv4(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address stands for, if any, else ``ip`` itself."""
    if isinstance(ip, ipaddress.IPv4Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def refusal_reason(
    address: str,
    *,
    allow_loopback: bool,
    allow_private: bool,
    allowed_networks: Sequence[IPNetwork] = (),
) -> str | None:
    """Why ``address`` must not be contacted, or ``None`` when it may be."""
    ip = embedded_ipv4(ipaddress.ip_address(address.split("%", 1)[0]))
    if any(ip.version == net.version and ip in net for net in allowed_networks):
        return None
    if any(ip.version == net.version and ip in net for net in METADATA_NETWORKS):
        return "a cloud metadata address"
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    for reason, flagged in (
        ("a link-local address", ip.is_link_local),
        ("a multicast address", ip.is_multicast),
        ("an unspecified address", ip.is_unspecified or ip in THIS_NETWORK),
        ("a reserved address", ip.is_reserved),
    ):
        if flagged:
            return reason
    if ip.is_private or not ip.is_global:
        return None if allow_private else "a private address"
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for ``host`` (in its order, deduplicated)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
