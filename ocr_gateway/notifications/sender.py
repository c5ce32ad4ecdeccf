"""One webhook POST, under the address rules of image fetching.

The target is checked and pinned by ``processing.fetch`` exactly as a page image's host is:
every address the host name resolves to must be allowed by ``processing.netguard``, and the
connection goes to the checked IP with the original ``Host`` header and TLS server name, so
DNS cannot answer differently between the check and the connection. Environment proxies are
ignored. Redirects are **not** followed: a 3xx fails the delivery at once (the webhook must be
configured with its final URL), so a redirect can never lead a signed request anywhere else.
The whole attempt is bounded by ``WebhookPolicy.timeout``; at most ``max_response_bytes`` of
the answer are read, and an excerpt is kept for the delivery log.

The outcome of an attempt (``Verdict``):

    delivered   2xx
    retry       5xx, 408, 425, 429 (``Retry-After`` honoured), timeouts, connection errors
    failed      3xx, other 4xx, refused addresses, invalid URLs, TLS errors, unknown hosts
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx

from ocr_gateway.processing import fetch, netguard
from ocr_gateway.settings import Settings

USER_AGENT = "ocr-gateway-webhook"
EXCERPT_CHARS = 1000


@dataclass(frozen=True, slots=True)
class WebhookPolicy:
    """Limits, permissions and the retry schedule of webhook deliveries (from settings)."""

    timeout: float = 10.0
    max_attempts: int = 10
    retry_base: float = 10.0
    retry_max: float = 3600.0
    poll_interval: float = 2.0
    batch_size: int = 20
    max_response_bytes: int = 16 * 1024
    allow_loopback: bool = False
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        netguard.parse_networks(self.allowed_networks)  # fail at startup, not per delivery

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookPolicy:
        # getattr: the webhook_* knobs fall back to the defaults above and to the fetch_*
        # address rules until (and unless) the settings define them.
        def knob(name: str, default: Any) -> Any:
            value = getattr(settings, f"webhook_{name}", None)
            return default if value is None else value

        base = cls()
        return cls(
            timeout=float(knob("timeout_s", base.timeout)),
            max_attempts=int(knob("max_attempts", base.max_attempts)),
            retry_base=float(knob("retry_base_s", base.retry_base)),
            retry_max=float(knob("retry_max_s", base.retry_max)),
            poll_interval=float(knob("poll_s", base.poll_interval)),
            batch_size=int(knob("batch_size", base.batch_size)),
            max_response_bytes=int(knob("max_response_bytes", base.max_response_bytes)),
            allow_loopback=bool(knob("allow_loopback", settings.fetch_allow_loopback)),
            allow_private=bool(knob("allow_private", settings.fetch_allow_private)),
            allowed_networks=tuple(knob("allowed_networks", settings.fetch_allowed_networks)),
        )

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        delay = self.retry_base * 2.0 ** (attempt - 1)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, self.retry_max)

    def fetch_policy(self) -> fetch.FetchPolicy:
        return fetch.FetchPolicy(
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            total_timeout=self.timeout,
            max_redirects=0,
            allow_loopback=self.allow_loopback,
            allow_private=self.allow_private,
            allowed_networks=self.allowed_networks,
            allow_data_urls=False,
            user_agent=USER_AGENT,
        )


class Verdict(StrEnum):
    delivered = "delivered"
    retry = "retry"
    failed = "failed"


@dataclass(frozen=True, slots=True)
class Attempt:
    verdict: Verdict
    status_code: int | None = None
    error: dict[str, Any] | None = None
    retry_after: float | None = None


async def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    policy: WebhookPolicy,
    resolver: netguard.Resolver | None = None,
) -> Attempt:
    """POST ``body`` to ``url``; never raises for anything the receiver or network does."""
    try:
        async with asyncio.timeout(policy.timeout):
            return await _post(url, body, headers, policy, resolver or netguard.system_resolver)
    except TimeoutError:
        return _error("timeout", f"no answer within {policy.timeout:g} s", transient=True)
    except fetch.FetchError as exc:
        return _error(exc.code, exc.message, transient=exc.transient)


async def _post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    policy: WebhookPolicy,
    resolver: netguard.Resolver,
) -> Attempt:
    # Reuses fetch's checked-and-pinned hop (private there; one rule set for all outbound HTTP).
    hop = await fetch._pin(fetch._parse_http_url(url), policy.fetch_policy(), resolver)
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(policy.timeout),
        follow_redirects=False,
        trust_env=False,  # an environment proxy would bypass the address checks
        limits=httpx.Limits(max_keepalive_connections=0),
    ) as client:
        request = client.build_request(
            "POST",
            hop.pinned,
            content=body,
            headers={**headers, "Host": hop.host_header, "User-Agent": USER_AGENT},
            extensions={"sni_hostname": hop.sni_hostname} if hop.url.scheme == "https" else {},
        )
        try:
            response = await client.send(request, stream=True)
            try:
                excerpt = await _read_excerpt(response, policy.max_response_bytes)
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            raise fetch._transport_error(exc, url) from exc
    return judge(response.status_code, excerpt, response.headers.get("retry-after"))


async def _read_excerpt(response: httpx.Response, limit: int) -> str:
    """The start of the answer, for the delivery log; reading stops at ``limit`` bytes."""
    received = bytearray()
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) >= limit:
            break
    return bytes(received[:limit]).decode("utf-8", errors="replace")[:EXCERPT_CHARS]


def judge(status: int, excerpt: str, retry_after_header: str | None = None) -> Attempt:
    """What an HTTP answer means for the delivery."""
    if 200 <= status < 300:
        return Attempt(Verdict.delivered, status_code=status)
    error: dict[str, Any] = {
        "code": "http_status",
        "message": f"the receiver answered HTTP {status}",
        "body": excerpt,
    }
    if status in fetch.TRANSIENT_STATUSES or status >= 500:
        retry_after = fetch._retry_after(retry_after_header)
        return Attempt(Verdict.retry, status_code=status, error=error, retry_after=retry_after)
    if 300 <= status < 400:
        error["code"] = "redirect_refused"
        error["message"] += " (a redirect: webhooks are not redirected; use the final URL)"
    return Attempt(Verdict.failed, status_code=status, error=error)


def _error(code: str, message: str, *, transient: bool) -> Attempt:
    verdict = Verdict.retry if transient else Verdict.failed
    return Attempt(verdict, error={"code": code, "message": message})
