"""The ASGI application: GraphQL (+ GraphiQL), health, and the seams for the REST shim."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.requests import HTTPConnection, Request

from ocr_gateway import __version__
from ocr_gateway.auth import HEADER, AuthFailure, Principal, Scope
from ocr_gateway.db import migrate
from ocr_gateway.db.availability import is_unavailable
from ocr_gateway.db.engine import Database
from ocr_gateway.errors import ServiceUnavailable
from ocr_gateway.events import Hub, PostgresHub
from ocr_gateway.graphql_schema import build_schema
from ocr_gateway.graphql_view import GRAPHIQL_STATIC_URL, GatewayGraphQLRouter, PreparedGraphQL
from ocr_gateway.http import BodyLimit, SecurityHeaders, install_error_answers
from ocr_gateway.key_cache import KeyCache
from ocr_gateway.metrics import PATH as METRICS_PATH
from ocr_gateway.metrics import Metrics, endpoint
from ocr_gateway.notifications.webhook import delivery_loop
from ocr_gateway.processing.queue import DeferredQueue, PageQueue
from ocr_gateway.rest import install_rest_shim
from ocr_gateway.review import install_review
from ocr_gateway.schema.context import Context
from ocr_gateway.schema.graphiql import mount_graphiql_static
from ocr_gateway.settings import Settings, get_settings

log = logging.getLogger("ocr_gateway")


def page_queue(database: Database, settings: Settings) -> PageQueue:
    """Procrastinate on PostgreSQL; on SQLite, the app's own pool of OCR processes."""
    if not settings.is_sqlite:
        from ocr_gateway.processing.tasks import ProcrastinateQueue

        return ProcrastinateQueue(settings)
    if settings.local_workers > 0:
        from ocr_gateway.processing.local import LocalQueue

        return LocalQueue(database, settings)
    return DeferredQueue()


def event_hub(settings: Settings) -> Hub:
    """Status events: LISTEN/NOTIFY across replicas on PostgreSQL, in memory on SQLite."""
    if settings.is_sqlite:
        return Hub()
    return PostgresHub(settings.postgres_conninfo)


async def authenticate(keys: KeyCache, key: str | None) -> Principal | AuthFailure:
    """The caller, or ``ServiceUnavailable`` (503) when the database cannot say."""
    try:
        return await keys.authenticate(key)
    except Exception as exc:
        if is_unavailable(exc):
            log.warning("authentication: the database is unavailable (%s)", exc)
            raise ServiceUnavailable from exc
        raise


def create_app(
    settings: Settings | None = None,
    db: Database | None = None,
    queue: PageQueue | None = None,
    hub: Hub | None = None,
) -> FastAPI:
    """The app; ``db`` and ``queue`` may be injected (they then belong to the caller)."""
    settings = settings or get_settings()
    database = db or Database(settings)
    schema = build_schema(settings)
    queue = queue or page_queue(database, settings)
    hub = hub or event_hub(settings)
    keys = KeyCache(database, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await keys.start()
        await hub.start()
        await queue.start()
        # On SQLite the app sends its groups' webhooks; on PostgreSQL the workers do.
        stop_webhooks = asyncio.Event()
        webhooks = (
            asyncio.create_task(delivery_loop(database, settings, stop_webhooks))
            if settings.is_sqlite
            else None
        )
        try:
            yield
        finally:
            stop_webhooks.set()
            if webhooks is not None:
                await webhooks
            await queue.stop()
            await hub.stop()
            await keys.stop()
            if db is None:  # an injected database belongs to the caller
                await database.dispose()

    app = FastAPI(
        title="OCR Invoice Gateway",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # /docs is served by the REST shim from vendored assets (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.schema = schema
    app.state.queue = queue
    app.state.hub = hub
    app.state.keys = keys

    async def get_context(connection: HTTPConnection) -> Context:
        context = Context(database, settings, queue, hub)
        if connection.scope["type"] == "http" and settings.auth_enabled:
            context.principal = await authenticate(keys, connection.headers.get(HEADER))
        return context

    router = GatewayGraphQLRouter(
        schema,
        settings=settings,
        keys=keys,
        path=settings.graphql_path,
        context_getter=get_context,
        graphql_ide="graphiql",
        include_in_schema=False,
    )
    app.include_router(router)
    mount_graphiql_static(app, GRAPHIQL_STATIC_URL)
    install_rest_shim(app, schema=schema, settings=settings, context_getter=get_context)
    install_error_answers(app, rest_prefix=settings.rest_prefix)
    install_review(
        app, settings=settings, database=database, authenticate=lambda key: authenticate(keys, key)
    )
    metrics = Metrics(database, settings)
    app.state.metrics = metrics
    scrape = endpoint(metrics, lambda request: metrics_refusal(keys, settings, request))
    app.add_route(METRICS_PATH, scrape, methods=["GET"], include_in_schema=False)

    # Innermost: prepared queries are answered below every other middleware's checks.
    app.add_middleware(
        PreparedGraphQL, schema=schema._schema, settings=settings, database=database, keys=keys
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, rest_prefix=settings.rest_prefix
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    app.add_middleware(metrics.middleware)  # outermost: it times everything below

    @app.get("/healthz", tags=["health"], summary="Liveness, database and schema check")
    async def healthz() -> JSONResponse:
        return await health(database)

    return app


async def metrics_refusal(keys: KeyCache, settings: Settings, request: Request) -> int | None:
    """None when ``request`` may scrape /metrics, else the status that refuses it."""
    if not (settings.metrics_auth and settings.auth_enabled):
        return None
    key = request.headers.get(HEADER)
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    if key is None and scheme.lower() == "bearer":
        key = bearer.strip()
    principal = await authenticate(keys, key)
    if not isinstance(principal, Principal):
        return 401
    return None if principal.allows(Scope.metrics) else 403


async def health(database: Database) -> JSONResponse:
    """200 when the database answers and its schema is the one this release needs."""
    try:
        state = await migrate.schema_state(database.engine)
    except Exception as exc:
        log.warning("health check: database unreachable (%s)", exc)
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    body: dict[str, object] = {
        "status": "ok" if state.ready else "unavailable",
        "database": "up",
        "version": __version__,
        "schema": {"revision": state.current, "expected": state.head},
    }
    if not state.ready:
        body["problem"] = state.problem()
    return JSONResponse(body, status_code=200 if state.ready else 503)
