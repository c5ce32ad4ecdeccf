"""Fetch a page image (``fetch_image``) or a document's bytes (``fetch_bytes``) safely.

Accepted URLs: ``http``/``https``; ``file://`` only below ``FetchPolicy.media_root`` (symlinks
resolved, escapes refused); ``data:`` URLs (base64 or percent-encoded) when allowed.

For http(s) every hop (the first request and each redirect, followed here by hand, at most
``max_redirects``) resolves the host name once, refuses the hop unless *every* address is
allowed (``netguard``), and connects to that checked address: the request goes to the IP
itself, with the original ``Host`` header and TLS server name, so DNS cannot answer
differently between the check and the connection (rebinding). Environment proxies are ignored.
Bodies are streamed and abandoned past ``max_bytes`` (a larger ``Content-Length`` is refused
before reading); the pixel count is checked before decoding (``decode``).

Errors (all ``FetchError``; ``code`` is machine-readable, ``transient`` says whether a retry
later may succeed, the message is safe to show to the page's owner)::

    FetchError                 .code .transient .url
    ├── FetchRefusedError      permanent   invalid_url, unsupported_scheme, address_refused,
    │                                      path_refused, too_many_redirects
    ├── ResourceError          permanent   not_found, protocol_error, tls_error
    │   ├── TooLargeError      permanent   too_large (bytes), too_many_pixels
    │   └── NotAnImageError    permanent   not_an_image
    ├── HttpStatusError        transient for 408, 425, 429 and 5xx, else permanent
    │                                      http_status (.status_code, .retry_after seconds)
    └── NetworkError           transient   timeout, connection_error, dns_error;
                                           permanent: host_not_found
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import email.utils
import os
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from PIL import Image

from ocr_gateway.processing import netguard
from ocr_gateway.processing.decode import (
    DEFAULT_FORMATS,
    ImageProperties,
    ImageRejected,
    decode_image,
)

__all__ = [
    "DocumentLimits",
    "FetchError",
    "FetchPolicy",
    "FetchRefusedError",
    "FetchedBytes",
    "FetchedImage",
    "HttpStatusError",
    "ImageProperties",
    "NetworkError",
    "NotAnImageError",
    "ResourceError",
    "TooLargeError",
    "fetch_bytes",
    "fetch_image",
]

MiB = 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUSES = frozenset({408, 425, 429})
NOT_IMAGE_TYPES = ("text/", "application/json", "application/xml", "application/xhtml")


class FetchError(Exception):
    transient = False

    def __init__(
        self, message: str, *, code: str, url: str | None = None, transient: bool | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.url = url
        if transient is not None:
            self.transient = transient


class FetchRefusedError(FetchError):
    """The URL or an address it leads to is not allowed by the policy."""


class ResourceError(FetchError):
    """The resource exists (or should) but cannot be used."""


class TooLargeError(ResourceError):
    pass


class NotAnImageError(ResourceError):
    pass


class HttpStatusError(FetchError):
    def __init__(
        self, message: str, *, status_code: int, url: str, retry_after: float | None = None
    ) -> None:
        transient = status_code in TRANSIENT_STATUSES or status_code >= 500
        super().__init__(message, code="http_status", url=url, transient=transient)
        self.status_code = status_code
        self.retry_after = retry_after


class NetworkError(FetchError):
    transient = True


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """What a fetched PDF may make (``processing.text_source``)."""

    max_pages: int = 200
    max_pixels: int = 40_000_000  # a rasterised page; the resolution is lowered to fit
    render_dpi: int = 150
    einvoice_max_bytes: int = 5 * MiB


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits and permissions for fetching page images (built from settings)."""

    max_bytes: int = 25 * MiB
    max_pixels: int = 50_000_000
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    allow_loopback: bool = False
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    media_root: Path | None = None
    allow_data_urls: bool = True
    formats: tuple[str, ...] = DEFAULT_FORMATS
    user_agent: str = "ocr-gateway"
    documents: DocumentLimits = DocumentLimits()

    def __post_init__(self) -> None:
        netguard.parse_networks(self.allowed_networks)  # fail at startup, not per page


@dataclass(frozen=True, slots=True)
class FetchedImage:
    image: Image.Image
    properties: ImageProperties
    url: str  # the URL the bytes came from, after redirects
    content_type: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FetchedBytes:
    data: bytes
    url: str  # the URL the bytes came from, after redirects
    content_type: str | None = None
    seconds: float = 0.0


async def fetch_bytes(
    url: str, *, policy: FetchPolicy, resolver: netguard.Resolver | None = None
) -> FetchedBytes:
    """The bytes at ``url`` under every guard of ``policy`` (scheme, addresses, redirects,
    size, time), not decoded; raises a ``FetchError`` (see the module docstring). A
    ``#fragment`` is never sent (``#page=2`` names a page of the document, not a resource)."""
    began = time.perf_counter()
    url = url.split("#", 1)[0]  # a data: URL's payload spells "#" as %23 (RFC 2397)
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    content_type: str | None = None
    final_url = url
    if scheme == "data":
        data = _read_data_url(url, policy)
    elif scheme == "file":
        data = await asyncio.to_thread(_read_file_url, url, policy)
    elif scheme in ("http", "https"):
        download = await _download(url, policy, resolver or netguard.system_resolver)
        data, final_url, content_type = download
    else:
        raise FetchRefusedError(
            f"unsupported URL scheme {scheme or '(none)'!r}: use http or https",
            code="unsupported_scheme",
            url=url,
        )
    return FetchedBytes(data, final_url, content_type, time.perf_counter() - began)


async def fetch_image(
    url: str, *, policy: FetchPolicy, resolver: netguard.Resolver | None = None
) -> FetchedImage:
    """Fetch and decode the image at ``url``; raises a ``FetchError`` (see module docstring)."""
    fetched = await fetch_bytes(url, policy=policy, resolver=resolver)
    decoding = time.perf_counter()
    image, properties = await asyncio.to_thread(decode_bytes, fetched.data, policy, fetched.url)
    timings = {"fetch": fetched.seconds, "decode": time.perf_counter() - decoding}
    return FetchedImage(image, properties, fetched.url, fetched.content_type, timings)


def decode_bytes(data: bytes, policy: FetchPolicy, url: str) -> tuple[Image.Image, ImageProperties]:
    """Decode fetched bytes as an image under the policy's pixel limit (``NotAnImageError``,
    ``TooLargeError``)."""
    try:
        return decode_image(data, max_pixels=policy.max_pixels, formats=policy.formats)
    except ImageRejected as exc:
        cls = TooLargeError if exc.code == "too_many_pixels" else NotAnImageError
        raise cls(str(exc), code=exc.code, url=url) from exc


# -- data: and file: -----------------------------------------------------------------------


def _read_data_url(url: str, policy: FetchPolicy) -> bytes:
    if not policy.allow_data_urls:
        raise FetchRefusedError("data: URLs are not allowed", code="unsupported_scheme", url=None)
    header, sep, payload = url[len("data:") :].partition(",")
    if not sep:
        raise FetchRefusedError("malformed data: URL (no comma)", code="invalid_url")
    if len(payload) > 3 * policy.max_bytes:  # even percent-encoded, this is over the limit
        raise _too_many_bytes(len(payload) // 3, policy, None)
    if ";base64" not in header.lower():
        data = urllib.parse.unquote_to_bytes(payload)
    else:
        text = "".join(urllib.parse.unquote(payload).split())
        if len(text) * 3 // 4 > policy.max_bytes:
            raise _too_many_bytes(len(text) * 3 // 4, policy, None)
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise FetchRefusedError("malformed data: URL (bad base64)", code="invalid_url") from exc
    if len(data) > policy.max_bytes:
        raise _too_many_bytes(len(data), policy, None)
    return data


def _read_file_url(url: str, policy: FetchPolicy) -> bytes:
    if policy.media_root is None:
        raise FetchRefusedError(
            "file: URLs are not allowed (no media root configured)",
            code="unsupported_scheme",
            url=url,
        )
    parts = urllib.parse.urlsplit(url)
    raw_path = urllib.parse.unquote(parts.path)
    if parts.netloc not in ("", "localhost") or not raw_path.startswith("/") or "\0" in raw_path:
        raise FetchRefusedError(
            "file: URLs must be file:///absolute/path", code="invalid_url", url=url
        )
    path = _inside_media_root(Path(raw_path), policy.media_root, url)
    size = path.stat().st_size
    if size > policy.max_bytes:
        raise _too_many_bytes(size, policy, url)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        # A path component swapped for a symlink after the check would show up here.
        _inside_media_root(Path(f"/proc/self/fd/{fd}"), policy.media_root, url, optional=True)
        data = handle.read(policy.max_bytes + 1)
    if len(data) > policy.max_bytes:
        raise _too_many_bytes(len(data), policy, url)
    return data


def _inside_media_root(path: Path, root: Path, url: str, *, optional: bool = False) -> Path:
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError as exc:
        if optional:
            return path
        raise ResourceError(f"no such file: {path}", code="not_found", url=url) from exc
    except (OSError, RuntimeError) as exc:  # symlink loops, permissions
        raise FetchRefusedError(f"cannot read {path}", code="path_refused", url=url) from exc
    if not real.is_relative_to(root.resolve()):
        raise FetchRefusedError(
            "file: URLs may only point inside the media root", code="path_refused", url=url
        )
    if not real.is_file():
        raise FetchRefusedError(f"{path} is not a regular file", code="path_refused", url=url)
    return real


def _too_many_bytes(size: int, policy: FetchPolicy, url: str | None) -> TooLargeError:
    return TooLargeError(
        f"the image is {size} bytes, more than the limit of {policy.max_bytes}",
        code="too_large",
        url=url,
    )


# -- http(s) -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hop:
    """One request: the URL as given, and the same URL pinned to a checked address."""

    url: httpx.URL
    pinned: httpx.URL
    host_header: str
    sni_hostname: str


async def _download(
    url: str, policy: FetchPolicy, resolver: netguard.Resolver
) -> tuple[bytes, str, str | None]:
    timeout = httpx.Timeout(
        policy.read_timeout, connect=policy.connect_timeout, pool=policy.connect_timeout
    )
    try:
        async with asyncio.timeout(policy.total_timeout):
            async with httpx.AsyncClient(
                timeout=timeout,
                follow_redirects=False,
                trust_env=False,  # an environment proxy would bypass the address checks
                limits=httpx.Limits(max_keepalive_connections=0),
            ) as client:
                return await _follow(client, url, policy, resolver)
    except TimeoutError as exc:
        raise NetworkError(
            f"fetching the image took longer than {policy.total_timeout:g} s",
            code="timeout",
            url=url,
        ) from exc


async def _follow(
    client: httpx.AsyncClient, url: str, policy: FetchPolicy, resolver: netguard.Resolver
) -> tuple[bytes, str, str | None]:
    current = _parse_http_url(url)
    for _ in range(policy.max_redirects + 1):
        hop = await _pin(current, policy, resolver)
        try:
            response = await client.send(_request(client, hop, policy), stream=True)
        except httpx.HTTPError as exc:
            raise _transport_error(exc, str(current)) from exc
        try:
            location = response.headers.get("location")
            if response.status_code in REDIRECT_STATUSES and location:
                current = _parse_http_url(str(current.join(location.strip())))
                continue
            _check_response(response, policy, str(current))
            body = await _read_body(response, policy, str(current))
            return body, str(current), response.headers.get("content-type")
        finally:
            await response.aclose()
    raise FetchRefusedError(
        f"more than {policy.max_redirects} redirects", code="too_many_redirects", url=url
    )


def _parse_http_url(url: str) -> httpx.URL:
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


async def _pin(url: httpx.URL, policy: FetchPolicy, resolver: netguard.Resolver) -> _Hop:
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
    return _Hop(
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


def _request(client: httpx.AsyncClient, hop: _Hop, policy: FetchPolicy) -> httpx.Request:
    extensions = {"sni_hostname": hop.sni_hostname} if hop.url.scheme == "https" else {}
    return client.build_request(
        "GET",
        hop.pinned,
        headers={
            "Host": hop.host_header,
            "User-Agent": policy.user_agent,
            "Accept": "image/*, */*;q=0.5",
        },
        extensions=extensions,
    )


def _check_response(response: httpx.Response, policy: FetchPolicy, url: str) -> None:
    status = response.status_code
    if not 200 <= status < 300:
        raise HttpStatusError(
            f"the server answered HTTP {status} {response.reason_phrase}".rstrip(),
            status_code=status,
            url=url,
            retry_after=_retry_after(response.headers.get("retry-after")),
        )
    content_type = response.headers.get("content-type", "").lower()
    if content_type.startswith(NOT_IMAGE_TYPES):
        raise NotAnImageError(
            f"the server sent {content_type.split(';')[0]}, not an image",
            code="not_an_image",
            url=url,
        )
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > policy.max_bytes:
        raise _too_many_bytes(int(length), policy, url)


async def _read_body(response: httpx.Response, policy: FetchPolicy, url: str) -> bytes:
    chunks: list[bytes] = []
    received = 0
    try:
        # aiter_bytes counts decoded bytes, so a gzip bomb is cut off at the limit too.
        async for chunk in response.aiter_bytes():
            received += len(chunk)
            if received > policy.max_bytes:
                raise _too_many_bytes(received, policy, url)
            chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise _transport_error(exc, url) from exc
    return b"".join(chunks)


def _transport_error(exc: httpx.HTTPError, url: str) -> FetchError:
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(f"timed out: {type(exc).__name__}", code="timeout", url=url)
    if isinstance(exc, httpx.DecodingError):
        return ResourceError(f"bad response encoding: {exc}", code="protocol_error", url=url)
    if _caused_by(exc, ssl.SSLCertVerificationError):
        return ResourceError("the server's TLS certificate is not valid", code="tls_error", url=url)
    return NetworkError(
        f"connection failed: {type(exc).__name__}: {exc}".rstrip(": "),
        code="connection_error",
        url=url,
    )


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
