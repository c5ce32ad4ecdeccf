"""HTTP hygiene for every route: a bound on request bodies, standard security headers, and
errors raised outside any route answered in the API's own shapes:

    under the REST prefix   {"success": false, "error": {"code", "message", "details"}}
    elsewhere               {"errors": [{"message", "extensions": {"code"}}]} (GraphQL's)

for unknown paths (404), wrong methods (405, with ``Allow``), bodies over the limit (413) and
an unreachable database (503, with ``Retry-After``).

CORS is added in ``app.py`` from ``cors_origins`` (closed when empty, the default).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ocr_gateway.errors import ServiceUnavailable

RETRY_AFTER_S = "1"
HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}

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
                message["headers"] = with_security_headers(message.get("headers", ()))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_security_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` (raw ASGI pairs) with each security header the response does not set."""
    out = list(headers)
    present = {name.lower() for name, _value in out}
    out += [(name, value) for name, value in _RAW_SECURITY_HEADERS if name not in present]
    if b"content-security-policy" not in present:
        html = any(n.lower() == b"content-type" and v.startswith(b"text/html") for n, v in out)
        out.append((b"content-security-policy", (PAGE_CSP if html else API_CSP).encode()))
    return out


_RAW_SECURITY_HEADERS = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


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
        code = "PAYLOAD_TOO_LARGE" if rest else "BAD_USER_INPUT"
        body = json.dumps(error_body(code, message, rest=rest)).encode()
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


def error_body(code: str, message: str, *, rest: bool) -> dict[str, object]:
    if rest:
        return {"success": False, "error": {"code": code, "message": message, "details": []}}
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def install_error_answers(app: FastAPI, *, rest_prefix: str) -> None:
    """Answer 404/405 under the REST prefix, and 503 everywhere, in the shapes above."""
    prefix = rest_prefix.rstrip("/") + "/"

    def is_rest(request: Request) -> bool:
        return (request.url.path.rstrip("/") + "/").startswith(prefix)

    async def unavailable(request: Request, exc: Exception) -> Response:
        body = error_body(ServiceUnavailable.code, str(exc), rest=is_rest(request))
        return JSONResponse(body, status_code=503, headers={"retry-after": RETRY_AFTER_S})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if not is_rest(request):
            return await http_exception_handler(request, exc)
        code = HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
        message = _http_message(request, exc)
        return JSONResponse(
            error_body(code, message, rest=True), status_code=exc.status_code, headers=exc.headers
        )

    app.add_exception_handler(ServiceUnavailable, unavailable)
    app.add_exception_handler(HTTPException, http_error)


def _http_message(request: Request, exc: HTTPException) -> str:
    if exc.status_code == 404:
        return f"no such resource: {request.url.path}"
    if exc.status_code == 405:
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        allowed = headers.get("allow", "")
        return f"{request.method} is not allowed on {request.url.path} (allowed: {allowed})"
    return str(exc.detail)
