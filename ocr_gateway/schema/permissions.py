"""Authorisation per root field, before anything runs: a read key can query but not mutate,
processing needs the process scope. A refused operation does no work at all: the check runs
on the parsed document, before validation (``schema.admission``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from graphql import (
    DefinitionNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
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


def refusal(
    principal: Principal | AuthFailure | None,
    document: DocumentNode,
    operation_type: OperationType,
    operation_name: str | None,
) -> GraphQLError | None:
    """Why the caller may not run this operation (UNAUTHENTICATED, FORBIDDEN), or None.

    Needs only the parsed document (linear in its size), so it runs before validation.
    """
    fragments = {
        d.name.value: d.selection_set
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    node = _operation(document.definitions, operation_name)
    if node is None:
        return None  # Strawberry reports the unknown operation
    needed = {
        scope
        for field in root_fields(node.selection_set, fragments)
        if (scope := required_scope(operation_type, field)) is not None
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


def _operation(
    definitions: Iterable[DefinitionNode], name: str | None
) -> OperationDefinitionNode | None:
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if operations else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)
