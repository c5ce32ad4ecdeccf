"""The request's unit of work, and the codes and masking of errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from ocr_gateway.errors import GatewayError

log = logging.getLogger("ocr_gateway.graphql")
INTERNAL = {"code": "INTERNAL_SERVER_ERROR"}


def is_expected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is None or isinstance(original, (GatewayError, GraphQLError))


def with_code(error: GraphQLError) -> GraphQLError:
    """The error as clients see it: always a code, never the detail of an unexpected one."""
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

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        commit = result is not None and not result.errors and self._is_mutation()
        try:
            await context.finish(commit=commit)
        except Exception:
            log.exception("commit failed")
            if result is not None:
                result.data = None
                result.errors = [
                    GraphQLError(
                        "The change could not be saved; nothing was changed", extensions=INTERNAL
                    )
                ]
