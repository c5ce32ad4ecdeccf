"""The ASGI application: GraphQL (+ GraphiQL), health, and the seams for the REST shim."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from ocr_gateway import __version__
from ocr_gateway.db.engine import Database
from ocr_gateway.graphql_view import GRAPHIQL_STATIC_URL, GatewayGraphQLRouter
from ocr_gateway.schema import build_schema
from ocr_gateway.schema.context import Context
from ocr_gateway.schema.graphiql import mount_graphiql_static
from ocr_gateway.settings import Settings, get_settings

log = logging.getLogger("ocr_gateway")


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = db or Database(settings)
    schema = build_schema(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if db is None:  # an injected database belongs to the caller
            await database.dispose()

    app = FastAPI(
        title="OCR Invoice Gateway",
        version=__version__,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.schema = schema

    async def get_context() -> Context:
        return Context(database, settings)

    router = GatewayGraphQLRouter(
        schema,
        settings=settings,
        path=settings.graphql_path,
        context_getter=get_context,
        graphql_ide="graphiql",
        include_in_schema=False,
    )
    app.include_router(router)
    mount_graphiql_static(app, GRAPHIQL_STATIC_URL)

    @app.get("/healthz", tags=["health"], summary="Liveness and database check")
    async def healthz() -> JSONResponse:
        try:
            await database.ping()
        except Exception:
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "up", "version": __version__})

    return app
