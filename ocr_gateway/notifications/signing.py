"""The signature on every webhook request (the scheme is documented in ``webhook``)."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_PREFIX = "sha256="


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` + hex HMAC-SHA256 of ``<timestamp>.<body>`` keyed with the group's secret."""
    signed = timestamp.encode("ascii") + b"." + body
    return SIGNATURE_PREFIX + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signed_headers(
    *, secret: str, event: str, delivery_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    stamp = str(timestamp)
    return {
        "Content-Type": "application/json",
        "X-OCR-Gateway-Event": event,
        "X-OCR-Gateway-Delivery": delivery_id,
        "X-OCR-Gateway-Timestamp": stamp,
        "X-OCR-Gateway-Signature": signature(secret, stamp, body),
    }
