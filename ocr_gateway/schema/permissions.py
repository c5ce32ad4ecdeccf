"""Authorisation per root field, before anything runs: a read key can query but not mutate,
processing needs the process scope. A refused operation does no work at all."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from ocr_gateway.auth import AuthFailure, Principal, Scope

INTROSPECTION = frozenset({"__schema", "__type", "__typename"})


def required_scope(operation: OperationType, field: str) -> Scope | None:
    if field in INTROSPECTION:
        return None
    if operation == OperationType.MUTATION:
        return Scope.process if field.startswith("process") else Scope.write
    return Scope.read


def root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, SelectionSetNode]
) -> Iterator[str]:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from root_fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            yield from root_fields(fragments.pop(selection.name.value), fragments)


class RequireScopes(SchemaExtension):
    def on_execute(self):  # type: ignore[no-untyped-def]
        refusal = self._refusal()
        if refusal is not None:
            # Setting the result here makes Strawberry skip execution entirely.
            self.execution_context.result = ExecutionResult(data=None, errors=[refusal])
        yield

    def _refusal(self) -> GraphQLError | None:
        context = self.execution_context.context
        principal = getattr(context, "principal", None)
        if not context.settings.auth_enabled:
            return None
        document = self.execution_context.graphql_document
        assert document is not None
        operation = self.execution_context.operation_type
        fragments = {
            d.name.value: d.selection_set
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        node = _operation(document.definitions, self.execution_context.operation_name)
        needed = {
            scope
            for field in root_fields(node.selection_set, fragments)
            if (scope := required_scope(operation, field)) is not None
        }
        if not needed:
            return None
        if not isinstance(principal, Principal):
            failure = principal if isinstance(principal, AuthFailure) else AuthFailure.missing
            return GraphQLError(failure.message, extensions={"code": "UNAUTHENTICATED"})
        missing = sorted(s.value for s in needed if not principal.allows(s))
        if missing:
            return GraphQLError(
                f"the API key lacks the scope(s) {', '.join(missing)} this operation needs",
                extensions={"code": "FORBIDDEN", "missingScopes": missing},
            )
        return None


def _operation(definitions: object, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]  # type: ignore[attr-defined]
    if name is None:
        return operations[0]
    return next(o for o in operations if o.name is not None and o.name.value == name)
