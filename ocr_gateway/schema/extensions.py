"""The request's unit of work, and the codes and masking of errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from ocr_gateway.db.availability import is_unavailable
from ocr_gateway.errors import GatewayError, ServiceUnavailable

log = logging.getLogger("ocr_gateway.graphql")
INTERNAL = {"code": "INTERNAL_SERVER_ERROR"}
UNAVAILABLE = {"code": ServiceUnavailable.code}


def is_expected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is None or isinstance(original, (GatewayError, GraphQLError))


def with_code(error: GraphQLError) -> GraphQLError:
    """The error as clients see it: always a code, never the detail of an unexpected one."""
    if error.original_error is not None and is_unavailable(error.original_error):
        log.warning("database unavailable at %s: %s", error.path, error.original_error)
        return GraphQLError(
            ServiceUnavailable.MESSAGE, error.nodes, path=error.path, extensions=UNAVAILABLE
        )
    if not is_expected(error):
        log.error("unexpected error at %s", error.path, exc_info=error.original_error)
        return GraphQLError(
            "Internal server error", error.nodes, path=error.path, extensions=INTERNAL
        )
    if not (error.extensions or {}).get("code"):
        # Parse, validation and variable-coercion errors: the client's request is wrong.
        error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT"}
    return error


class UnitOfWork(SchemaExtension):
    """Commit the request's transaction whole when a mutation succeeded; else roll back."""

    def _is_mutation(self) -> bool:
        if self.execution_context.graphql_document is None:  # the document did not parse
            return False
        return self.execution_context.operation_type == OperationType.MUTATION

    def on_execute(self) -> Iterator[None]:
        self.execution_context.context.writes = self._is_mutation()
        yield

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        commit = (
            result is not None and not result.errors and self._is_mutation() and not context.dry_run
        )
        try:
            await context.finish(commit=commit)
        except Exception as exc:
            unavailable = is_unavailable(exc)
            if unavailable:
                log.warning("commit failed: the database is unavailable (%s)", exc)
            else:
                log.exception("commit failed")
            if result is not None:
                message = "The change could not be saved; nothing was changed"
                result.data = None
                result.errors = [
                    GraphQLError(message, extensions=UNAVAILABLE if unavailable else INTERNAL)
                ]


class StreamedErrorCodes(SchemaExtension):
    """``with_code`` for results sent over WebSockets (subscriptions): they do not pass
    through ``GatewaySchema.execute``, and must not leak an internal detail either."""

    def on_stream_result(self, result: Any) -> None:  # type: ignore[override]
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [with_code(error) for error in errors]
