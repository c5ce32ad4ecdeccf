"""The OpenAPI description of the REST shim, and the self-hosted Swagger UI at ``/docs``.

Summaries, descriptions, parameter descriptions, constraints, enums and defaults of the
page and job-group operations are the seed documents' words; what the seeds leave open
(what a delete does below it, PUT semantics, the filter syntax) is said in the response
and request-body descriptions and in the API description, so the seeds' texts stay verbatim.
Swagger UI's assets are vendored (``ocr_gateway/static/swagger``): /docs needs no internet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from ocr_gateway.rest import schemas
from ocr_gateway.rest.gateway import ListSpec
from ocr_gateway.rest.mongo_filter import OPERATORS

SWAGGER_DIR = Path(__file__).resolve().parent.parent / "static" / "swagger"
SWAGGER_URL = "/swagger-static"
SWAGGER_VERSION = "5.35.0"
API_KEY_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "X-API-Key",
    "description": "An API key (`ocr-gateway apikey create`)",
}

LIST_PARAMETERS = (
    ("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
     "Maximum number of records to return"),
    ("offset", {"type": "integer", "minimum": 0, "default": 0},
     "Number of records to skip for pagination"),
    ("sort", {"type": "string"}, "Field to sort by"),
    ("order", {"type": "string", "enum": ["asc", "desc"], "default": "desc"},
     "Sort order (asc or desc)"),
    ("filter", {"type": "string"}, "Filter conditions in JSON format"),
    ("search", {"type": "string"}, "Search term for text fields"),
)  # fmt: skip

CASCADE_PARAMETER = {
    "name": "cascade",
    "in": "query",
    "required": False,
    "description": "Also delete the job's pages; without it a job that has pages is not "
    "deleted (409)",
    "schema": {"type": "boolean", "default": False},
}
CHILDREN_NOTE = (
    "Every row (a group's jobs oldest first, a job's pages in page-number order), read 100 at "
    "a time up to 10,000; total is how many there are in all"
)

FILTER_GUIDE = f"""
**Lists** take `limit` (1..100, default 50), `offset` (default 0), `sort` (a field of the
list's whitelist, default `createdAt`), `order` (`asc`|`desc`, default `desc`), `search`
(case-insensitive, over the resource's text fields) and `filter`: a MongoDB-style JSON
object over whitelisted fields, e.g. `{{"status": "processed", "pageNumber": {{"$gte": 2}}}}`.
Operators: {", ".join(f"`{o}`" for o in OPERATORS)}, `$and`, `$or`; `$all` on `tags`;
dotted paths reach into `metadata` (`{{"metadata.customer.region": "emea"}}`).
Keys at one level are ANDed. `total` counts what filter and search match, whatever the paging.

**Errors** answer `{{"success": false, "error": {{"code", "message", "details"}}}}`: 400 for a bad
parameter or a body that is not JSON, 401 without a valid API key (`X-API-Key`), 403 when
the key lacks the scope, 404 for an unknown or malformed id, 409 for a
conflict (e.g. a page number already used in the job), 413 for a body over 1 MiB, 422 for a
body that fails validation (`details` names each field).

Every call is carried out by the GraphQL schema served at `/graphql`: both APIs validate and
behave the same way.
"""


@dataclass(frozen=True)
class ResourceText:
    """The words one resource's operations are documented with."""

    tag: str
    tag_description: str
    noun: str  # "OCR invoice job page"
    plural: str
    schema: str  # the component name: "Page"
    delete_effect: str
    seeds: dict[str, tuple[str, str]]  # action -> (summary, description)

    @property
    def id_description(self) -> str:
        return f"{self.noun} ID"


def list_parameters(spec: ListSpec) -> list[dict[str, Any]]:
    """The seeds' list parameters; sort and filter also say what this list accepts."""
    schemas_ = {"sort": {"type": "string", "enum": list(spec.sorts)}}
    extra = {
        "sort": f"\n\nOne of: {', '.join(spec.sorts)} (default createdAt).",
        "filter": f"\n\nFilterable fields: {spec.vocabulary.describe()}. "
        "See the API description for the operators.",
    }
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": description + extra.get(name, ""),
            "schema": schemas_.get(name, schema),
        }
        for name, schema, description in LIST_PARAMETERS
    ]


def id_parameter(text: ResourceText) -> dict[str, Any]:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "description": text.id_description,
        "schema": {"type": "string", "pattern": schemas.ID_PATTERN},
    }


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": schemas.ref(schema)}}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    words = {
        400: "Bad parameter, or a body that is not JSON",
        401: "No API key, or an unknown or revoked one (header X-API-Key)",
        403: "The API key lacks the scope this operation needs (read, write or process)",
        404: "No such resource (unknown or malformed id)",
        409: "Conflict with the current state",
        413: "Request body over 1 MiB",
        422: "The body failed validation; details name each field",
    }
    out: dict[int | str, dict[str, Any]] = {
        status: {"description": words[status], "content": _json("ErrorEnvelope")}
        for status in statuses
    }
    out["default"] = {"description": "Unexpected error", "content": _json("ErrorEnvelope")}
    return out


@dataclass(frozen=True)
class ActionDocs:
    status: int
    response: str  # component name; "{schema}" stands for the resource's
    errors: tuple[int, ...]
    description: str | None  # of the success response (None: the resource's delete_effect)
    body: str | None = None
    by_id: bool = True


ACTIONS = {
    "list": ActionDocs(
        200, "{schema}ListEnvelope", (400,), "The matching rows and how many match in all",
        by_id=False,
    ),
    "create": ActionDocs(
        201, "{schema}Envelope", (400, 409, 413, 422), "Created", "{schema}Create", by_id=False
    ),
    "get": ActionDocs(200, "{schema}Envelope", (404,), "Found"),
    "update": ActionDocs(
        200, "{schema}Envelope", (400, 404, 409, 413, 422), "Updated", "{schema}Update"
    ),
    "delete": ActionDocs(200, "DeleteEnvelope", (404, 409), None),
    "process": ActionDocs(
        200, "PageEnvelope", (404, 409),
        "Queued: the page (status queued) as it stands now; OCR runs in the background and "
        "its results appear on the page once it is processed",
    ),
    "from-document": ActionDocs(
        201, "JobEnvelope", (400, 403, 413, 422),
        "Created: the job with a page per PDF page (one for an image), in one transaction; "
        "with process: true the pages are queued too. A document that cannot be fetched, or "
        "is encrypted, broken, empty, over the page limit or neither a PDF nor an image, "
        "answers 422 naming documentUrl, and nothing is created",
        "JobFromDocument", by_id=False,
    ),
    "jobs": ActionDocs(200, "JobListEnvelope", (404,), CHILDREN_NOTE),
    "pages": ActionDocs(200, "PageListEnvelope", (404,), CHILDREN_NOTE),
}  # fmt: skip


def route_docs(
    text: ResourceText,
    action: str,
    spec: ListSpec | None = None,
    extra_parameters: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The keyword arguments of ``add_api_route`` that document one operation."""
    docs = ACTIONS[action]
    summary, description = text.seeds[action]
    parameters = [id_parameter(text)] if docs.by_id else []
    if spec is not None:
        parameters = list_parameters(spec)
    extra: dict[str, Any] = {"security": [{"ApiKeyAuth": []}]}
    if parameters or extra_parameters:
        extra["parameters"] = [*parameters, *extra_parameters]
    if docs.body is not None:
        body = docs.body.format(schema=text.schema)
        extra["requestBody"] = {"required": True, "content": _json(body)}
    success = {
        "description": docs.description or text.delete_effect,
        "content": _json(docs.response.format(schema=text.schema)),
    }
    errors = (401, 403, *docs.errors, *((400,) if extra_parameters else ()))
    return {
        "summary": summary,
        "description": description,
        "tags": [text.tag],
        "status_code": docs.status,
        "responses": {docs.status: success, **_errors(*sorted(set(errors)))},
        "openapi_extra": extra,
        "response_model": None,
    }


CORRECTION_PARAMETERS = [
    {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "OCR invoice job ID",
        "schema": {"type": "string", "pattern": schemas.ID_PATTERN},
    },
    {
        "name": "field",
        "in": "path",
        "required": True,
        "description": "A field of the job's template (the generic one: invoiceNumber, "
        "invoiceDate, dueDate, total, subtotal, tax, currency, vendorName)",
        "schema": {"type": "string", "minLength": 1, "maxLength": 64},
    },
]
CORRECTION_TEXTS = {
    "put": (
        "Correct an invoice field of a job",
        "Store a person's value for one field of the job's invoice data, beside the extracted "
        "one (who, when, what extraction said). The field's needsReview is cleared and "
        "invoiceData is re-derived: the corrected value wins (method manual, confidence 1, "
        "the extracted value kept under extracted), also after the job is processed again. "
        "A new correction of the field replaces the last. The value must fit the field's "
        "type: text; a date as YYYY-MM-DD; an amount as a number or decimal string with at "
        "most the currency's decimals; an ISO 4217 code; null when the document has none.",
        "Corrected: the job with its re-derived invoiceData and its corrections",
    ),
    "delete": (
        "Remove the correction of an invoice field",
        "Remove the correction of one field: invoiceData shows what extraction found again.",
        "Removed: the job with its re-derived invoiceData and its corrections",
    ),
}


def correction_docs(method: str) -> dict[str, Any]:
    """``PUT`` / ``DELETE /ocr-invoice-jobs/{id}/corrections/{field}``."""
    summary, description, success = CORRECTION_TEXTS[method]
    extra: dict[str, Any] = {
        "security": [{"ApiKeyAuth": []}],
        "parameters": CORRECTION_PARAMETERS,
    }
    errors: tuple[int, ...] = (401, 403, 404)
    if method == "put":
        extra["requestBody"] = {"required": True, "content": _json("FieldCorrectionBody")}
        errors = (400, 401, 403, 404, 409, 413, 422)
    return {
        "summary": summary,
        "description": description,
        "tags": ["OCR Invoice Job"],
        "status_code": 200,
        "responses": {
            200: {"description": success, "content": _json("JobEnvelope")},
            **_errors(*errors),
        },
        "openapi_extra": extra,
        "response_model": None,
    }


def install(app: FastAPI, texts: Sequence[ResourceText]) -> None:
    """Serve ``/openapi.json`` with the REST components, and Swagger UI at ``/docs``."""
    tags = [{"name": t.tag, "description": t.tag_description} for t in texts]

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=(app.description or "") + FILTER_GUIDE,
                routes=app.routes,
                tags=[*(app.openapi_tags or []), *tags],
            )
            parts = document.setdefault("components", {})
            parts.setdefault("schemas", {}).update(schemas.components())
            parts.setdefault("securitySchemes", {})["ApiKeyAuth"] = API_KEY_SCHEME
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.mount(SWAGGER_URL, StaticFiles(directory=SWAGGER_DIR), name="swagger-static")

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"),
            title=f"{app.title} - REST API",
            swagger_js_url=f"{root}{SWAGGER_URL}/swagger-ui-bundle-{SWAGGER_VERSION}.js",
            swagger_css_url=f"{root}{SWAGGER_URL}/swagger-ui-{SWAGGER_VERSION}.css",
            swagger_favicon_url=f"{root}{SWAGGER_URL}/favicon-32x32-{SWAGGER_VERSION}.png",
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
        )

    app.add_api_route("/docs", swagger_ui, methods=["GET"], include_in_schema=False)
