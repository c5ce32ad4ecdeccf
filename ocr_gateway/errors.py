"""Errors the service raises on purpose, each with the code clients see.

    GatewayError                 code            HTTP (REST shim)
    ├── InvalidInput             BAD_USER_INPUT  400/422, carries per-field problems
    ├── NotFound                 NOT_FOUND       404
    ├── Conflict                 CONFLICT        409
    ├── Unauthenticated          UNAUTHENTICATED 401
    ├── Forbidden                FORBIDDEN       403
    └── ServiceUnavailable       SERVICE_UNAVAILABLE 503 (the database is unreachable)

Anything else that escapes a resolver is a bug: it is logged and reaches the client as
INTERNAL_SERVER_ERROR with no detail (see ``schema.extensions.ErrorMasking``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class GatewayError(Exception):
    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    @property
    def extensions(self) -> dict[str, Any]:
        # graphql-core copies `original_error.extensions` onto the GraphQLError it builds.
        return {"code": self.code, **self.details}


class InvalidInput(GatewayError):
    code = "BAD_USER_INPUT"

    def __init__(self, problems: list[FieldProblem], message: str | None = None) -> None:
        self.problems = problems
        text = message or "; ".join(f"{p.field}: {p.message}" for p in problems)
        super().__init__(text, fields=[p.to_dict() for p in problems])

    @classmethod
    def single(cls, field: str, message: str) -> InvalidInput:
        return cls([FieldProblem(field, message)])


class NotFound(GatewayError):
    code = "NOT_FOUND"

    def __init__(self, resource: str, id: str) -> None:
        super().__init__(f"{resource} {id!r} not found", resource=resource, id=id)


class Conflict(GatewayError):
    code = "CONFLICT"


class Unauthenticated(GatewayError):
    code = "UNAUTHENTICATED"


class Forbidden(GatewayError):
    code = "FORBIDDEN"


class ServiceUnavailable(GatewayError):
    """The database cannot be reached now; the client may retry shortly."""

    code = "SERVICE_UNAVAILABLE"
    MESSAGE = "the database is unavailable; try again shortly"

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)
