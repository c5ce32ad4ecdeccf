"""Admission: the checks a GraphQL document passes before anything costly is done with it.

Strawberry runs, per request: parse -> validate -> execute. This extension *is* the validate
step (it replaces ``ValidationCache``), and does, in this order:

1. **authorisation** of the operation's root fields (``permissions.refusal``): a caller
   without a valid key, or without the scopes the operation needs, is refused before the
   document is validated (only introspection is open to everyone);
2. **size**: the number of selections once every fragment spread is expanded, over every
   operation and fragment of the document, computed once per fragment (linear in the
   document's length), refused above ``max_selections``. A fragment that spreads the previous
   one twice doubles the size per fragment; refused here, it never reaches the rules below;
3. **validation** by graphql-core's rules and ours (depth, aliases), cached per document.
   Their cost grows with the expanded size (some rules walk every expansion, some compare
   fields pairwise), so step 2 bounds it.

Parsing itself is bounded by the token limit (``MaxTokensLimiter``) and linear.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from starlette.requests import Request
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from ocr_gateway.schema.permissions import refusal

VALIDATION_CACHE_SIZE = 256


def expanded_selections(document: DocumentNode, cap: int) -> int:
    """Selections in ``document`` with every fragment spread expanded (at most ``cap + 1``).

    Each selection set is measured once and its size reused wherever it is spread, so the
    work is linear in the document even when the expansion is exponential. Spreads of
    unknown fragments and fragment cycles count zero (validation reports them).
    """
    fragments = {
        d.name.value: d.selection_set
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    roots = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, (OperationDefinitionNode, FragmentDefinitionNode))
    ]
    sizes: dict[int, int] = {}
    total = 0
    for root in roots:
        total = min(cap + 1, total + _measure(root, fragments, sizes, cap))
    return total


def _children(
    selection_set: SelectionSetNode, fragments: dict[str, SelectionSetNode]
) -> Iterator[SelectionSetNode]:
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            spread = fragments.get(selection.name.value)
            if spread is not None:
                yield spread
        elif isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set:
            yield selection.selection_set


def _own_size(
    selection_set: SelectionSetNode,
    fragments: dict[str, SelectionSetNode],
    sizes: dict[int, int],
    cap: int,
) -> int:
    size = sum(isinstance(s, FieldNode) for s in selection_set.selections)
    for child in _children(selection_set, fragments):
        size = min(cap + 1, size + sizes.get(id(child), 0))
    return size


def _measure(
    root: SelectionSetNode,
    fragments: dict[str, SelectionSetNode],
    sizes: dict[int, int],
    cap: int,
) -> int:
    """Post-order over the selection sets below ``root`` (iterative: nesting may be deep)."""
    entered: set[int] = set()
    stack: list[tuple[SelectionSetNode, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if children_done:
            sizes[key] = _own_size(node, fragments, sizes, cap)
            continue
        if key in entered:  # a cycle through fragments
            continue
        entered.add(key)
        stack.append((node, True))
        stack.extend(
            (child, False)
            for child in _children(node, fragments)
            if id(child) not in sizes and id(child) not in entered
        )
    return sizes[id(root)]


@lru_cache(maxsize=VALIDATION_CACHE_SIZE)
def _validate(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    # Strawberry's own validation adds its rules (oneOf, Maybe) to ours.
    from strawberry.schema.schema import validate_document

    return validate_document(schema, document, rules)


class Admission(SchemaExtension):
    """See the module docstring. ``max_selections`` is the size bound of step 2."""

    def __init__(self, *, max_selections: int) -> None:
        super().__init__()
        self.max_selections = max_selections

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None  # parse errors end the request before this step
        errors = self._refusals(document)
        if not errors:
            errors = _validate(context.schema._schema, document, tuple(context.validation_rules))
        context.pre_execution_errors = errors
        # Admitted: the executor may prepare it by its text (``schema.prepared``).
        context.context.prepare_as = (
            None if errors or context.query is None else (context.query, context.operation_name)
        )
        yield

    def _refusals(self, document: DocumentNode) -> list[GraphQLError]:
        context = self.execution_context
        settings: Any = context.context.settings
        request = getattr(context.context, "request", None)
        if context.operation_type == OperationType.SUBSCRIPTION and isinstance(request, Request):
            message = (
                "subscriptions are served over WebSocket (the graphql-transport-ws protocol) "
                "at this path, not over an HTTP POST"
            )
            return [GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})]
        if settings.auth_enabled:
            principal = getattr(context.context, "principal", None)
            refused = refusal(principal, document, context.operation_type, context.operation_name)
            if refused is not None:
                return [refused]
        size = expanded_selections(document, self.max_selections)
        if size > self.max_selections:
            message = (
                f"the document selects more than {self.max_selections} fields once its "
                "fragments are expanded; ask for less, or in several requests"
            )
            return [GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})]
        return []
