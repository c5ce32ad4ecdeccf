"""HTTP hygiene for every route: a bound on request bodies and standard security headers.

CORS is added in ``app.py`` from ``cors_origins`` (closed when empty, the default).
"""

from __future__ import annotations

import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# GraphiQL and Swagger UI are pages with inline bootstrapping scripts, served from 'self'.
PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                html = headers.get("content-type", "").startswith("text/html")
                headers.setdefault("content-security-policy", PAGE_CSP if html else API_CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, before the app reads them whole."""

    def __init__(self, app: ASGIApp, max_bytes: int, rest_prefix: str) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.rest_prefix = rest_prefix.rstrip("/") + "/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        rest = scope["path"].startswith(self.rest_prefix)
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send, rest=rest)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await self._refuse(send, rest=rest)
        except BaseExceptionGroup as group:  # raised from inside a task group on the way up
            if group.subgroup(BodyTooLarge) is None:
                raise
            await self._refuse(send, rest=rest)

    async def _refuse(self, send: Send, *, rest: bool) -> None:
        """In the REST error envelope under the REST prefix, as a GraphQL error elsewhere."""
        message = f"the request body is larger than {self.max_bytes} bytes"
        envelope: dict[str, object]
        if rest:
            envelope = {
                "success": False,
                "error": {"code": "PAYLOAD_TOO_LARGE", "message": message, "details": []},
            }
        else:
            envelope = {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}
        body = json.dumps(envelope).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass
