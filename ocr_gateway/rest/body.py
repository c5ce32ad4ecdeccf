"""A REST body's JSON types, checked strictly against the operation's GraphQL input type.

GraphQL coerces a single value where a list is expected into a list of one (``"tags": "q1"``
would be stored as ``["q1"]``, ``"annotations": {}`` as ``[{}]``); a legacy client sending
the wrong shape must hear so instead. And GraphQL stops at type errors before any other
check runs, while a REST client expects every problem of its body at once. So the shim
checks the types itself (every problem, named by its JSON path), then runs the operation
without the ill-typed fields in a dry run (``Context.dry_run``: nothing is kept) to collect
the problems of the rest, and answers them all together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    parse,
)
from graphql.language import NamedTypeNode, OperationDefinitionNode, TypeNode

Problem = dict[str, str]

NOUNS = {
    "String": "strings",
    "ID": "ids",
    "Int": "integers",
    "Float": "numbers",
    "Boolean": "booleans",
    "JSON": "JSON values",
}


def input_type(schema: GraphQLSchema, document: str, variable: str) -> GraphQLInputType | None:
    """The type of ``$variable`` in the (single-operation) ``document``."""
    for definition in parse(document).definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for declared in definition.variable_definitions or ():
            if declared.variable.name.value == variable:
                named = schema.get_type(_type_name(declared.type))
                return named if isinstance(named, GraphQLInputObjectType) else None
    return None


def _type_name(node: TypeNode) -> str:
    while not isinstance(node, NamedTypeNode):
        node = node.type  # type: ignore[attr-defined]
    return node.name.value


def type_problems(value: Any, type_: GraphQLInputType | None, path: str = "") -> list[Problem]:
    """Every place where ``value`` does not have the JSON type ``type_`` asks for. Nulls are
    left to the operation, whose messages say which fields may not be null."""
    if type_ is None:
        return []
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if value is None:
        return []
    if isinstance(type_, GraphQLList):
        return _list_problems(value, type_, path)
    if isinstance(type_, GraphQLInputObjectType):
        return _object_problems(value, type_, path)
    problem = _scalar_problem(value, type_)
    return [{"field": path, "message": problem}] if problem else []


def _list_problems(value: Any, type_: GraphQLList[Any], path: str) -> list[Problem]:
    if not isinstance(value, list):
        return [{"field": path, "message": f"must be a list of {_noun(type_.of_type)}"}]
    problems: list[Problem] = []
    for index, item in enumerate(value):
        problems += type_problems(item, type_.of_type, f"{path}[{index}]")
    return problems


def _object_problems(value: Any, type_: GraphQLInputObjectType, path: str) -> list[Problem]:
    if not isinstance(value, Mapping):
        return [{"field": path, "message": "must be a JSON object"}]
    problems: list[Problem] = []
    for key, item in value.items():
        field = f"{path}.{key}" if path else str(key)
        if key not in type_.fields:
            problems.append({"field": field, "message": "is not a known field"})
        else:
            problems += type_problems(item, type_.fields[key].type, field)
    return problems


def _scalar_problem(value: Any, type_: Any) -> str | None:
    if isinstance(type_, GraphQLEnumType):
        allowed = list(type_.values)
        return None if value in allowed else f"must be one of: {', '.join(allowed)}"
    if not isinstance(type_, GraphQLScalarType):
        return None
    name = type_.name
    if name in ("String", "ID", "DateTime"):
        return None if isinstance(value, str) else "must be a string"
    if name == "Boolean":
        return None if isinstance(value, bool) else "must be true or false"
    if name == "Int":
        return (
            None
            if isinstance(value, int) and not isinstance(value, bool)
            else ("must be an integer")
        )
    if name == "Float":
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if number else "must be a number"
    return None  # JSON and other open scalars take any JSON value


def _noun(type_: Any) -> str:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    if isinstance(type_, GraphQLInputObjectType):
        return "JSON objects"
    if isinstance(type_, GraphQLEnumType):
        return f"values from: {', '.join(type_.values)}"
    return NOUNS.get(getattr(type_, "name", ""), "values")


PLACEHOLDER_ID = "0" * 24
PLACEHOLDERS: dict[str, Any] = {
    "String": "-",
    "ID": PLACEHOLDER_ID,
    "Int": 1,
    "Float": 0.0,
    "Boolean": False,
    "DateTime": "2000-01-01T00:00:00+00:00",
}


def without(
    body: Mapping[str, Any], fields: set[str], type_: GraphQLInputType | None
) -> dict[str, Any]:
    """``body`` without ``fields``; a required one is replaced by a well-typed placeholder,
    so the operation still runs its checks on the others (problems about the placeholder
    are dropped: the client already hears about that field)."""
    rest = {k: v for k, v in body.items() if k not in fields}
    if not isinstance(type_, GraphQLInputObjectType):
        return rest
    for name in fields:
        field = type_.fields.get(name)
        if field is not None and isinstance(field.type, GraphQLNonNull):
            rest[name] = placeholder(field.type.of_type)
    return rest


def placeholder(type_: Any) -> Any:
    if isinstance(type_, GraphQLList):
        return []
    if isinstance(type_, GraphQLInputObjectType):
        return {}
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    return PLACEHOLDERS.get(getattr(type_, "name", ""), {})


def top_field(path: str) -> str:
    """``annotations[0].x`` -> ``annotations``: the body field a problem belongs to."""
    return path.split(".", 1)[0].split("[", 1)[0]
