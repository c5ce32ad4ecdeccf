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
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from graphql import GraphQLError
from starlette.responses import Response
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.async_base_view import AsyncHTTPRequestAdapter  # type: ignore[attr-defined]
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from ocr_gateway.auth import HEADER, Principal
from ocr_gateway.db.availability import is_unavailable
from ocr_gateway.errors import ServiceUnavailable
from ocr_gateway.http import RETRY_AFTER_S
from ocr_gateway.key_cache import KeyCache
from ocr_gateway.schema.compiled import encode_response
from ocr_gateway.schema.context import Context
from ocr_gateway.schema.graphiql import render_graphiql_html
from ocr_gateway.settings import Settings

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
