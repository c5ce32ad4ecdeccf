"""Strawberry's FastAPI router, adapted to the service.

- a bounded execution time per operation (``request_timeout_s``), with the request's
  session always closed, whatever happened;
- ``application/graphql-response+json`` when the client accepts it, with 400 for request
  errors (parse/validation), as the GraphQL-over-HTTP spec asks;
- subscriptions over graphql-transport-ws only (the legacy graphql-ws protocol is off);
- 503 (with ``Retry-After``) when an error says the database is unavailable;
- GraphiQL from assets the app serves itself (no CDN).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import HTMLResponse
from graphql import GraphQLError, GraphQLSchema
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.async_base_view import AsyncHTTPRequestAdapter  # type: ignore[attr-defined]
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from ocr_gateway.auth import HEADER, Principal
from ocr_gateway.db.availability import is_unavailable
from ocr_gateway.db.engine import Database
from ocr_gateway.errors import ServiceUnavailable
from ocr_gateway.http import RETRY_AFTER_S
from ocr_gateway.key_cache import KeyCache
from ocr_gateway.schema.compiled import MISMATCHES, encode_response
from ocr_gateway.schema.context import Context
from ocr_gateway.schema.graphiql import render_graphiql_html
from ocr_gateway.schema.prepared import answer, prepared_queries
from ocr_gateway.settings import Settings

log = logging.getLogger("ocr_gateway.graphql")
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
GRAPHIQL_STATIC_URL = "/graphiql-static"
NO_ACK_PAYLOAD: UnsetType = UNSET


def _is_unavailable(result: ExecutionResult) -> bool:
    return any(
        (e.extensions or {}).get("code") == ServiceUnavailable.code for e in result.errors or []
    )


def _is_request_error(result: ExecutionResult) -> bool:
    return (
        result.data is None and bool(result.errors) and all(not e.path for e in result.errors or [])
    )


class GatewayGraphQLRouter(GraphQLRouter[Context, None]):
    def __init__(self, *args: Any, settings: Settings, keys: KeyCache, **kwargs: Any) -> None:
        kwargs.setdefault("subscription_protocols", (GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.keys = keys

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Subscriptions authenticate once, with the key in the connection_init payload
        (``{"X-API-Key": "..."}``; browsers cannot set headers on a WebSocket) or, for
        other clients, in the handshake's X-API-Key header."""
        if not self.settings.auth_enabled:
            return NO_ACK_PAYLOAD
        params = context.connection_params or {}
        key = params.get(HEADER) or params.get("apiKey") or params.get(HEADER.lower())
        if key is None and context.request is not None:
            key = context.request.headers.get(HEADER)
        try:
            context.principal = await self.keys.authenticate(key if isinstance(key, str) else None)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            raise ConnectionRejectionError({"message": ServiceUnavailable.MESSAGE}) from exc
        if not isinstance(context.principal, Principal):
            raise ConnectionRejectionError({"message": context.principal.message})
        return NO_ACK_PAYLOAD

    def decode_json(self, data: str | bytes) -> object:
        # orjson: bounded nesting (a body nested too deep is a 400, not a RecursionError).
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes:
        # orjson, and compiled root fields' JSON written as the database made it.
        return encode_response(data)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        html = render_graphiql_html(
            graphql_path=self.settings.graphql_path, static_url=GRAPHIQL_STATIC_URL
        )
        return HTMLResponse(html)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            async with asyncio.timeout(self.settings.request_timeout_s):
                result = await super().execute_single(
                    request, request_adapter, sub_response, context, root_value, request_data
                )
        except TimeoutError:
            message = f"the operation took longer than {self.settings.request_timeout_s:g} s"
            error = GraphQLError(message, extensions={"code": "TIMEOUT"})
            result = ExecutionResult(data=None, errors=[error])
        finally:
            await context.finish(commit=False)  # a no-op when the unit of work ended it
        request.state.graphql_request_error = _is_request_error(result)
        request.state.graphql_unavailable = _is_unavailable(result)
        return result

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        if getattr(request.state, "graphql_request_error", False) and _accepts_spec(request):
            data.pop("data", None)
        return data

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        response = (
            await super().run(request)
            if context is None
            else await super().run(request, context, root_value)
        )
        if not isinstance(request, Request) or not isinstance(response, Response):
            return response
        if _accepts_spec(request) and response.media_type == "application/json":
            response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
            if getattr(request.state, "graphql_request_error", False):
                response.status_code = 400
        if getattr(request.state, "graphql_unavailable", False):
            response.status_code = 503
            response.headers["retry-after"] = RETRY_AFTER_S
        return response


def _accepts_spec(request: Request) -> bool:
    return GRAPHQL_RESPONSE_JSON in request.headers.get("accept", "")


class PreparedGraphQL:
    """Pure ASGI, in front of the router: a POSTed query that is prepared
    (``schema.prepared``) is answered here, from the body straight to the SQL and back; any
    other request, and any prepared one this path does not answer itself, goes on to the
    router, with its body replayed, which answers as it always does."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        schema: GraphQLSchema,
        settings: Settings,
        database: Database,
        keys: KeyCache,
    ) -> None:
        self.app = app
        self.schema = schema
        self.settings = settings
        self.database = database
        self.keys = keys
        self.path = settings.graphql_path
        self.prepared = prepared_queries(schema)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != self.path
            or not self.settings.compiled_reads
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"")
        accept = headers.get(b"accept", b"")
        if not content_type.startswith(b"application/json") or (
            b"multipart" in accept or b"event-stream" in accept
        ):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        spec = GRAPHQL_RESPONSE_JSON.encode() in accept
        try:
            answered = await self._answer(body, headers)
        except TimeoutError:  # as the router words it (``execute_single``)
            await _send_json(send, self._timeout(spec=spec), spec=spec, status=400 if spec else 200)
            return
        if answered is not None and not self.settings.compiled_crosscheck:
            await _send_json(send, answered, spec=spec)
            return
        replay = _replaying(body, receive)
        if answered is None:
            await self.app(scope, replay, send)
            return
        # The tests: the router answers, and the prepared answer must be the same.
        sent = await _captured(self.app, scope, replay, send)
        _compare(answered, sent, body)

    async def _answer(self, body: bytes, headers: Mapping[bytes, bytes]) -> bytes | None:
        """The response body, or None when the router is to answer."""
        try:
            request = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(request, dict) or request.keys() - REQUEST_KEYS:
            return None
        query, name = request.get("query"), request.get("operationName")
        variables = request.get("variables")
        if not isinstance(query, str) or not isinstance(name, (str, type(None))):
            return None
        if not isinstance(variables, (dict, type(None))):
            return None
        prepared = self.prepared.get(query, name)
        if prepared is None:
            return None
        try:
            async with asyncio.timeout(self.settings.request_timeout_s):
                if prepared.scopes and self.settings.auth_enabled:
                    key = headers.get(HEADER.lower().encode())
                    principal = await self.keys.authenticate(
                        None if key is None else key.decode("latin-1")
                    )
                    if not prepared.allows(principal):
                        return None
                fields = await answer(
                    self.schema,
                    prepared,
                    variables,
                    self.database,
                    self.settings.max_page_size,
                )
        except TimeoutError:
            raise
        except Exception as exc:  # the router answers, with its errors and codes
            log.debug("prepared query not answered here: %r", exc)
            return None
        return _response(fields)

    def _timeout(self, *, spec: bool) -> bytes:
        message = f"the operation took longer than {self.settings.request_timeout_s:g} s"
        body: dict[str, object] = {"errors": [{"message": message, "extensions": TIMEOUT}]}
        return orjson.dumps(body if spec else {"data": None, **body})


REQUEST_KEYS = frozenset({"query", "operationName", "variables"})  # extensions: the router
TIMEOUT = {"code": "TIMEOUT"}


def _response(fields: list[tuple[str, str]]) -> bytes:
    parts = [b'{"data":{']
    for index, (key, text) in enumerate(fields):
        if index:
            parts.append(b",")
        parts += [orjson.dumps(key), b":", text.encode()]
    parts.append(b"}}")
    return b"".join(parts)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay


async def _send_json(send: Send, body: bytes, *, spec: bool, status: int = 200) -> None:
    media = GRAPHQL_RESPONSE_JSON.encode() if spec else b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _captured(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> tuple[int, bytes]:
    status = 0
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
        await send(message)

    await app(scope, receive, capture)
    return status, b"".join(chunks)


def _compare(answered: bytes, sent: tuple[int, bytes], body: bytes) -> None:
    status, text = sent
    if status == 200 and orjson.loads(text) == orjson.loads(answered):
        return
    message = f"prepared {body[:200]!r}: {answered[:300]!r}\n  router {status} {text[:300]!r}"
    MISMATCHES.append(message)
    log.error("prepared and routed answers differ: %s", message)
