"""REST routes: each parses its parameters, runs one named GraphQL operation, shapes the answer.

No route touches a service or the database: everything goes through ``Gateway.run`` and the
schema, so REST and GraphQL cannot drift apart. Query and path parameters are read by hand
(and documented by hand in ``openapi``) so their OpenAPI description is exactly the seeds'
and a bad one is the envelope's 400, not FastAPI's 422.
"""

# No ``from __future__ import annotations``: FastAPI reads the handlers' ``Annotated``
# dependencies at definition time, and they close over per-app values.

import logging
from collections import defaultdict
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from ocr_gateway.auth import AuthFailure, Principal, Scope
from ocr_gateway.db.availability import is_unavailable
from ocr_gateway.errors import GatewayError, ServiceUnavailable
from ocr_gateway.http import BodyTooLarge
from ocr_gateway.rest import envelope, openapi, operations
from ocr_gateway.rest.envelope import RestError
from ocr_gateway.rest.exports import export_routes
from ocr_gateway.rest.gateway import Gateway, list_variables
from ocr_gateway.rest.payload import read_object
from ocr_gateway.rest.resources import ALL as RESOURCES
from ocr_gateway.rest.resources import JOB_GROUPS, JOBS, PAGES, Resource
from ocr_gateway.schema.context import Context

log = logging.getLogger("ocr_gateway.rest")
ContextGetter = Callable[..., Any]
Handler = Callable[..., Coroutine[Any, Any, Response]]
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


class RestRoute(APIRoute):
    """Answers every failure below a REST route with the error envelope."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RestError as exc:
                return exc.response()
            except GatewayError as exc:  # raised by the context getter (e.g. a bad API key)
                return envelope.from_gateway_error(exc).response()
            except RequestValidationError as exc:
                fields = [".".join(map(str, e.get("loc", ()))) for e in exc.errors()]
                return RestError.bad_input(400, ", ".join(fields), "is not valid").response()
            except (HTTPException, BodyTooLarge):
                raise  # answered by Starlette / by the body-limit middleware
            except Exception as exc:  # a bug: logged, answered in the envelope without detail
                if is_unavailable(exc):
                    log.warning(
                        "REST %s %s: database unavailable (%s)",
                        request.method,
                        request.url.path,
                        exc,
                    )
                    return envelope.from_gateway_error(ServiceUnavailable()).response()
                log.exception("REST %s %s failed", request.method, request.url.path)
                return RestError(500, "INTERNAL_SERVER_ERROR", "Internal server error").response()

        return route


def route_scope(method: str, path: str) -> Scope:
    """The scope a REST call needs: the one its GraphQL operation needs."""
    if method == "GET":
        return Scope.read
    return Scope.process if path.rstrip("/").endswith("/process") else Scope.write


def context_dependency(getter: ContextGetter) -> Callable[..., Coroutine[Any, Any, Context]]:
    """The GraphQL router's context (same getter), completed as Strawberry completes it.

    A caller without a valid key, or without the scope the route's operation needs, is
    refused here, before its body is read (so a bad body never answers before 401/403). The
    schema checks the same scopes again before the operation is validated (``schema.admission``).
    """

    async def dependency(
        request: Request,
        background_tasks: BackgroundTasks,
        response: Response,
        context: Annotated[Context, Depends(getter)],
    ) -> Context:
        if isinstance(context.principal, AuthFailure):
            raise RestError(401, "UNAUTHENTICATED", context.principal.message)
        needed = route_scope(request.method, request.url.path)
        if isinstance(context.principal, Principal) and not context.principal.allows(needed):
            message = f"the API key lacks the scope {needed.value} this operation needs"
            raise RestError(403, "FORBIDDEN", message)
        context.request = request
        context.background_tasks = background_tasks
        context.response = response
        return context

    return dependency


def build_router(gateway: Gateway, context_getter: ContextGetter) -> APIRouter:
    router = APIRouter(route_class=RestRoute)
    dependency = context_dependency(context_getter)
    for resource in RESOURCES:
        _crud_routes(router, gateway, resource, dependency)
    _process_route(router, gateway, dependency)
    _from_document_route(router, gateway, dependency)
    _children_route(router, gateway, dependency, JOB_GROUPS, "jobs", operations.JOBS_OF_GROUP)
    _children_route(router, gateway, dependency, JOBS, "pages", operations.PAGES_OF_JOB)
    _correction_routes(router, gateway, dependency)
    export_routes(router, gateway, dependency)
    _method_routes(router)
    return router


def _method_routes(router: APIRouter) -> None:
    """OPTIONS answers 204 with every method of the path in ``Allow``; a method the path
    does not have answers 405 in the envelope, with the same ``Allow`` (RFC 9110)."""
    methods: dict[str, set[str]] = defaultdict(set)
    for route in router.routes:
        if isinstance(route, APIRoute):
            methods[route.path] |= route.methods or set()
    for path, allowed in methods.items():
        allow = ", ".join(sorted(allowed | {"OPTIONS"}))
        router.add_api_route(
            path,
            _answer_method(allow),
            methods=sorted(set(HTTP_METHODS) - allowed),
            include_in_schema=False,
        )


def _answer_method(allow: str) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    async def answer(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": allow})
        message = f"{request.method} is not allowed here; allowed: {allow}"
        response = RestError(405, "METHOD_NOT_ALLOWED", message).response()
        response.headers["Allow"] = allow
        return response

    return answer


def _camel(words: str) -> str:
    return "".join(word.capitalize() for word in words.split())


def _add(
    router: APIRouter, path: str, method: str, handler: Handler, name: str, docs: dict[str, Any]
) -> None:
    router.add_api_route(path, handler, methods=[method], operation_id=name, name=name, **docs)


def _missing(body: dict[str, Any], fields: tuple[str, ...]) -> list[dict[str, str]]:
    """PUT replaces the fields the seeds mark required, so they must be there (and not null)."""
    return [{"field": f, "message": "is required"} for f in fields if body.get(f) is None]


def _crud_routes(
    router: APIRouter, gateway: Gateway, resource: Resource, dependency: Callable[..., Any]
) -> None:
    ops, text, path = resource.operations, resource.text, resource.path
    one, many = _camel(text.noun), _camel(text.plural)
    spec = gateway.list_spec(resource.type_name)
    item = f"{path}/{{id}}"

    async def list_rows(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        variables = list_variables(request.query_params, spec)
        rows = await gateway.run(context, ops.list, variables)
        return envelope.many(rows["items"], rows["totalCount"])

    async def create(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        body = await read_object(request)
        row = await gateway.run(context, ops.create, {"input": body}, body=True)
        return envelope.one(row, status=201)

    async def get(request: Request, context: Annotated[Context, Depends(dependency)]) -> Response:
        row = await gateway.run(context, ops.get, {"id": request.path_params["id"]})
        return envelope.one(row)

    async def update(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        body = await read_object(request)
        missing = _missing(body, resource.required)
        variables = {"id": request.path_params["id"], "input": body}
        row = await gateway.run(context, ops.update, variables, body=True, problems=missing)
        return envelope.one(row)

    async def delete(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        variables: dict[str, Any] = {"id": request.path_params["id"]}
        if resource is JOBS:
            variables["cascade"] = _boolean(request, "cascade")
        await gateway.run(context, ops.delete, variables)
        return envelope.deleted(resource.deleted_message)

    _add(router, path, "GET", list_rows, f"list{many}", openapi.route_docs(text, "list", spec))
    _add(router, path, "POST", create, f"create{one}", openapi.route_docs(text, "create"))
    _add(router, item, "GET", get, f"get{one}", openapi.route_docs(text, "get"))
    _add(router, item, "PUT", update, f"update{one}", openapi.route_docs(text, "update"))
    cascade = [openapi.CASCADE_PARAMETER] if resource is JOBS else []
    delete_docs = openapi.route_docs(text, "delete", extra_parameters=cascade)
    _add(router, item, "DELETE", delete, f"delete{one}", delete_docs)


def _boolean(request: Request, name: str) -> bool:
    raw = request.query_params.get(name, "false").lower()
    if raw not in BOOLEANS:
        raise RestError.bad_input(400, name, "must be true or false")
    return BOOLEANS[raw]


def _process_route(router: APIRouter, gateway: Gateway, dependency: Callable[..., Any]) -> None:
    async def process(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        page = await gateway.run(
            context, operations.PROCESS_PAGE, {"id": request.path_params["id"]}
        )
        return envelope.one(page)

    path = f"{PAGES.path}/{{id}}/process"
    docs = openapi.route_docs(PAGES.text, "process")
    _add(router, path, "POST", process, "processOcrInvoiceJobPage", docs)


def _from_document_route(
    router: APIRouter, gateway: Gateway, dependency: Callable[..., Any]
) -> None:
    async def from_document(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        body = await read_object(request)
        variables = {"input": body}
        row = await gateway.run(context, operations.JOB_FROM_DOCUMENT, variables, body=True)
        return envelope.one(row, status=201)

    docs = openapi.route_docs(JOBS.text, "from-document")
    _add(router, f"{JOBS.path}/from-document", "POST", from_document, "createJobFromDocument", docs)


def _correction_routes(router: APIRouter, gateway: Gateway, dependency: Callable[..., Any]) -> None:
    """PUT sets the correction of one invoice field of a job (body ``{"value": ...}``),
    DELETE removes it; both answer the job with its re-derived invoiceData."""

    def target(request: Request) -> dict[str, Any]:
        return {"jobId": request.path_params["id"], "field": request.path_params["field"]}

    async def correct(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        body = await read_object(request)
        problems = [{"field": k, "message": "is not a known field"} for k in body if k != "value"]
        if "value" not in body:
            problems.insert(0, {"field": "value", "message": "is required (null: none)"})
        if problems:
            message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
            raise RestError(422, "BAD_USER_INPUT", message, problems)
        variables = {**target(request), "value": body["value"]}
        job = await gateway.run(context, operations.CORRECT_FIELD, variables, from_body=True)
        return envelope.one(job)

    async def remove(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        operation = operations.REMOVE_FIELD_CORRECTION
        job = await gateway.run(context, operation, target(request))
        return envelope.one(job)

    path = f"{JOBS.path}/{{id}}/corrections/{{field}}"
    _add(router, path, "PUT", correct, "correctOcrInvoiceJobField", openapi.correction_docs("put"))
    docs = openapi.correction_docs("delete")
    _add(router, path, "DELETE", remove, "removeOcrInvoiceJobFieldCorrection", docs)


def _children_route(
    router: APIRouter,
    gateway: Gateway,
    dependency: Callable[..., Any],
    parent: Resource,
    action: str,
    operation: operations.Operation,
) -> None:
    async def children(
        request: Request, context: Annotated[Context, Depends(dependency)]
    ) -> Response:
        rows, total = await gateway.run_all(context, operation, request.path_params["id"])
        return envelope.many(rows, total)

    child = "Job" if action == "jobs" else "Page"
    name = f"list{child}sOf{_camel(parent.text.noun)}"
    docs = openapi.route_docs(parent.text, action)
    _add(router, f"{parent.path}/{{id}}/{action}", "GET", children, name, docs)
