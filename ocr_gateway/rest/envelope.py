"""The REST envelope, and how GraphQL errors become REST errors.

Success: ``{"success": true, "data": ...}`` (plus ``"total"`` for lists, or
``{"success": true, "message": ...}`` for deletes). Failure:
``{"success": false, "error": {"code", "message", "details": [{"field", "message"}]}}``.

    error code (GraphQL extensions.code)   HTTP
    BAD_USER_INPUT in a query parameter     400
    BAD_USER_INPUT in a request body        422 (400 when the body is not JSON at all)
    UNAUTHENTICATED / FORBIDDEN             401 / 403
    NOT_FOUND                               404 (unknown and malformed ids alike)
    CONFLICT                                409
    PAYLOAD_TOO_LARGE                       413
    TIMEOUT                                 504
    SERVICE_UNAVAILABLE (database down)     503
    anything else                           500, with no detail
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graphql import GraphQLError
from starlette.responses import JSONResponse

from ocr_gateway.errors import GatewayError

log = logging.getLogger("ocr_gateway.rest")

REFERENCES = ("job", "group", "template")
STATUS_BY_CODE = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "TIMEOUT": 504,
    "SERVICE_UNAVAILABLE": 503,
}


class RestError(Exception):
    """An answer with ``"success": false``; raised anywhere below a REST route."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Sequence[Mapping[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = [dict(d) for d in details]

    @classmethod
    def bad_input(cls, status: int, field: str, message: str) -> RestError:
        return cls(status, "BAD_USER_INPUT", f"{field}: {message}", [_detail(field, message)])

    def response(self) -> JSONResponse:
        error = {"code": self.code, "message": self.message, "details": self.details}
        return JSONResponse({"success": False, "error": error}, status_code=self.status)


def _detail(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def one(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse({"success": True, "data": flatten_references(data)}, status_code=status)


def many(items: Iterable[Any], total: int) -> JSONResponse:
    data = [flatten_references(item) for item in items]
    return JSONResponse({"success": True, "data": data, "total": total})


def deleted(message: str) -> JSONResponse:
    return JSONResponse({"success": True, "message": message})


def flatten_references(item: Any) -> Any:
    """``{"job": {"id": "..."}}`` -> ``{"job": "..."}``: REST carries relations as ids."""
    if not isinstance(item, dict):
        return item
    for key in REFERENCES:
        value = item.get(key)
        if isinstance(value, dict):
            item[key] = value.get("id")
    return item


# ---------------------------------------------------------------- GraphQL errors


def from_graphql(
    errors: Sequence[GraphQLError], *, body: bool, enums: Mapping[str, Sequence[str]]
) -> RestError:
    """The REST error for a failed operation. ``body``: the operation carries a request body,
    so bad input there is a 422 (a failed validation) rather than a 400 (a bad parameter).
    ``enums``: the values of each GraphQL enum, to tell the client what is allowed."""
    first = errors[0]
    code = (first.extensions or {}).get("code", "INTERNAL_SERVER_ERROR")
    if code == "BAD_USER_INPUT" and _is_document_error(first):
        code = "INTERNAL_SERVER_ERROR"  # our own document failed validation: a bug, not input
        log.error("REST operation does not validate: %s", first.message)
    if code == "BAD_USER_INPUT":
        return _bad_input(errors, status=422 if body else 400, enums=enums)
    if code == "INTERNAL_SERVER_ERROR" or code not in STATUS_BY_CODE:
        return RestError(500, "INTERNAL_SERVER_ERROR", "Internal server error")
    return RestError(STATUS_BY_CODE[code], code, first.message, _conflict_details(first))


def from_gateway_error(error: GatewayError) -> RestError:
    """For service errors raised outside an operation (e.g. by the context getter)."""
    status = STATUS_BY_CODE.get(error.code, 500 if error.code != "BAD_USER_INPUT" else 400)
    details = error.details.get("fields", [])
    return RestError(status, error.code, error.message, details)


def _is_document_error(error: GraphQLError) -> bool:
    return not error.path and not error.message.startswith("Variable '$")


def _bad_input(
    errors: Sequence[GraphQLError], *, status: int, enums: Mapping[str, Sequence[str]]
) -> RestError:
    details: list[dict[str, str]] = []
    for error in errors:
        fields = (error.extensions or {}).get("fields")
        if fields:
            details.extend(_detail(f["field"], f["message"]) for f in fields)
        else:
            details.append(coercion_detail(error.message, enums))
    message = "; ".join(
        f"{d['field']}: {d['message']}" if d["field"] else d["message"] for d in details
    )
    return RestError(status, "BAD_USER_INPUT", message, details)


def _conflict_details(error: GraphQLError) -> list[dict[str, str]]:
    field = (error.extensions or {}).get("field")
    return [_detail(field, error.message)] if isinstance(field, str) else []


# graphql-core's variable coercion messages, rewritten in the REST vocabulary.
_ENUM = "must be one of: {}"
_VARIABLE = re.compile(r"^Variable '\$(?P<var>\w+)' has invalid value(?: at (?P<at>\S+))?: ")
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replacement)
    for pattern, replacement in (
        (r"^Expected value of type '\w+' to include required field '(\w+)'.*", "is required"),
        (
            r"^Expected value of type '\w+' not to include unknown field '(\w+)'.*",
            "is not a known field",
        ),
        (r"^Expected a value of non-null type .* to be provided\.$", "is required"),
        (r"^Expected value of non-null type .* not to be None\.$", "must not be null"),
        (r"^Expected value of type '\w+' to be an object.*", "must be a JSON object"),
        (r"^Int cannot represent non 32-bit.*", "must be an integer between -2^31 and 2^31-1"),
        (r"^Int cannot represent.*", "must be an integer"),
        (r"^Float cannot represent.*", "must be a number"),
        (r"^String cannot represent.*", "must be a string"),
        (r"^Boolean cannot represent.*", "must be true or false"),
        (r"^ID cannot represent.*", "must be a string"),
        (r"^Value cannot represent a DateTime.*", "must be an ISO 8601 date-time"),
        (r"^Value '.*' does not exist in '(\w+)' enum.*", _ENUM),
        (r"^Enum '(\w+)' cannot represent.*", _ENUM),
    )
)
_FIELD_NAMED = ("is required", "is not a known field")


def coercion_detail(message: str, enums: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """``Variable '$input' has invalid value at .pageNumber: Int cannot ...`` ->
    ``{"field": "pageNumber", "message": "must be an integer"}``."""
    match = _VARIABLE.match(message)
    if match is None:
        return _detail("", message)
    rest = message[match.end() :]
    path = rest_path(match["var"], match["at"] or "")
    for pattern, replacement in _REWRITES:
        found = pattern.match(rest)
        if found is None:
            continue
        if replacement in _FIELD_NAMED and found.groups():
            path = ".".join(part for part in (path, found[1]) if part)
        if replacement == _ENUM:
            replacement = _ENUM.format(", ".join(enums.get(found[1], ())))
        return _detail(path, replacement)
    return _detail(path, rest)


_OPERATOR_NAMES = {
    "eq": "$eq", "ne": "$ne", "gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte",
    "in": "$in", "nin": "$nin", "exists": "$exists", "and": "$and", "or": "$or",
    "hasAny": "$in", "hasNone": "$nin", "hasAll": "$all", "has": "$eq",
}  # fmt: skip


def rest_path(variable: str, at: str) -> str:
    """A GraphQL variable path as the REST client wrote it: the body's own field names, and
    the filter's Mongo operators (``.and[0].pageNumber.gt`` -> ``filter.$and[0].pageNumber.$gt``).
    """
    segments = [s for s in at.split(".") if s]
    if variable == "input":
        return ".".join(segments)
    if variable == "filter":
        renamed = []
        for segment in segments:
            name, bracket, index = segment.partition("[")
            renamed.append(_OPERATOR_NAMES.get(name, name) + bracket + index)
        return ".".join(["filter", *renamed])
    return ".".join([variable, *segments])
