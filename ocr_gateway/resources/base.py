"""How a resource is declared: the columns its GraphQL type shows, what its lists may be
filtered, sorted and searched on, and its relations.

One ``Resource`` per module of this package (``template``, ``job_group``, ``job``,
``page``), found by the resource's name. From it come the list whitelist the SQL layer
enforces (``sql.specs``), the GraphQL sort enums, the REST filter vocabulary, and the SQL
compiler's map of GraphQL fields to columns (``sql.compiler``)::

    Column      a GraphQL field read straight off a column: kind says how it is shown,
                filtered and compared (id, string, int, float, datetime, bool, enum,
                rank, tags, json)
    ToOne       a GraphQL field that is one row of another resource (a foreign key)
    ToMany      a nested list of another resource (same arguments as the root list)
    Computed    a GraphQL field the compiler builds with its own SQL (progress, counts)

Fields not declared here (``Template.fields``, ``Page.lines`` …) are resolved by the
Strawberry executor only; a query that selects one falls back to it for its root field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from sqlalchemy import ColumnElement, FromClause, Table

Kind = Literal["id", "string", "int", "float", "datetime", "bool", "enum", "rank", "tags", "json"]
SortKind = Literal["datetime", "int", "float", "string"]
Order = Literal["asc", "desc"]


@dataclass(frozen=True)
class Sort:
    """A sort whitelist entry. ``expression`` (default: the column) is what SQL orders by;
    ``row_key`` (default: the attribute) reads the same value off a loaded row, for cursors."""

    kind: SortKind
    expression: Callable[[Any], ColumnElement[Any]] | None = None
    row_key: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Column:
    name: str  # the table's column
    kind: Kind
    filter: str | None = None  # the filter input's field (snake_case); None: not filterable
    sort: Sort | None = None  # the sort enum's value is the column name
    search: bool = False  # one of the text fields ``search`` looks in
    values: type[Enum] | None = None  # an enum column's vocabulary (its filter's operands)


@dataclass(frozen=True)
class ToOne:
    target: str  # the resource's name
    foreign_key: str  # this table's column holding the target's id
    nullable: bool = False
    filter: str | None = None  # the filter input's id field on the foreign key


# A nested list links its rows (child) to the parent row: extra tables to join and the
# condition tying them to the parent.
LinkParts = tuple[list[tuple[FromClause, Any]], ColumnElement[bool]]
Link = Callable[[FromClause, FromClause], LinkParts]


@dataclass(frozen=True)
class ToMany:
    target: str
    link: Link
    default_sort: str | None = None  # None: the target's default sort


@dataclass(frozen=True)
class Computed:
    """A field the compiler builds with SQL of its own (see ``sql.compiler.derived``)."""

    builder: str


@dataclass(frozen=True)
class Resource:
    name: str  # module name: "job_group"
    type_name: str  # GraphQL type: "JobGroup"
    label: str  # in messages: "job groups"
    table: Table
    columns: Mapping[str, Column]  # GraphQL field -> column
    relations: Mapping[str, ToOne | ToMany] = field(default_factory=dict)
    computed: Mapping[str, Computed] = field(default_factory=dict)
    metadata_column: str | None = None  # filterable with dotted paths
    default_sort: str = "created_at"

    @property
    def sorts(self) -> dict[str, Column]:
        """Sort enum value (the column name) -> column, in declaration order."""
        return {c.name: c for c in self.columns.values() if c.sort is not None}
