"""One webhook POST, under the address rules of image fetching.

The request goes through the service's guarded client (``ocr_gateway.outbound``), the one
page images are fetched with: every address the host name resolves to must be allowed by
``outbound.netguard``, and the connection goes to the checked IP with the original ``Host``
header and TLS server name, so DNS cannot answer differently between the check and the
connection. Environment proxies are ignored. Redirects are **not** followed: a 3xx fails the delivery at once (the webhook must be
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

from ocr_gateway import outbound
from ocr_gateway.outbound import netguard
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

    def client_policy(self) -> outbound.OutboundPolicy:
        return outbound.OutboundPolicy(
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            total_timeout=self.timeout,
            max_redirects=0,
            allow_loopback=self.allow_loopback,
            allow_private=self.allow_private,
            allowed_networks=self.allowed_networks,
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
    resolver: outbound.Resolver | None = None,
) -> Attempt:
    """POST ``body`` to ``url``; never raises for anything the receiver or network does."""

    async def read(response: httpx.Response, _url: str) -> Attempt:
        excerpt = await outbound.read_start(response, policy.max_response_bytes)
        text = excerpt.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
        return judge(response.status_code, text, response.headers.get("retry-after"))

    try:
        async with asyncio.timeout(policy.timeout):
            return await outbound.send(
                "POST",
                url,
                policy=policy.client_policy(),
                read=read,
                resolver=resolver,
                headers=headers,
                content=body,
                follow_redirects=False,  # a redirect fails the delivery (module docstring)
            )
    except TimeoutError:
        return _error("timeout", f"no answer within {policy.timeout:g} s", transient=True)
    except outbound.FetchError as exc:
        return _error(exc.code, exc.message, transient=exc.transient)


def judge(status: int, excerpt: str, retry_after_header: str | None = None) -> Attempt:
    """What an HTTP answer means for the delivery."""
    if 200 <= status < 300:
        return Attempt(Verdict.delivered, status_code=status)
    error: dict[str, Any] = {
        "code": "http_status",
        "message": f"the receiver answered HTTP {status}",
        "body": excerpt,
    }
    if outbound.is_transient(status):
        retry_after = outbound.retry_after(retry_after_header)
        return Attempt(Verdict.retry, status_code=status, error=error, retry_after=retry_after)
    if 300 <= status < 400:
        error["code"] = "redirect_refused"
        error["message"] += " (a redirect: webhooks are not redirected; use the final URL)"
    return Attempt(Verdict.failed, status_code=status, error=error)


def _error(code: str, message: str, *, transient: bool) -> Attempt:
    verdict = Verdict.retry if transient else Verdict.failed
    return Attempt(verdict, error={"code": code, "message": message})
