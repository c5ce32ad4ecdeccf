"""Plan + the request's argument values -> one SQLAlchemy statement per root field.

Lists follow the executor's rules exactly because they are built from the same parts:
``schema.arguments.make_list_args`` checks the arguments (a bad one raises
``InvalidInput``, and the root field goes to the executor, which reports it), and
``db.query`` makes the WHERE and ORDER BY. A nested list is a correlated subquery per
parent row with its own LIMIT/OFFSET (what the executor's ROW_NUMBER() per parent does).
Every table is aliased, since a query may name a table at several levels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from graphql import GraphQLInputObjectType, GraphQLList, GraphQLNonNull
from graphql.execution.values import get_argument_values
from sqlalchemy import ColumnElement, FromClause, Select, func, select

from ocr_gateway.db.query import (
    ListArgs,
    after_cursor,
    make_list_args,
    order_by,
    sort_field,
    where_clause,
)
from ocr_gateway.enums import SortOrder
from ocr_gateway.errors import InvalidInput
from ocr_gateway.ids import is_valid_id
from ocr_gateway.resources import Resource
from ocr_gateway.resources.base import ToMany
from ocr_gateway.sql import aggregates
from ocr_gateway.sql.compiler import derived
from ocr_gateway.sql.compiler.json_sql import MAX_KEYS, JsonSql
from ocr_gateway.sql.compiler.plan import (
    JOB_STATUSES,
    AggregatePlan,
    ConnectionPlan,
    Derived,
    Leaf,
    ListPlan,
    Many,
    ObjectPlan,
    One,
    RootPlan,
    Typename,
)
from ocr_gateway.sql.specs import spec_of


class Missing(Exception):
    """The root object does not exist (the executor reports NOT_FOUND)."""


@dataclasses.dataclass
class Renderer:
    json: JsonSql
    variable_values: Any
    max_page_size: int

    def root(self, plan: RootPlan) -> Select[Any]:
        if plan.kind == "list":
            assert isinstance(plan.target, ListPlan)
            return select(self.json.text(self.list(plan.target, None, None)))
        if plan.kind == "connection":
            assert isinstance(plan.target, ConnectionPlan)
            return self.connection(plan.target)
        assert isinstance(plan.target, ObjectPlan)
        assert plan.field is not None
        arguments = _arguments(plan.field, plan.node, self.variable_values)
        id_ = arguments.get("id")
        if not is_valid_id(id_):
            raise Missing(id_)
        table = _alias(plan.target.memo, "table", plan.target.resource)
        body = self.object(plan.target, table)
        return select(self.json.text(body)).select_from(table).where(table.c.id == id_)

    # ------------------------------------------------------------ objects

    def object(self, plan: ObjectPlan, table: FromClause) -> ColumnElement[Any]:
        if len(plan.entries) > MAX_KEYS:
            raise InvalidInput.single("", "too many fields for one JSON object")
        return self.json.object([(key, self._entry(entry, table)) for key, entry in plan.entries])

    def _entry(self, entry: Any, table: FromClause) -> ColumnElement[Any]:
        if isinstance(entry, Leaf):
            return self.json.scalar(table.c[entry.column], entry.kind)
        if isinstance(entry, Typename):
            return self.json.string(entry.name)
        if isinstance(entry, One):
            target = _alias(entry.memo, "table", entry.target.resource)
            row = (
                select(self.object(entry.target, target))
                .select_from(target)
                .where(target.c.id == table.c[entry.relation.foreign_key])
                .scalar_subquery()
            )
            return self.json.nested(row)
        if isinstance(entry, Many):  # an object built right here: no subquery to unwrap
            return self.list(entry.target, table, entry.relation)
        assert isinstance(entry, Derived)
        return derived.BUILDERS[entry.builder](self.json, table, entry.selection, entry.memo)

    # ------------------------------------------------------------ connections

    def connection(self, plan: ConnectionPlan) -> Select[Any]:
        """One statement: the slice's rows (one more than asked, to tell there is more) with
        their cursors in a CTE, then edges, pageInfo and totalCount read off it."""
        values = _arguments(plan.field, plan.node, self.variable_values)
        window = _window(values)
        first = values.get("first")
        limit = values["last"] if window.backward else (DEFAULT_FIRST if first is None else first)
        args = make_list_args(
            self.max_page_size,
            limit=limit,
            offset=0,
            sort=_value(values.get("sort")),
            order=_value(values["order"]),
            filter_=values.get("filter"),
            search=values.get("search"),
            limit_name="last" if window.backward else "first",
        )
        table, spec = (
            _alias(plan.memo, "rows", plan.resource),
            _spec(plan.memo, "rows", plan.resource),
        )
        rows = self._connection_rows(plan, table, spec, args, window).cte("connection_rows")
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, what in plan.entries:
            if what == "totalCount":
                pairs.append((key, self._connection_total(plan, args)))
            elif isinstance(what, str):
                pairs.append((key, self.json.string(what)))
            elif what[0] == "edges":
                pairs.append((key, self._edges(rows, what[1], args.limit, window.backward)))
            else:
                pairs.append((key, self._page_info(rows, what[1], args.limit, window)))
        return select(self.json.text(self.json.object(pairs)))

    def _connection_rows(
        self, plan: ConnectionPlan, table: Any, spec: Any, args: ListArgs, window: Any
    ) -> Select[Any]:
        sort = sort_field(spec, args)
        name = args.sort or spec.default_sort
        cursor = self.json.cursor(name, args.order.value, sort.expression, sort.kind, table.c.id)
        conditions = [where_clause(spec, args, self.json.name)]
        mark = window.before if window.backward else window.after
        if mark:
            conditions.append(after_cursor(spec, args, mark, before=window.backward))
        walk = _reversed(args) if window.backward else args
        order = order_by(spec, walk)
        node = self.object(plan.nodes, table) if plan.nodes is not None else self.json.raw("null")
        # The slice first (its JSON only), numbered afterwards: a window function over the
        # table itself would build every matching row's JSON before the LIMIT.
        keys = [element.element.label(f"k{i}") for i, element in enumerate(order)]
        columns = [node.label("j"), cursor.label("c"), *keys]
        stmt = select(*columns).select_from(table).where(*conditions)
        walked = stmt.order_by(*order).limit(args.limit + 1).subquery()
        renumbered = [
            walked.c[f"k{i}"].desc() if _descending(element) else walked.c[f"k{i}"].asc()
            for i, element in enumerate(order)
        ]
        number = func.row_number().over(order_by=renumbered).label("o")
        return select(walked.c.j, walked.c.c, number)

    def _edges(self, rows: Any, selection: Any, limit: int, backward: bool) -> Any:
        # The asked-for rows in list order: the walk's order, reversed when walking backward.
        asked = select(rows.c.j, rows.c.c, rows.c.o).where(rows.c.o <= limit)
        ordered = asked.order_by(rows.c.o.desc() if backward else rows.c.o).subquery()
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, name, type_name in selection:
            if name == "cursor":
                pairs.append((key, ordered.c.c))
            elif name == "node":
                pairs.append((key, self.json.column(ordered.c.j)))
            else:
                pairs.append((key, self.json.string(type_name)))
        order = ordered.c.o.desc() if backward else ordered.c.o
        return select(self.json.array(self.json.object(pairs), order)).scalar_subquery()

    def _page_info(self, rows: Any, selection: Any, limit: int, window: Any) -> Any:
        more = select(func.count() > limit).select_from(rows).scalar_subquery()
        last = select(func.count()).select_from(rows).scalar_subquery()
        first_cursor = select(rows.c.c).where(rows.c.o == 1).scalar_subquery()
        last_o = func.min(last, limit) if self.json.name == "sqlite" else func.least(last, limit)
        last_cursor = select(rows.c.c).where(rows.c.o == last_o).scalar_subquery()
        start, end = (last_cursor, first_cursor) if window.backward else (first_cursor, last_cursor)
        marked = window.before if window.backward else window.after
        flags = {
            "hasNextPage": self._flag(window.backward, marked, more, forward_is_more=True),
            "hasPreviousPage": self._flag(window.backward, marked, more, forward_is_more=False),
        }
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, name, type_name in selection:
            if name in flags:
                pairs.append((key, flags[name]))
            elif name == "startCursor":
                pairs.append((key, start))
            elif name == "endCursor":
                pairs.append((key, end))
            else:
                pairs.append((key, self.json.string(type_name)))
        return self.json.object(pairs)

    def _flag(self, backward: bool, marked: str | None, more: Any, *, forward_is_more: bool) -> Any:
        """hasNextPage / hasPreviousPage: "more rows" on the side being walked, else whether
        a cursor was given (as the executor answers)."""
        if forward_is_more != backward:
            return self.json.boolean(more) if self.json.name == "sqlite" else more
        return self.json.raw("true" if marked else "false")

    def _connection_total(self, plan: ConnectionPlan, args: ListArgs) -> Any:
        table = _alias(plan.memo, "count", plan.resource)
        spec = _spec(plan.memo, "count", plan.resource)
        stmt = (
            select(func.count()).select_from(table).where(where_clause(spec, args, self.json.name))
        )
        return stmt.scalar_subquery()

    # ------------------------------------------------------------ lists

    def arguments(self, plan: ListPlan, relation: ToMany | None) -> ListArgs:
        values = _arguments(plan.field, plan.node, self.variable_values)
        args = make_list_args(
            self.max_page_size,
            limit=values["limit"],
            offset=values["offset"],
            sort=_value(values.get("sort")),
            order=_value(values["order"]),
            filter_=values.get("filter"),
            search=values.get("search"),
            order_by=_keys(values.get("orderBy")),
        )
        if args.sort is None and relation is not None and relation.default_sort:
            args = dataclasses.replace(args, sort=relation.default_sort)
        return args

    def list(
        self, plan: ListPlan, parent: FromClause | None, relation: ToMany | None
    ) -> ColumnElement[Any]:
        args = self.arguments(plan, relation)
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, what in plan.entries:
            if what == "items":
                pairs.append((key, self.json.nested(self._items(plan, args, parent, relation))))
            elif what == "totalCount":
                pairs.append((key, self._count(plan, args, parent, relation)))
            elif isinstance(what, AggregatePlan):
                table = _alias(plan.memo, "aggregate", plan.resource)
                body = self._aggregate(plan.resource, table, what)
                stmt, _ = self._rows(plan, "aggregate", args, parent, relation, [body])
                pairs.append((key, self.json.nested(stmt.scalar_subquery())))
            else:
                pairs.append((key, self.json.string(what)))
        return self.json.object(pairs)

    def _rows(
        self,
        plan: ListPlan,
        role: str,
        args: ListArgs,
        parent: FromClause | None,
        relation: ToMany | None,
        columns: Sequence[Any],
    ) -> tuple[Select[Any], Any]:
        table, spec = _alias(plan.memo, role, plan.resource), _spec(plan.memo, role, plan.resource)
        stmt = select(*columns).select_from(table)
        conditions = [where_clause(spec, args, self.json.name)]
        if relation is not None and parent is not None:
            joins, link = _link(plan.memo, role, relation, table, parent)
            for joined, on in joins:
                stmt = stmt.join(joined, on)
            conditions.append(link)
            # The rows subquery sits in FROM: tie it to the parent row explicitly.
            stmt = stmt.correlate(parent)
        return stmt.where(*conditions), spec

    def _items(
        self, plan: ListPlan, args: ListArgs, parent: FromClause | None, relation: ToMany | None
    ) -> Any:
        assert plan.items is not None
        table, spec = (
            _alias(plan.memo, "items", plan.resource),
            _spec(plan.memo, "items", plan.resource),
        )
        order = order_by(spec, args)
        body = self.object(plan.items, table)
        # The sort keys ride along, so the array is ordered by them: a window function
        # here would make PostgreSQL build every matching row's JSON before the LIMIT.
        keys = [element.element.label(f"k{i}") for i, element in enumerate(order)]
        stmt, _ = self._rows(plan, "items", args, parent, relation, [body.label("j"), *keys])
        rows = stmt.order_by(*order).limit(args.limit).offset(args.offset).subquery()
        ordered = [
            rows.c[f"k{i}"].desc() if _descending(element) else rows.c[f"k{i}"].asc()
            for i, element in enumerate(order)
        ]
        return select(self.json.array(rows.c.j, ordered)).scalar_subquery()

    def _aggregate(self, resource: Resource, table: Any, plan: AggregatePlan) -> Any:
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, name, inner in plan.selection:
            if name == "count":
                pairs.append((key, func.count()))
            elif name == "__typename":
                pairs.append((key, self.json.string(inner)))
            else:
                pairs.append((key, self._aggregate_part(resource, table, name, inner)))
        return self.json.object(pairs)

    def _aggregate_part(self, resource: Resource, table: Any, name: str, inner: Any) -> Any:
        type_name, fields = inner
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, field_name in fields:
            if field_name == "__typename":
                pairs.append((key, self.json.string(type_name)))
            elif name == "countByStatus":
                status = JOB_STATUSES.get(field_name, field_name)
                pairs.append((key, aggregates.status_count(table, status)))
            else:
                column = resource.columns[field_name]
                kind = "float" if name in ("sum", "avg") else column.kind
                value = aggregates.expression(table, name, column.name)
                pairs.append((key, self.json.scalar(value, kind)))
        return self.json.object(pairs)

    def _count(
        self, plan: ListPlan, args: ListArgs, parent: FromClause | None, relation: ToMany | None
    ) -> Any:
        stmt, _ = self._rows(plan, "count", args, parent, relation, [func.count()])
        return stmt.scalar_subquery()


# A plan node's table aliases (and their whitelists, links) are made once and kept in its
# memo: aliasing a table copies its columns, and a plan is rendered on every request.


def _alias(memo: dict[str, Any], role: str, resource: Resource) -> Any:
    table = memo.get(role)
    if table is None:
        table = memo[role] = resource.table.alias()
    return table


def _spec(memo: dict[str, Any], role: str, resource: Resource) -> Any:
    key = f"spec:{role}"
    if key not in memo:
        memo[key] = spec_of(resource, _alias(memo, role, resource))
    return memo[key]


def _link(memo: dict[str, Any], role: str, relation: ToMany, table: Any, parent: Any) -> Any:
    key = f"link:{role}"
    if key not in memo or memo[key][0] is not parent:
        memo[key] = (parent, relation.link(table, parent))
    return memo[key][1]


DEFAULT_FIRST = 50


@dataclasses.dataclass(frozen=True)
class _Window:
    after: str | None = None
    before: str | None = None
    backward: bool = False


def _window(values: dict[str, Any]) -> _Window:
    """first/after or last/before; a mix is bad input (the executor names the argument)."""
    first, last = values.get("first"), values.get("last")
    after, before = values.get("after"), values.get("before")
    if last is None:
        if before is not None:
            raise InvalidInput.single("before", "goes with last")
        return _Window(after=after)
    if first is not None or after is not None:
        raise InvalidInput.single("first", "give first/after or last/before, not both")
    return _Window(before=before, backward=True)


def _descending(element: Any) -> bool:
    from sqlalchemy.sql import operators

    return bool(element.modifier is operators.desc_op)


def _reversed(args: ListArgs) -> ListArgs:
    flipped = SortOrder.desc if args.order == SortOrder.asc else SortOrder.asc
    return dataclasses.replace(args, order=flipped)


def _keys(order_by: Any) -> list[tuple[str, str]] | None:
    """``orderBy`` as (sort, order) pairs; its items come as dicts or input objects."""
    if order_by is None:
        return None
    pairs = []
    for key in order_by:
        get = key.get if isinstance(key, dict) else lambda name, k=key: getattr(k, name)
        pairs.append((_value(get("field")), _value(get("order"))))
    return pairs


def _value(member: Any) -> Any:
    """An enum argument's value (graphql-core hands Strawberry's enum members over)."""
    return getattr(member, "value", member)


def _arguments(field: Any, node: Any, variable_values: Any) -> dict[str, Any]:
    """The field's argument values, input objects keyed by their Python names.

    graphql-core hands input objects over as dicts keyed by the GraphQL names
    (``startsWith``, ``in``, ``and``); Strawberry renames them for its resolvers, and the
    filter compiler (``db.query``) takes the Python names (``starts_with``, ``in_``,
    ``and_``): they are renamed here the same way.
    """
    values = get_argument_values(field, node, variable_values)
    for name, argument in field.args.items():
        key = argument.out_name or name
        if key in values:
            values[key] = _python_named(values[key], argument.type)
    return values


def _python_named(value: Any, type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList) and isinstance(value, list):
        return [_python_named(item, type_.of_type) for item in value]
    if isinstance(type_, GraphQLInputObjectType) and isinstance(value, dict):
        out = {}
        for name, item in value.items():
            field = type_.fields.get(name)
            if field is None:
                out[name] = item
            else:
                out[_python_name(name, field)] = _python_named(item, field.type)
        return out
    return value


def _python_name(name: str, field: Any) -> str:
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    found = getattr(definition, "python_name", None)
    return found if isinstance(found, str) else (field.out_name or name)


STRAWBERRY_DEFINITION = "strawberry-definition"  # Strawberry's back-reference on core fields
