"""The REST compatibility shim: the seed documents' API, carried out by the GraphQL schema.

router.py        routes -> named GraphQL operations (``Gateway.run``), nothing else
operations.py    the GraphQL documents, one named operation per REST call
gateway.py       running an operation with the GraphQL router's context; list parameters
mongo_filter.py  the MongoDB-style ``filter`` -> the GraphQL filter input
payload.py       reading JSON bodies and the filter parameter safely
envelope.py      the ``{"success": ...}`` envelope; GraphQL errors -> HTTP statuses
resources.py     the four resources and the seeds' words
schemas.py       JSON Schemas of bodies and responses
openapi.py       /openapi.json and the self-hosted Swagger UI at /docs
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from fastapi import FastAPI

from ocr_gateway.rest import openapi
from ocr_gateway.rest.gateway import Gateway
from ocr_gateway.rest.resources import ALL
from ocr_gateway.rest.router import build_router
from ocr_gateway.settings import Settings


def install_rest_shim(
    app: FastAPI,
    *,
    schema: strawberry.Schema,
    settings: Settings,
    context_getter: Callable[..., Any],
) -> None:
    """Serve the REST API under ``settings.rest_prefix``, its OpenAPI document and /docs.

    ``context_getter`` is the GraphQL router's, so both APIs share one unit of work.
    The app must be created with ``docs_url=None, redoc_url=None``: /docs is served here
    from vendored assets (FastAPI's own loads them from a CDN).
    """
    router = build_router(Gateway(schema, settings), context_getter)
    app.include_router(router, prefix=settings.rest_prefix.rstrip("/"))
    openapi.install(app, [resource.text for resource in ALL])


__all__ = ["install_rest_shim"]
