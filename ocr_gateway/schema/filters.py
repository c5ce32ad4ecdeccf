"""Typed filter inputs, made from the resource declarations (``ocr_gateway.resources``).

Every operator is optional; operators given together are ANDed, and so are fields.

    IDFilter, StringFilter, IntFilter, FloatFilter, DateTimeFilter, BooleanFilter,
    PriorityFilter, WorkStatusFilter, PageStatusFilter, PageTypeFilter, TagsFilter
        the operators ``db.query.OPERATORS`` allows for each kind of column, and only those
    JsonPathFilter
        one condition on a dotted path into ``metadata``
    TemplateFilter, JobGroupFilter, JobFilter, PageFilter (one per resource)
        a field per declared filterable column, ``metadata``, ``and``/``or``/``not``, and
        conditions on related rows:
          <relation>Where: <Target>Filter          the row a foreign key points at matches
                                                   (``JobFilter.groupWhere``)
          <relation>: <Target>RelationFilter       some / every / none of a nested list's
                                                   rows match (``JobGroupFilter.pages``)
    <Type>Ordering
        one key of ``orderBy``: a sort field and its direction

Inputs convert (``to_filter``) into the plain mapping ``ocr_gateway.db.query`` compiles,
which is also what the REST shim's MongoDB-style ``filter`` parameter becomes.
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from ocr_gateway.db.query import OPERATORS, Kind, plain_filter
from ocr_gateway.enums import SortOrder
from ocr_gateway.resources import RESOURCES, Resource
from ocr_gateway.resources.base import ToMany, ToOne
from ocr_gateway.schema.enums import SORTS

to_filter = plain_filter  # the mapping the query compiler takes (``db.query``)

RENAMED = {"in_": "in", "and_": "and", "or_": "or", "not_": "not"}
OPERATOR_ORDER = (
    *("eq", "ne", "in_", "nin", "gt", "gte", "lt", "lte", "contains", "starts_with", "exists"),
    *("has", "has_any", "has_all", "has_none", "is_empty"),
)
SCALARS: dict[str, Any] = {
    "id": strawberry.ID,
    "string": str,
    "int": int,
    "float": float,
    "datetime": datetime,
    "bool": bool,
}
DESCRIPTIONS = {
    "id": "Conditions on an id",
    "string": "Conditions on a text field; contains/startsWith ignore case",
    "int": "Conditions on an integer",
    "float": "Conditions on a number",
    "datetime": "Conditions on a date-time (ISO 8601)",
    "bool": "Conditions on a flag",
    "rank": "Conditions on a priority; gt/gte/lt/lte follow low < urgent",
    "tags": "Conditions on a list of tags",
}
OPERATOR_DESCRIPTIONS = {
    "exists": "false: the value is null",
    "has": "has this tag",
    "is_empty": "true: no tags",
}
_module = sys.modules[__name__]


def _input(name: str, description: str, fields: dict[str, Any]) -> Any:
    """A Strawberry input class named ``name``; ``fields``: python name -> annotation."""
    namespace: dict[str, Any] = {"__annotations__": {}, "__module__": __name__}
    for python_name, annotation in fields.items():
        namespace["__annotations__"][python_name] = annotation
        graphql_name = RENAMED.get(python_name)
        description_ = OPERATOR_DESCRIPTIONS.get(python_name)
        namespace[python_name] = strawberry.field(
            name=graphql_name, default=None, description=description_
        )
    made = strawberry.input(type(name, (), namespace), description=description)
    setattr(_module, name, made)  # string annotations resolve in this module
    return made


def _operand(operator: str, value: Any) -> Any:
    if operator in ("in_", "nin", "has_any", "has_all", "has_none"):
        return list[value] | None
    if operator in ("exists", "is_empty"):
        return bool | None
    if operator in ("contains", "starts_with", "has"):
        return str | None
    return value | None


def _operators(name: str, kind: Kind, value: Any, description: str) -> Any:
    allowed = OPERATORS[kind]
    fields = {op: _operand(op, value) for op in OPERATOR_ORDER if op in allowed}
    return _input(name, description, fields)


IDFilter = _operators("IDFilter", "id", strawberry.ID, DESCRIPTIONS["id"])
StringFilter = _operators("StringFilter", "string", str, DESCRIPTIONS["string"])
IntFilter = _operators("IntFilter", "int", int, DESCRIPTIONS["int"])
FloatFilter = _operators("FloatFilter", "float", float, DESCRIPTIONS["float"])
DateTimeFilter = _operators("DateTimeFilter", "datetime", datetime, DESCRIPTIONS["datetime"])
BooleanFilter = _operators("BooleanFilter", "bool", bool, DESCRIPTIONS["bool"])
TagsFilter = _operators("TagsFilter", "tags", str, DESCRIPTIONS["tags"])
_BY_KIND = {
    "id": IDFilter,
    "string": StringFilter,
    "int": IntFilter,
    "float": FloatFilter,
    "datetime": DateTimeFilter,
    "bool": BooleanFilter,
    "tags": TagsFilter,
}
_ENUM_FILTERS: dict[type[Enum], Any] = {}


def _enum_filter(kind: Kind, values: type[Enum]) -> Any:
    if values not in _ENUM_FILTERS:
        name = f"{values.__name__}Filter"
        description = DESCRIPTIONS.get(kind) or f"Conditions on a {values.__name__} value"
        _ENUM_FILTERS[values] = _operators(name, kind, values, description)
    return _ENUM_FILTERS[values]


@strawberry.input(description="A condition on one value inside the metadata object")
class JsonPathFilter:
    path: str = strawberry.field(description="Dot-separated keys, e.g. 'customer.region'")
    eq: JSON | None = None
    ne: JSON | None = None
    in_: list[JSON] | None = strawberry.field(name="in", default=None)
    nin: list[JSON] | None = None
    gt: JSON | None = None
    gte: JSON | None = None
    lt: JSON | None = None
    lte: JSON | None = None
    exists: bool | None = None


def _resource_filter(resource: Resource) -> Any:
    name = f"{resource.type_name}Filter"
    fields: dict[str, Any] = {}
    for column in resource.columns.values():
        if column.filter is None or column.kind == "json":
            continue
        if column.values is not None:
            fields[column.filter] = _enum_filter(column.kind, column.values) | None
        else:
            fields[column.filter] = _BY_KIND[column.kind] | None
    for relation_name, relation in resource.relations.items():
        target = RESOURCES[relation.target].type_name
        if isinstance(relation, ToOne):
            if relation.filter is not None:
                fields[relation.filter] = IDFilter | None
            fields[f"{relation.filter or relation_name}_where"] = f"{target}Filter | None"
        elif isinstance(relation, ToMany):
            fields[_snake(relation_name)] = f"{target}RelationFilter | None"
    if resource.metadata_column:
        fields["metadata"] = list[JsonPathFilter] | None
    fields |= {"and_": f"list[{name}] | None", "or_": f"list[{name}] | None"}
    fields["not_"] = f"{name} | None"
    return _input(name, f"Filter on {resource.label}", fields)


def _relation_filter(resource: Resource) -> Any:
    target = f"{resource.type_name}Filter | None"
    fields = {"some": target, "every": target, "none": target}
    description = f"Conditions on the {resource.label} of a row: some, every or none match"
    return _input(f"{resource.type_name}RelationFilter", description, fields)


def _ordering(resource: Resource) -> Any:
    namespace: dict[str, Any] = {
        "__annotations__": {"field": SORTS[resource.name], "order": SortOrder},
        "__module__": __name__,
        "order": strawberry.field(default=SortOrder.asc),
    }
    name = f"{resource.type_name}Ordering"
    made = strawberry.input(type(name, (), namespace), description="One key of orderBy")
    setattr(_module, name, made)
    return made


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


FILTERS: dict[str, Any] = {name: _resource_filter(r) for name, r in RESOURCES.items()}
RELATION_FILTERS: dict[str, Any] = {name: _relation_filter(r) for name, r in RESOURCES.items()}
ORDERINGS: dict[str, Any] = {name: _ordering(r) for name, r in RESOURCES.items()}
TemplateFilter = FILTERS["template"]
JobGroupFilter = FILTERS["job_group"]
JobFilter = FILTERS["job"]
PageFilter = FILTERS["page"]
PriorityFilter = _ENUM_FILTERS[next(iter(k for k in _ENUM_FILTERS if k.__name__ == "Priority"))]
