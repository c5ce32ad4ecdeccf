"""What can go wrong with an outbound request (``code`` is machine-readable, ``transient``
says whether a retry later may succeed, the message is safe to show to the resource's owner)::

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

import email.utils
import ssl
import time

import httpx

TRANSIENT_STATUSES = frozenset({408, 425, 429})


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
        super().__init__(message, code="http_status", url=url, transient=is_transient(status_code))
        self.status_code = status_code
        self.retry_after = retry_after


class NetworkError(FetchError):
    transient = True


def is_transient(status: int) -> bool:
    """Whether an HTTP status is worth another try later."""
    return status in TRANSIENT_STATUSES or status >= 500


def transport_error(exc: httpx.HTTPError, url: str) -> FetchError:
    """The ``FetchError`` for what httpx raised while talking to ``url``."""
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


def retry_after(value: str | None) -> float | None:
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
