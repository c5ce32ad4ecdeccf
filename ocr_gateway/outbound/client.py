"""The guarded HTTP client: every outbound request of the service goes through ``send``.

Each hop (the first request and each redirect, followed here by hand, at most
``OutboundPolicy.max_redirects``) resolves the host name once, refuses the hop unless *every*
address is allowed (``netguard``), and connects to that checked address: the request goes to
the IP itself, with the original ``Host`` header and TLS server name, so DNS cannot answer
differently between the check and the connection (rebinding). Environment proxies are
ignored (they would bypass the checks). ``total_timeout`` bounds the whole exchange, body
included; ``read_body`` stops at a byte limit (decoded bytes: a gzip bomb is cut off too).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import httpx

from ocr_gateway.outbound import netguard
from ocr_gateway.outbound.errors import (
    FetchRefusedError,
    NetworkError,
    TooLargeError,
    transport_error,
)

T = TypeVar("T")
MiB = 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Reads the final response (streamed) of the exchange; gets the URL it came from.
Reader = Callable[[httpx.Response, str], Awaitable[T]]


@dataclass(frozen=True, slots=True)
class OutboundPolicy:
    """Limits and address permissions of one kind of outbound request."""

    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    allow_loopback: bool = False
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    user_agent: str = "ocr-gateway"

    def __post_init__(self) -> None:
        netguard.parse_networks(self.allowed_networks)  # fail at startup, not per request


@dataclass(frozen=True, slots=True)
class Hop:
    """One request: the URL as given, and the same URL pinned to a checked address."""

    url: httpx.URL
    pinned: httpx.URL
    host_header: str
    sni_hostname: str


async def send(
    method: str,
    url: str,
    *,
    policy: OutboundPolicy,
    read: Reader[T],
    resolver: netguard.Resolver | None = None,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    follow_redirects: bool = True,
) -> T:
    """Send the request under ``policy`` and return what ``read`` makes of the final
    response. Raises a ``FetchError`` for anything the URL, the network or the server does.
    Without ``follow_redirects`` a 3xx is the final response."""
    timeout = httpx.Timeout(
        policy.read_timeout, connect=policy.connect_timeout, pool=policy.connect_timeout
    )
    exchange = _Exchange(method, policy, resolver or netguard.system_resolver, headers, content)
    try:
        async with asyncio.timeout(policy.total_timeout):
            async with httpx.AsyncClient(
                timeout=timeout,
                follow_redirects=False,
                trust_env=False,  # an environment proxy would bypass the address checks
                limits=httpx.Limits(max_keepalive_connections=0),
            ) as client:
                return await exchange.run(client, url, read, follow_redirects)
    except TimeoutError as exc:
        raise NetworkError(
            f"the request took longer than {policy.total_timeout:g} s", code="timeout", url=url
        ) from exc


@dataclass(frozen=True, slots=True)
class _Exchange:
    method: str
    policy: OutboundPolicy
    resolver: netguard.Resolver
    headers: Mapping[str, str] | None
    content: bytes | None

    async def run(
        self, client: httpx.AsyncClient, url: str, read: Reader[T], follow_redirects: bool
    ) -> T:
        current = parse_http_url(url)
        for _ in range(self.policy.max_redirects + 1):
            hop = await pin(current, self.policy, self.resolver)
            try:
                response = await client.send(self._request(client, hop), stream=True)
            except httpx.HTTPError as exc:
                raise transport_error(exc, str(current)) from exc
            try:
                location = response.headers.get("location")
                if follow_redirects and response.status_code in REDIRECT_STATUSES and location:
                    current = parse_http_url(str(current.join(location.strip())))
                    continue
                return await read(response, str(current))
            except httpx.HTTPError as exc:  # while reading the body
                raise transport_error(exc, str(current)) from exc
            finally:
                await response.aclose()
        raise FetchRefusedError(
            f"more than {self.policy.max_redirects} redirects", code="too_many_redirects", url=url
        )

    def _request(self, client: httpx.AsyncClient, hop: Hop) -> httpx.Request:
        extensions = {"sni_hostname": hop.sni_hostname} if hop.url.scheme == "https" else {}
        headers = {
            **(self.headers or {}),
            "Host": hop.host_header,
            "User-Agent": self.policy.user_agent,
        }
        return client.build_request(
            self.method, hop.pinned, headers=headers, content=self.content, extensions=extensions
        )


def parse_http_url(url: str) -> httpx.URL:
    """``url`` parsed, if it is an absolute http(s) URL with a host; else FetchRefusedError."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchRefusedError(f"invalid URL: {exc}", code="invalid_url", url=url) from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchRefusedError(
            f"unsupported URL scheme {parsed.scheme!r}: use http or https",
            code="unsupported_scheme",
            url=url,
        )
    if not parsed.host:
        raise FetchRefusedError("the URL has no host", code="invalid_url", url=url)
    return parsed


async def pin(url: httpx.URL, policy: OutboundPolicy, resolver: netguard.Resolver) -> Hop:
    """Resolve the URL's host once, check every address, and pin the URL to the first."""
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = [host] if netguard.is_ip_literal(host) else await _resolve(host, port, resolver)
    networks = netguard.parse_networks(policy.allowed_networks)
    for address in addresses:
        reason = netguard.refusal_reason(
            address,
            allow_loopback=policy.allow_loopback,
            allow_private=policy.allow_private,
            allowed_networks=networks,
        )
        if reason:
            shown = host if address == host else f"{host} ({address})"
            raise FetchRefusedError(
                f"refusing to fetch from {shown}: {reason}", code="address_refused", url=str(url)
            )
    return Hop(
        url=url,
        pinned=url.copy_with(host=addresses[0]),
        host_header=url.netloc.decode("ascii"),
        sni_hostname=host,
    )


async def _resolve(host: str, port: int, resolver: netguard.Resolver) -> list[str]:
    try:
        addresses = list(await resolver(host, port))
    except socket.gaierror as exc:
        transient = exc.errno == socket.EAI_AGAIN
        raise NetworkError(
            f"cannot resolve host {host!r}",
            code="dns_error" if transient else "host_not_found",
            transient=transient,
        ) from exc
    except OSError as exc:
        raise NetworkError(f"cannot resolve host {host!r}: {exc}", code="dns_error") from exc
    if not addresses:
        raise NetworkError(
            f"host {host!r} has no addresses", code="host_not_found", transient=False
        )
    return addresses


async def read_body(response: httpx.Response, max_bytes: int, url: str) -> bytes:
    """The whole body; TooLargeError past ``max_bytes`` (decoded bytes)."""
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise too_many_bytes(received, max_bytes, url)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_start(response: httpx.Response, limit: int) -> bytes:
    """At most ``limit`` bytes from the start of the body (reading stops there)."""
    received = bytearray()
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) >= limit:
            break
    return bytes(received[:limit])


def too_many_bytes(size: int, limit: int, url: str | None) -> TooLargeError:
    return TooLargeError(
        f"the image is {size} bytes, more than the limit of {limit}", code="too_large", url=url
    )
