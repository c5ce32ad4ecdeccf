"""The GraphQL vocabulary follows the resource declarations (``ocr_gateway.resources``)."""

from __future__ import annotations

import pytest
from strawberry.utils.str_converters import to_camel_case

from ocr_gateway.graphql_schema import build_schema
from ocr_gateway.resources import RESOURCES
from ocr_gateway.resources.base import ToOne
from ocr_gateway.settings import Settings

SCHEMA = build_schema(Settings())._schema


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_the_sort_enum_is_the_declared_sortable_columns(name: str) -> None:
    resource = RESOURCES[name]
    enum = SCHEMA.get_type(f"{resource.type_name}Sort")
    declared = {to_camel_case(c) for c in resource.sorts}
    assert set(enum.values) == declared  # type: ignore[union-attr]
    assert {v.value for v in enum.values.values()} == set(resource.sorts)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_the_filter_input_has_the_declared_filters(name: str) -> None:
    resource = RESOURCES[name]
    fields = set(SCHEMA.get_type(f"{resource.type_name}Filter").fields)  # type: ignore[union-attr]
    declared = {c.filter for c in resource.columns.values() if c.filter and c.kind != "json"}
    for name, relation in resource.relations.items():
        if isinstance(relation, ToOne):
            declared |= {relation.filter, f"{relation.filter}_where"}
        else:
            declared.add(name)  # some / every / none of the nested list's rows
    expected = {to_camel_case(f) for f in declared if f} | {"and", "or", "not"}
    if resource.metadata_column:
        expected.add("metadata")
    assert fields == expected


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_declared_column_is_a_field_of_the_type(name: str) -> None:
    resource = RESOURCES[name]
    fields = SCHEMA.get_type(resource.type_name).fields  # type: ignore[union-attr]
    assert set(resource.columns) | set(resource.relations) | set(resource.computed) <= set(fields)
