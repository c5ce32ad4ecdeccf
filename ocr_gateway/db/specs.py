"""What each resource may be filtered, sorted and searched on (the whitelist the SQL layer
enforces), built from the resource declarations in ``ocr_gateway.resources``."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from ocr_gateway.db.query import FilterField, ResourceSpec, SortField
from ocr_gateway.resources import JOB, JOB_GROUP, PAGE, TEMPLATE, Resource
from ocr_gateway.resources.base import Column, ToOne


def _filters(resource: Resource, table: Any) -> dict[str, FilterField]:
    filters = {
        column.filter: FilterField(table.c[column.name], column.kind)
        for column in resource.columns.values()
        if column.filter is not None and column.kind != "json"
    }
    for relation in resource.relations.values():
        if isinstance(relation, ToOne) and relation.filter is not None:
            filters[relation.filter] = FilterField(table.c[relation.foreign_key], "id")
    return filters


def _sort(column: Column, table: Any) -> SortField:
    assert column.sort is not None
    expression = column.sort.expression or (lambda t: t.c[column.name])
    key = column.sort.row_key or attrgetter(column.name)
    return SortField(expression(table), key, column.sort.kind)


def spec_of(resource: Resource, table: Any = None) -> ResourceSpec:
    """The whitelist of ``resource`` over ``table`` (default: its own table; an alias of it
    when a query names the table more than once)."""
    table = resource.table if table is None else table
    metadata = resource.metadata_column
    return ResourceSpec(
        name=resource.label,
        id_column=table.c.id,
        filters=_filters(resource, table),
        sorts={name: _sort(column, table) for name, column in resource.sorts.items()},
        search=tuple(table.c[c.name] for c in resource.columns.values() if c.search),
        metadata=table.c[metadata] if metadata else None,
        default_sort=resource.default_sort,
    )


TEMPLATE_SPEC = spec_of(TEMPLATE)
JOB_GROUP_SPEC = spec_of(JOB_GROUP)
JOB_SPEC = spec_of(JOB)
PAGE_SPEC = spec_of(PAGE)
