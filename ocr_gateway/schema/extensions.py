"""Schema extensions: the request's unit of work, error codes and masking.

Order matters: extensions exit in reverse order, so ``ErrorCodes`` (listed first) sees the
errors ``UnitOfWork`` may add when a commit fails.
"""

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


class ErrorCodes(SchemaExtension):
    """Every error gets ``extensions.code``; unexpected ones lose their detail."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        result.errors = [self._coded(error) for error in result.errors]

    @staticmethod
    def _coded(error: GraphQLError) -> GraphQLError:
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

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        is_mutation = self.execution_context.operation_type == OperationType.MUTATION
        commit = is_mutation and result is not None and not result.errors
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
