"""GraphQL types of list aggregates, made from the resource declarations::

    <Type>Aggregate { count  countByStatus { <status>: Int }   (resources with a status)
                      sum { <numeric field>: Float }  avg { ... }      (numeric columns)
                      min { <numeric or date-time field> }  max { ... } }

Values come from ``sql.aggregates`` as one row: ``count``, ``status:<s>``, ``<fn>:<field>``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from ocr_gateway.resources import RESOURCES, Resource
from ocr_gateway.schema.counts import JobCounts, PageCounts
from ocr_gateway.sql import aggregates

SCALARS: dict[str, Any] = {"int": int, "float": float, "datetime": datetime}


def _type(name: str, description: str, fields: dict[str, Any]) -> Any:
    namespace: dict[str, Any] = {"__annotations__": dict(fields), "__module__": __name__}
    return strawberry.type(type(name, (), namespace), description=description)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


class Shapes:
    """The aggregate types of one resource, and how a row of values becomes one."""

    def __init__(self, resource: Resource) -> None:
        self.resource = resource
        name = resource.type_name
        numeric = {_snake(f): float | None for f in aggregates.numeric(resource)}
        ordered = {
            _snake(f): SCALARS[c.kind] | None for f, c in aggregates.ordered(resource).items()
        }
        self.numbers = _type(f"{name}Numbers", "Sums or averages", numeric) if numeric else None
        self.extremes = _type(f"{name}Extremes", "Smallest or largest values", ordered)
        self.counts = None
        if aggregates.statuses(resource) is not None:
            self.counts = PageCounts if name == "Page" else JobCounts
        fields: dict[str, Any] = {"count": int}
        if self.counts is not None:
            fields["count_by_status"] = self.counts
        if self.numbers is not None:
            fields |= {"sum": self.numbers, "avg": self.numbers}
        fields |= {"min": self.extremes, "max": self.extremes}
        self.aggregate = _type(f"{name}Aggregate", f"Aggregates of {resource.label}", fields)

    def build(self, row: dict[str, Any]) -> Any:
        values: dict[str, Any] = {"count": int(row["count"])}
        if self.counts is not None:
            counts = {k.split(":", 1)[1]: int(v) for k, v in row.items() if k.startswith("status:")}
            values["count_by_status"] = self.counts.from_counts(counts)  # type: ignore[arg-type]
        if self.numbers is not None:
            values["sum"] = self._part(self.numbers, "sum", row)
            values["avg"] = self._part(self.numbers, "avg", row)
        values["min"] = self._part(self.extremes, "min", row)
        values["max"] = self._part(self.extremes, "max", row)
        return self.aggregate(**values)

    @staticmethod
    def _part(shape: Any, function: str, row: dict[str, Any]) -> Any:
        prefix = f"{function}:"
        return shape(
            **{_snake(k[len(prefix) :]): v for k, v in row.items() if k.startswith(prefix)}
        )


SHAPES: dict[str, Shapes] = {}


def aggregate_field(resource_name: str) -> Any:
    """The ``aggregate`` field of a resource's list type."""

    async def aggregate(self: Any) -> Any:
        return shapes(resource_name).build(await self.fetch_aggregate())

    return strawberry.field(
        resolver=aggregate,
        graphql_type=shapes(resource_name).aggregate,
        description="Count, counts by status, sum, avg, min and max over the matching rows "
        "(filter and search apply, paging does not)",
    )


def shapes(resource_name: str) -> Shapes:
    if resource_name not in SHAPES:
        SHAPES[resource_name] = Shapes(RESOURCES[resource_name])
    return SHAPES[resource_name]
