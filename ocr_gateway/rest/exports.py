"""REST downloads of exports, in the shim's style: each runs one named GraphQL operation
(``operations.EXPORT_JOB_GROUP`` / ``EXPORT_JOB``, the ``export`` fields) and answers
the field's text as a file, with its media type and ``Content-Disposition``::

    GET /ocr-invoice-job-groups/{id}/export?format=csv|json   one row per job
    GET /ocr-invoice-jobs/{id}/export?format=ubl|cii|json     one e-invoice (or object)

Errors are the envelope's: 400 for a bad ``format``, 404 for an unknown id, 422 when the
job's data cannot make the document (``details`` names every missing field).
"""

# No ``from __future__ import annotations``: FastAPI reads the handlers' ``Annotated``
# dependencies at definition time (as in ``rest.router``).

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from ocr_gateway.exports import ExportFormat
from ocr_gateway.rest import operations, schemas
from ocr_gateway.rest.envelope import RestError
from ocr_gateway.rest.gateway import Gateway
from ocr_gateway.rest.openapi import id_parameter
from ocr_gateway.rest.resources import JOB_GROUPS, JOBS, Resource
from ocr_gateway.schema.context import Context

GROUP_FORMATS = (ExportFormat.csv, ExportFormat.json)
JOB_FORMATS = (ExportFormat.ubl, ExportFormat.cii, ExportFormat.json)
ERRORS = {
    400: "Bad parameter (format)",
    401: "No API key, or an unknown or revoked one (header X-API-Key)",
    403: "The API key lacks the read scope",
    404: "No such resource (unknown or malformed id)",
    422: "The job's data cannot make this document; details name each missing field",
}


def export_routes(router: APIRouter, gateway: Gateway, dependency: Callable[..., Any]) -> None:
    _route(router, gateway, dependency, JOB_GROUPS, "job-group", GROUP_FORMATS)
    _route(router, gateway, dependency, JOBS, "job", JOB_FORMATS)


def _route(
    router: APIRouter,
    gateway: Gateway,
    dependency: Callable[..., Any],
    resource: Resource,
    file_prefix: str,
    formats: tuple[ExportFormat, ...],
) -> None:
    operation = operations.EXPORT_JOB_GROUP if resource is JOB_GROUPS else operations.EXPORT_JOB

    async def export(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        format = _format(request, formats)
        id = request.path_params["id"]
        variables = {"id": id, "format": format.value}
        try:
            found = await gateway.run(context, operation, variables)
        except RestError as exc:
            raise _unprocessable(exc) from None
        name = f"{file_prefix}-{id}.{format.extension}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(found["export"], media_type=format.media_type, headers=headers)

    noun = resource.text.noun
    router.add_api_route(
        f"{resource.path}/{{id}}/export",
        export,
        methods=["GET"],
        operation_id=f"export{resource.type_name}",
        name=f"export{resource.type_name}",
        **_docs(resource, noun, formats),
    )


def _format(request: Request, formats: tuple[ExportFormat, ...]) -> ExportFormat:
    raw = request.query_params.get("format")
    allowed = ", ".join(f.value for f in formats)
    if raw is None:
        raise RestError.bad_input(400, "format", f"is required: one of {allowed}")
    for format in formats:
        if raw.lower() == format.value:
            return format
    raise RestError.bad_input(400, "format", f"must be one of {allowed}, not {raw!r}")


def _unprocessable(error: RestError) -> RestError:
    """The format was checked above: bad input from the operation is the job's data."""
    if error.code != "BAD_USER_INPUT":
        return error
    message = f"the data cannot make this document: {error.message}"
    return RestError(422, error.code, message, error.details)


def _docs(resource: Resource, noun: str, formats: tuple[ExportFormat, ...]) -> dict[str, Any]:
    values = [f.value for f in formats]
    per_job = resource is JOBS
    what = (
        "The job as a UBL 2.1 or CII (Factur-X MINIMUM / BASIC WL) e-invoice, or a JSON object"
        if per_job
        else "The group's jobs, one row per job (oldest first): every invoice field's "
        "normalised value, confidence and needsReview"
    )
    json_shape = {"type": "object"} if per_job else {"type": "array", "items": {"type": "object"}}
    content = {
        f.media_type.split(";")[0]: {
            "schema": json_shape if f is ExportFormat.json else {"type": "string"}
        }
        for f in formats
    }
    envelope = {"application/json": {"schema": schemas.ref("ErrorEnvelope")}}
    responses: dict[int | str, Any] = {
        200: {
            "description": f"{what}; a file (Content-Disposition: attachment)",
            "content": content,
        },
        **{status: {"description": text, "content": envelope} for status, text in ERRORS.items()},
        "default": {"description": "Unexpected error", "content": envelope},
    }
    parameter = {
        "name": "format",
        "in": "query",
        "required": True,
        "description": f"One of: {', '.join(values)}",
        "schema": {"type": "string", "enum": values},
    }
    return {
        "summary": f"Export {noun}",
        "description": what + ". Fields the documents did not provide are left out.",
        "tags": [resource.text.tag],
        "responses": responses,
        "openapi_extra": {
            "security": [{"ApiKeyAuth": []}],
            "parameters": [id_parameter(resource.text), parameter],
        },
        "response_model": None,
    }
