"""Outbound HTTP, the one way out of the service: page images (``processing.fetch``) and
webhooks (``notifications.sender``) both go through it, under one set of address rules.

    netguard   which addresses may be contacted (SSRF protection)
    client     ``send``: DNS pinned per hop, redirects re-checked, time and size limits
    errors     the ``FetchError`` hierarchy, ``transport_error``, ``retry_after``

Nothing here knows about images, pages or webhooks.
"""

from __future__ import annotations

from ocr_gateway.outbound.client import (
    Hop,
    OutboundPolicy,
    parse_http_url,
    pin,
    read_body,
    read_start,
    send,
    too_many_bytes,
)
from ocr_gateway.outbound.errors import (
    TRANSIENT_STATUSES,
    FetchError,
    FetchRefusedError,
    HttpStatusError,
    NetworkError,
    NotAnImageError,
    ResourceError,
    TooLargeError,
    is_transient,
    retry_after,
    transport_error,
)
from ocr_gateway.outbound.netguard import Resolver, system_resolver

__all__ = [
    "TRANSIENT_STATUSES",
    "FetchError",
    "FetchRefusedError",
    "Hop",
    "HttpStatusError",
    "NetworkError",
    "NotAnImageError",
    "OutboundPolicy",
    "Resolver",
    "ResourceError",
    "TooLargeError",
    "is_transient",
    "parse_http_url",
    "pin",
    "read_body",
    "read_start",
    "retry_after",
    "send",
    "system_resolver",
    "too_many_bytes",
    "transport_error",
]
