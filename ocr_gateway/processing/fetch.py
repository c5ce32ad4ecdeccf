"""Fetch a page image (``fetch_image``) or a document's bytes (``fetch_bytes``) safely.

Accepted URLs: ``http``/``https``; ``file://`` only below ``FetchPolicy.media_root`` (symlinks
resolved, escapes refused); ``data:`` URLs (base64 or percent-encoded) when allowed.

http(s) goes through the service's guarded client (``ocr_gateway.outbound``): every hop
pinned to an address ``netguard`` allows, redirects (at most ``max_redirects``) re-checked,
environment proxies ignored, the whole fetch bounded by ``total_timeout``. Bodies are
streamed and abandoned past ``max_bytes`` (a larger ``Content-Length`` is refused before
reading); the pixel count is checked before decoding (``decode``).

Errors are ``outbound``'s ``FetchError`` hierarchy, re-exported here (the tree, with each
error's codes and whether it is transient, is in ``ocr_gateway.outbound.errors``).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import os
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from PIL import Image

from ocr_gateway import outbound
from ocr_gateway.outbound import netguard
from ocr_gateway.outbound.errors import (
    FetchError,
    FetchRefusedError,
    HttpStatusError,
    NetworkError,
    NotAnImageError,
    ResourceError,
    TooLargeError,
)
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
NOT_IMAGE_TYPES = ("text/", "application/json", "application/xml", "application/xhtml")


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

    def client_policy(self) -> outbound.OutboundPolicy:
        """The guarded client's share of this policy (``ocr_gateway.outbound``)."""
        return outbound.OutboundPolicy(
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            total_timeout=self.total_timeout,
            max_redirects=self.max_redirects,
            allow_loopback=self.allow_loopback,
            allow_private=self.allow_private,
            allowed_networks=self.allowed_networks,
            user_agent=self.user_agent,
        )


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
    return outbound.too_many_bytes(size, policy.max_bytes, url)


# -- http(s) -------------------------------------------------------------------------------


async def _download(
    url: str, policy: FetchPolicy, resolver: outbound.Resolver
) -> tuple[bytes, str, str | None]:
    async def read(response: httpx.Response, final_url: str) -> tuple[bytes, str, str | None]:
        _check_response(response, policy, final_url)
        body = await outbound.read_body(response, policy.max_bytes, final_url)
        return body, final_url, response.headers.get("content-type")

    return await outbound.send(
        "GET",
        url,
        policy=policy.client_policy(),
        read=read,
        resolver=resolver,
        headers={"Accept": "image/*, */*;q=0.5"},
    )


def _check_response(response: httpx.Response, policy: FetchPolicy, url: str) -> None:
    status = response.status_code
    if not 200 <= status < 300:
        raise HttpStatusError(
            f"the server answered HTTP {status} {response.reason_phrase}".rstrip(),
            status_code=status,
            url=url,
            retry_after=outbound.retry_after(response.headers.get("retry-after")),
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
