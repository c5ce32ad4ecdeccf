"""What each resource may be filtered, sorted and searched on (the whitelist the SQL layer
enforces), built from the resource declarations in ``ocr_gateway.resources``."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from ocr_gateway.db.query import FilterField, Related, ResourceSpec, SortField
from ocr_gateway.resources import JOB, JOB_GROUP, PAGE, RESOURCES, TEMPLATE, Resource
from ocr_gateway.resources.base import Column, ToMany, ToOne


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


def _related(resource: Resource, table: Any) -> dict[str, Related]:
    """``<relation>_where`` (to-one) and ``<relation>`` (nested lists) filters."""
    related: dict[str, Related] = {}
    for name, relation in resource.relations.items():
        if isinstance(relation, ToOne):
            related[f"{relation.filter or name}_where"] = Related(False, _one(relation, table))
        else:
            related[_snake(name)] = Related(True, _many(relation, table))
    return related


def _one(relation: ToOne, table: Any) -> Any:
    def rows() -> Any:
        target = RESOURCES[relation.target]
        alias = target.table.alias()
        return spec_of(target, alias), alias, [], alias.c.id == table.c[relation.foreign_key]

    return rows


def _many(relation: ToMany, table: Any) -> Any:
    def rows() -> Any:
        target = RESOURCES[relation.target]
        alias = target.table.alias()
        joins, link = relation.link(alias, table)
        return spec_of(target, alias), alias, joins, link

    return rows


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


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
        related=_related(resource, table),
    )


TEMPLATE_SPEC = spec_of(TEMPLATE)
JOB_GROUP_SPEC = spec_of(JOB_GROUP)
JOB_SPEC = spec_of(JOB)
PAGE_SPEC = spec_of(PAGE)
