"""Filtering, sorting, searching and paging, shared by every list in both APIs.

A filter is a plain mapping, the shape of the GraphQL filter inputs (``JobGroupFilter`` …)
after conversion: ``{field: {operator: value}, "and": [...], "or": [...], "not": {...},
"metadata": [{"path": "a.b", operator: value}]}``. Fields and operators are whitelisted per
resource (``ResourceSpec``); values are always bound parameters, never spliced into SQL.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Literal, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import SQLCoreOperations

from ocr_gateway.db.types import text_problem
from ocr_gateway.enums import PRIORITY_RANK, SortOrder
from ocr_gateway.errors import FieldProblem, InvalidInput
from ocr_gateway.ids import is_valid_id

SqlExpr = SQLCoreOperations[Any]
Kind = Literal["id", "string", "int", "float", "datetime", "bool", "enum", "rank", "tags"]

# The one list of what each kind of field can be filtered with: the GraphQL operator inputs
# (``schema.filters``) and the REST vocabulary are made from it.
OPERATORS: dict[Kind, frozenset[str]] = {
    "id": frozenset({"eq", "ne", "in_", "nin", "exists"}),
    "string": frozenset({"eq", "ne", "in_", "nin", "contains", "starts_with", "exists"}),
    # No integer column is nullable (pageNumber, attempts): nothing to test for null.
    "int": frozenset({"eq", "ne", "in_", "nin", "gt", "gte", "lt", "lte"}),
    "float": frozenset({"eq", "ne", "in_", "nin", "gt", "gte", "lt", "lte", "exists"}),
    "datetime": frozenset({"eq", "ne", "gt", "gte", "lt", "lte", "exists"}),
    "bool": frozenset({"eq", "ne"}),
    "enum": frozenset({"eq", "ne", "in_", "nin", "exists"}),
    "rank": frozenset({"eq", "ne", "in_", "nin", "gt", "gte", "lt", "lte"}),
    "tags": frozenset({"has", "has_any", "has_all", "has_none", "is_empty"}),
}
JSON_OPERATORS = frozenset({"eq", "ne", "in_", "nin", "gt", "gte", "lt", "lte", "exists"})
JSON_PATH = re.compile(r"^[A-Za-z0-9_\-]{1,64}(\.[A-Za-z0-9_\-]{1,64}){0,7}$")
LOGICAL = ("and_", "or_", "not_")
MAX_FILTER_NODES = 200
MAX_LIST_VALUES = 1_000  # values of one in/nin/hasAny/...: a bound far below the bind limits
MAX_FILTER_DEPTH = 32  # nesting of a filter (and/or/not, JSON values) before it is refused
MAX_SEARCH_LENGTH = 200
MAX_SORT_KEYS = 5


@dataclass(frozen=True)
class FilterField:
    column: SqlExpr
    kind: Kind


@dataclass(frozen=True)
class SortField:
    expression: SqlExpr
    key: Callable[[Any], Any]  # the same value, read off a loaded row (for cursors)
    kind: Literal["datetime", "int", "float", "string"]


@dataclass(frozen=True)
class Related:
    """A filter on related rows. ``rows()`` makes fresh table aliases on every use: the
    related rows' whitelist, their table, the joins they need, and the condition tying them
    to the filtered row. ``many``: a nested list (some / every / none), else one row."""

    many: bool
    rows: Callable[[], tuple[ResourceSpec, Any, Sequence[tuple[Any, Any]], ColumnElement[bool]]]


@dataclass(frozen=True)
class ResourceSpec:
    name: str
    id_column: SqlExpr
    filters: Mapping[str, FilterField]
    sorts: Mapping[str, SortField]
    search: Sequence[SqlExpr]
    metadata: SqlExpr | None = None
    default_sort: str = "created_at"
    related: Mapping[str, Related] = field(default_factory=dict)


@dataclass(frozen=True)
class ListArgs:
    """One list request; hashable so DataLoaders can batch identical nested lists."""

    limit: int = 50
    offset: int = 0
    sort: str | None = None
    order: SortOrder = SortOrder.desc
    filter_json: str | None = None  # canonical JSON of the filter mapping
    search: str | None = None
    then_by: tuple[tuple[str, SortOrder], ...] = ()  # further sort keys (orderBy)

    @property
    def sort_keys(self) -> tuple[tuple[str | None, SortOrder], ...]:
        return ((self.sort, self.order), *self.then_by)

    @property
    def filter(self) -> Mapping[str, Any] | None:
        return json.loads(self.filter_json) if self.filter_json else None


def plain_filter(value: Any) -> Any:
    """A filter input (Strawberry input objects, enums, date-times) as a plain mapping, with
    unset parts dropped: the shape ``where_clause`` compiles."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for field_ in dataclasses.fields(value):
            converted = plain_filter(getattr(value, field_.name))
            if converted is not None:
                out[field_.name] = converted
        return out
    if isinstance(value, Mapping):
        return {k: c for k, v in value.items() if (c := plain_filter(v)) is not None}
    if isinstance(value, list):
        return [plain_filter(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def check_page_bounds(maximum: int, limit: int, offset: int, limit_name: str = "limit") -> None:
    problems = []
    if not 1 <= limit <= maximum:
        problems.append(FieldProblem(limit_name, f"must be between 1 and {maximum}"))
    if offset < 0:
        problems.append(FieldProblem("offset", "must be >= 0"))
    if problems:
        raise InvalidInput(problems)


def make_list_args(
    max_page_size: int,
    *,
    limit: int,
    offset: int,
    sort: str | None,
    order: str,
    filter_: Any,
    search: str | None,
    limit_name: str = "limit",
    order_by: Sequence[tuple[str, str]] | None = None,
) -> ListArgs:
    """The checked arguments of one list, as both executors take them (``InvalidInput``
    names the bad one). ``order_by``: (sort, order) keys, instead of ``sort``/``order``."""
    check_page_bounds(max_page_size, limit, offset, limit_name)
    then_by: tuple[tuple[str, SortOrder], ...] = ()
    if order_by is not None:
        if sort is not None:
            raise InvalidInput.single("orderBy", "give either sort/order or orderBy")
        if not 1 <= len(order_by) <= MAX_SORT_KEYS:
            raise InvalidInput.single("orderBy", f"takes 1 to {MAX_SORT_KEYS} keys")
        (sort, order), *rest = order_by
        then_by = tuple((name, SortOrder(direction)) for name, direction in rest)
    if search is not None and len(search) > MAX_SEARCH_LENGTH:
        raise InvalidInput.single("search", f"must be at most {MAX_SEARCH_LENGTH} characters")
    if search is not None and (problem := text_problem(search)):
        raise InvalidInput.single("search", problem)
    if filter_ is not None and nesting(filter_) > MAX_FILTER_DEPTH:
        raise InvalidInput.single("filter", f"is nested more than {MAX_FILTER_DEPTH} levels deep")
    return ListArgs(
        limit=limit,
        offset=offset,
        sort=sort,
        order=SortOrder(order),
        filter_json=canonical_filter(plain_filter(filter_) if filter_ is not None else None),
        search=search or None,
        then_by=then_by,
    )


def nesting(value: Any) -> int:
    """How deep ``value`` nests (input objects, mappings, lists), counted without recursion:
    a filter nested thousands deep is refused before anything walks it recursively."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            children: Any = [getattr(item, f.name) for f in dataclasses.fields(item)]
        elif isinstance(item, Mapping):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_FILTER_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def canonical_filter(filter_: Mapping[str, Any] | None) -> str | None:
    if not filter_:
        return None
    return json.dumps(filter_, sort_keys=True, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def priority_rank(column: SqlExpr) -> ColumnElement[int]:
    return case({p.value: rank for p, rank in PRIORITY_RANK.items()}, value=column, else_=-1)


# ---------------------------------------------------------------- where clauses


@dataclass
class _Compiler:
    spec: ResourceSpec
    dialect: str
    nodes: int = field(default=0)

    def compile(self, filter_: Mapping[str, Any], path: str = "filter") -> ColumnElement[bool]:
        clauses: list[ColumnElement[bool]] = []
        for key, value in filter_.items():
            self.nodes += 1
            if self.nodes > MAX_FILTER_NODES:
                raise InvalidInput.single(path, f"filter has more than {MAX_FILTER_NODES} terms")
            clauses.append(self._term(key, value, f"{path}.{_public(key)}"))
        return and_(true(), *clauses)

    def _term(self, key: str, value: Any, path: str) -> ColumnElement[bool]:
        if key in ("and_", "or_"):
            if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
                raise InvalidInput.single(path, "must be a list of filters")
            parts = [self.compile(v, f"{path}[{i}]") for i, v in enumerate(value)]
            if key == "and_":
                return and_(true(), *parts)
            return or_(false(), *parts)
        if key == "not_":
            if not isinstance(value, Mapping):
                raise InvalidInput.single(path, "must be a filter")
            return not_(self.compile(value, path))
        if key == "metadata" and self.spec.metadata is not None:
            if not isinstance(value, list):
                raise InvalidInput.single(path, "must be a list of path conditions")
            return and_(true(), *(self._json(v, f"{path}[{i}]") for i, v in enumerate(value)))
        related = self.spec.related.get(key)
        if related is not None:
            return self._related(related, value, path)
        spec = self.spec.filters.get(key)
        if spec is None:
            raise InvalidInput.single(path, f"cannot filter {self.spec.name} on this field")
        if not isinstance(value, Mapping):
            raise InvalidInput.single(path, "must be an object of operators")
        return and_(
            true(), *(self._op(spec, op, v, f"{path}.{_public(op)}") for op, v in value.items())
        )

    def _related(self, related: Related, value: Any, path: str) -> ColumnElement[bool]:
        if not isinstance(value, Mapping):
            raise InvalidInput.single(path, "must be a filter")
        if not related.many:
            return self._exists(related, value, path)
        clauses = []
        for quantifier, condition in value.items():
            at = f"{path}.{quantifier}"
            if quantifier == "some":
                clauses.append(self._exists(related, condition, at))
            elif quantifier == "none":
                clauses.append(not_(self._exists(related, condition, at)))
            elif quantifier == "every":  # no row that does not match
                clauses.append(not_(self._exists(related, condition, at, negate=True)))
            else:
                raise InvalidInput.single(at, "use some, every or none")
        return and_(true(), *clauses)

    def _exists(
        self, related: Related, condition: Any, path: str, *, negate: bool = False
    ) -> ColumnElement[bool]:
        if not isinstance(condition, Mapping):
            raise InvalidInput.single(path, "must be a filter")
        spec, table, joins, link = related.rows()
        inner = _Compiler(spec, self.dialect, self.nodes)
        where = inner.compile(condition, path)
        self.nodes = inner.nodes
        rows: Select[Any] = select(literal_column("1")).select_from(table)
        for joined, on in joins:
            rows = rows.join(joined, on)
        return exists(rows.where(link, not_(where) if negate else where))

    def _op(self, spec: FilterField, op: str, value: Any, path: str) -> ColumnElement[bool]:
        if op not in OPERATORS[spec.kind]:
            raise InvalidInput.single(path, "operator not supported on this field")
        column: ColumnElement[Any] = cast("ColumnElement[Any]", spec.column)
        if spec.kind == "tags":
            return self._tags(spec.column, op, value, path)
        if spec.kind == "rank":
            column = priority_rank(column)
            value = _ranks(value, path)
        elif op != "exists":
            value = _coerce(spec.kind, value, path)
        if op == "exists":
            return column.is_not(None) if value else column.is_(None)
        if op in ("in_", "nin"):
            if not isinstance(value, list):
                raise InvalidInput.single(path, "must be a list")
            _check_length(value, path)
            clause = column.in_(value)
            return clause if op == "in_" else or_(not_(clause), column.is_(None))
        if op == "contains":
            return column.ilike(f"%{escape_like(str(value))}%", escape="\\")
        if op == "starts_with":
            return column.ilike(f"{escape_like(str(value))}%", escape="\\")
        if op == "ne":
            return or_(column != value, column.is_(None))
        return _COMPARE[op](column, value)

    def _tags(self, column: Any, op: str, value: Any, path: str) -> ColumnElement[bool]:
        if op == "is_empty":
            empty = func.json_array_length(column) == 0
            if self.dialect == "postgresql":
                empty = func.jsonb_array_length(column) == 0
            return empty if value else not_(empty)
        values = [value] if op == "has" else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise InvalidInput.single(path, "must be a list of strings")
        _check_length(values, path)
        for item in values:
            _check_scalar(item, path)
        if self.dialect == "postgresql":
            array = literal(values, _text_array())
            any_ = column.op("?|", is_comparison=True)(array)
            if op in ("has", "has_any"):
                return cast("ColumnElement[bool]", any_)
            all_ = column.op("?&", is_comparison=True)(array)
            return cast("ColumnElement[bool]", all_ if op == "has_all" else not_(any_))
        each = func.json_each(column).table_valued("value")
        if op == "has_all":
            return and_(
                true(), *(exists().select_from(each).where(each.c.value == v) for v in values)
            )
        any_ = exists().select_from(each).where(each.c.value.in_(values))
        return not_(any_) if op == "has_none" else any_

    def _json(self, condition: Any, path: str) -> ColumnElement[bool]:
        if not isinstance(condition, Mapping) or not isinstance(condition.get("path"), str):
            raise InvalidInput.single(path, "needs a path")
        json_path = condition["path"]
        if not JSON_PATH.match(json_path):
            raise InvalidInput.single(f"{path}.path", "must be dot-separated keys (a-z, 0-9, _ -)")
        clauses = []
        for op, value in condition.items():
            if op == "path":
                continue
            if op not in JSON_OPERATORS:
                raise InvalidInput.single(f"{path}.{_public(op)}", "operator not supported")
            clauses.append(self._json_op(json_path, op, value, f"{path}.{_public(op)}"))
        return and_(true(), *clauses)

    def _json_op(self, json_path: str, op: str, value: Any, path: str) -> ColumnElement[bool]:
        assert self.spec.metadata is not None
        _check_scalar(value, path)
        column = self.spec.metadata
        keys = json_path.split(".")
        if self.dialect == "postgresql":
            target: ColumnElement[Any] = column.op("#>")(literal(keys, _text_array()))

            def lit(v: Any) -> ColumnElement[Any]:
                return literal(v, JSONB)
        else:
            sqlite_path = "$." + ".".join(f'"{k}"' for k in keys)
            target = func.json_extract(column, sqlite_path)
            if op == "exists":
                target = func.json_type(column, sqlite_path)

            def lit(v: Any) -> ColumnElement[Any]:
                if isinstance(v, bool):
                    return literal(int(v))
                if isinstance(v, (dict, list)):
                    return func.json(json.dumps(v))
                return literal(v)

        if op == "exists":
            return target.is_not(None) if value else target.is_(None)
        if op in ("in_", "nin"):
            if not isinstance(value, list):
                raise InvalidInput.single(path, "must be a list")
            _check_length(value, path)
            any_ = or_(false(), *(target == lit(v) for v in value))
            return any_ if op == "in_" else or_(not_(any_), target.is_(None))
        if op == "ne":
            return or_(target != lit(value), target.is_(None))
        if op == "eq":
            return target == lit(value)
        # Ordering compares like with like (MongoDB's rule): numbers with numbers, text
        # with text; a value of another JSON type never matches.
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise InvalidInput.single(path, "must be a number or a string")
        same_type = self._json_type_is(keys, "number" if not isinstance(value, str) else "string")
        return and_(same_type, _COMPARE[op](target, lit(value)))

    def _json_type_is(self, keys: list[str], kind: str) -> ColumnElement[bool]:
        assert self.spec.metadata is not None
        column = self.spec.metadata
        if self.dialect == "postgresql":
            node = column.op("#>")(literal(keys, _text_array()))
            return func.jsonb_typeof(node) == kind
        sqlite_path = "$." + ".".join(f'"{k}"' for k in keys)
        types = ("integer", "real") if kind == "number" else ("text",)
        return func.json_type(column, sqlite_path).in_(types)


def _text_array() -> Any:
    from sqlalchemy import ARRAY, Text

    return ARRAY(Text())


_COMPARE: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "eq": lambda c, v: c == v,
    "gt": lambda c, v: c > v,
    "gte": lambda c, v: c >= v,
    "lt": lambda c, v: c < v,
    "lte": lambda c, v: c <= v,
}


def _coerce(kind: Kind, value: Any, path: str) -> Any:
    """Check a JSON-decoded operand against the field's kind (lists element-wise)."""
    if isinstance(value, list):
        return [_coerce(kind, v, path) for v in value]
    if kind == "datetime":
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise InvalidInput.single(path, f"{value!r} is not an ISO 8601 date-time") from None
            return in_utc(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC), path)
        if isinstance(value, datetime):
            return in_utc(value, path)
        raise InvalidInput.single(path, "must be an ISO 8601 date-time")
    expected: dict[Kind, tuple[type, ...]] = {
        "int": (int,),
        "float": (int, float),
        "bool": (bool,),
        "id": (str,),
        "string": (str,),
        "enum": (str,),
    }
    types = expected.get(kind)
    if types and (not isinstance(value, types) or (kind != "bool" and isinstance(value, bool))):
        raise InvalidInput.single(path, f"must be a {kind} value")
    _check_scalar(value, path)
    return getattr(value, "value", value)


def in_utc(value: datetime, path: str) -> datetime:
    """A date-time in UTC, as both backends store it; one that leaves the years 1-9999
    on the way (``0001-01-01T00:00:00+01:00``) is out of range."""
    try:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError:
        raise InvalidInput.single(path, "is out of range once converted to UTC") from None


def _check_length(values: list[Any], path: str) -> None:
    if len(values) > MAX_LIST_VALUES:
        raise InvalidInput.single(path, f"takes at most {MAX_LIST_VALUES} values")


def _check_scalar(value: Any, path: str) -> None:
    """Values neither backend can bind: NUL or lone surrogates in text (keys included),
    integers beyond 64 bits, NaN and infinities. Iterative: JSON values may nest deep."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and (problem := text_problem(item)):
            raise InvalidInput.single(path, problem)
        if isinstance(item, bool):
            continue
        if isinstance(item, int) and not -(2**63) <= item < 2**63:
            raise InvalidInput.single(path, "is out of range (64-bit integers)")
        if isinstance(item, float) and not math.isfinite(item):
            raise InvalidInput.single(path, "must be a finite number (not NaN or infinite)")
        if isinstance(item, dict):
            for key in item:
                if problem := text_problem(str(key)):
                    raise InvalidInput.single(path, f"keys {problem}")
            stack.extend(item.values())
        elif isinstance(item, list):
            if len(item) > MAX_LIST_VALUES:
                raise InvalidInput.single(path, f"takes at most {MAX_LIST_VALUES} values")
            stack.extend(item)


def _ranks(value: Any, path: str) -> Any:
    def one(v: Any) -> int:
        rank = {p.value: r for p, r in PRIORITY_RANK.items()}.get(str(getattr(v, "value", v)))
        if rank is None:
            raise InvalidInput.single(path, f"unknown priority {v!r}")
        return rank

    return [one(v) for v in value] if isinstance(value, list) else one(value)


def _public(name: str) -> str:
    """The public camelCase spelling of an internal filter key, for error messages."""
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(part.title() for part in rest)


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(spec: ResourceSpec, args: ListArgs, dialect: str) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if args.filter:
        clauses.append(_Compiler(spec, dialect).compile(args.filter))
    if args.search:
        pattern = f"%{escape_like(args.search)}%"
        clauses.append(or_(*(col.ilike(pattern, escape="\\") for col in spec.search)))
    return and_(true(), *clauses)


# ---------------------------------------------------------------- ordering and cursors


def sort_field(spec: ResourceSpec, args: ListArgs) -> SortField:
    name = args.sort or spec.default_sort
    sort = spec.sorts.get(name)
    if sort is None:
        raise InvalidInput.single("sort", f"cannot sort {spec.name} by {_public(name)!r}")
    return sort


def order_by(spec: ResourceSpec, args: ListArgs) -> list[ColumnElement[Any]]:
    """The list's order: its sort keys, then the id (in the last key's direction), so that
    ties always come out the same way."""
    out: list[ColumnElement[Any]] = []
    for name, direction in args.sort_keys:
        sort = sort_field(spec, dataclasses.replace(args, sort=name))
        out.append(sort.expression.asc() if direction == SortOrder.asc else sort.expression.desc())
    last = args.sort_keys[-1][1]
    out.append(spec.id_column.asc() if last == SortOrder.asc else spec.id_column.desc())
    return out


def encode_cursor(spec: ResourceSpec, args: ListArgs, row: Any) -> str:
    sort = sort_field(spec, args)
    value = sort.key(row)
    if isinstance(value, datetime):
        value = value.isoformat()
    # Compact and unescaped, as the compiled SQL writes it (``sql.compiler.json_sql.cursor``).
    parts = [args.sort or spec.default_sort, args.order.value, value, row.id]
    raw = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def after_cursor(
    spec: ResourceSpec, args: ListArgs, cursor: str, *, before: bool = False
) -> ColumnElement[bool]:
    """Rows strictly after ``cursor`` in the list's order (keyset paging); ``before``: rows
    strictly before it (backward paging, ``last``/``before``)."""
    name = "before" if before else "after"
    sort = sort_field(spec, args)
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_name, order, value, last_id = json.loads(base64.urlsafe_b64decode(padded))
        if sort.kind == "datetime":
            value = datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise ValueError("naive date-time")
            value = value.astimezone(UTC)
        if isinstance(value, str) and text_problem(value):
            raise ValueError("not storable text")
        if sort.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # PostgreSQL's JSON writes 1.0 as 1
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("not a finite number")
    except (ValueError, TypeError, OverflowError, binascii.Error, RecursionError) as exc:
        raise InvalidInput.single(name, "is not a cursor this API gave out") from exc
    if sort_name != (args.sort or spec.default_sort) or order != args.order.value:
        raise InvalidInput.single(name, "cursor belongs to another sort or order")
    expected: type = {"datetime": datetime, "int": int, "float": float, "string": str}[sort.kind]
    if not isinstance(value, expected) or isinstance(value, bool) or not is_valid_id(last_id):
        raise InvalidInput.single(name, "is not a cursor this API gave out")
    expr, id_col = sort.expression, spec.id_column
    if (args.order == SortOrder.asc) != before:
        return or_(expr > value, and_(expr == value, id_col > last_id))
    return or_(expr < value, and_(expr == value, id_col < last_id))


def windowed(
    spec: ResourceSpec,
    args: ListArgs,
    parent: SqlExpr,
    parent_ids: Sequence[str],
    where: ColumnElement[bool],
    joins: Sequence[tuple[Any, ColumnElement[bool]]] = (),
) -> Any:
    """A subquery of (id, parent, rn): each parent's rows numbered in the list's order."""
    row_number = func.row_number().over(partition_by=parent, order_by=order_by(spec, args))
    parent_column = cast("ColumnElement[Any]", parent)
    inner = select(
        cast("ColumnElement[Any]", spec.id_column).label("id"),
        parent_column.label("parent"),
        row_number.label("rn"),
    )
    for target, on in joins:
        inner = inner.join(target, on)
    return inner.where(parent.in_(parent_ids), where).subquery()
