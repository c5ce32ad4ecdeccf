"""The JSON building blocks of each dialect, showing every value as the executor does.

The executor shows what Strawberry and graphql-core make of a loaded row: timestamps as
``datetime.isoformat()`` (UTC, ``+00:00``, microseconds only when not zero), floats as
Python writes them (``1.0``, ``0.30000000000000004``), enums by their lowercase word,
booleans as JSON booleans, JSON columns as stored. PostgreSQL and SQLite write some of
these differently (``1`` for 1.0, 15 significant digits on SQLite, trimmed microseconds),
so each kind gets an explicit expression here. SQLite gets two small Python functions on
each connection (``install_sqlite_functions``) for what it cannot write exactly itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Text,
    case,
    cast,
    func,
    literal_column,
    null,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSON as PG_JSON
from sqlalchemy.dialects.postgresql import aggregate_order_by

from ocr_gateway.db.sqlite_functions import (
    SQLITE_BASE64URL,
    SQLITE_FLOAT,
    SQLITE_PERCENT,
    base64url,
    install_sqlite_functions,
    percent_done,
    python_float,
)
from ocr_gateway.resources.base import Kind

MAX_KEYS = 50  # json_build_object takes at most 100 arguments on PostgreSQL


class JsonSql:
    """One dialect's way of building JSON; ``JsonSql.of(dialect_name)``."""

    name = "base"

    @staticmethod
    def of(dialect: str) -> JsonSql:
        return _POSTGRES if dialect == "postgresql" else _SQLITE

    def key(self, name: str) -> ColumnElement[Any]:
        # Response keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): safe inside quotes.
        return literal_column(f"'{name}'")

    def object(self, pairs: Sequence[tuple[str, ColumnElement[Any]]]) -> ColumnElement[Any]:
        raise NotImplementedError

    def nested(self, value: Any) -> ColumnElement[Any]:
        """A JSON value coming out of a subquery, embedded in an enclosing object."""
        raise NotImplementedError

    def array(self, value: Any, order: Any) -> ColumnElement[Any]:
        """The JSON array of ``value`` over a subquery's rows, in ``order``."""
        raise NotImplementedError

    def column(self, value: Any) -> ColumnElement[Any]:
        """A JSON value read from a column of a subquery in FROM."""
        kept: ColumnElement[Any] = value
        return kept

    def scalar(self, column: Any, kind: Kind) -> ColumnElement[Any]:
        raise NotImplementedError

    def text(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """The finished JSON as text."""
        return value

    def raw(self, json_text: str) -> ColumnElement[Any]:
        raise NotImplementedError

    def string(self, value: Any) -> ColumnElement[Any]:
        return type_coerce(value, Text)

    def boolean(self, condition: ColumnElement[bool]) -> ColumnElement[Any]:
        raise NotImplementedError

    def percent(self, done: str, total: str) -> ColumnElement[Any]:
        """percentDone from two columns of the enclosing derived table (SQL names)."""
        raise NotImplementedError

    def cursor(self, sort: str, order: str, value: Any, kind: str, id_: Any) -> Any:
        """A connection cursor as ``db.query.encode_cursor`` writes it: base64url (no
        padding) of ``["<sort>","<order>",<value>,"<id>"]``. ``sort`` and ``order`` are
        whitelisted names, safe inside quotes."""
        raise NotImplementedError

    def timestamp(self, column: Any) -> ColumnElement[Any]:
        raise NotImplementedError


class PostgresJson(JsonSql):
    name = "postgresql"

    def object(self, pairs: Sequence[tuple[str, ColumnElement[Any]]]) -> ColumnElement[Any]:
        args: list[Any] = []
        for name, value in pairs:
            args += [self.key(name), value]
        return func.json_build_object(*args, type_=PG_JSON)

    def nested(self, value: Any) -> ColumnElement[Any]:
        return type_coerce(value, PG_JSON)

    def array(self, value: Any, order: Any) -> ColumnElement[Any]:
        keys = order if isinstance(order, list) else [order]
        aggregated = func.json_agg(aggregate_order_by(value, *keys), type_=PG_JSON)
        return func.coalesce(aggregated, literal_column("'[]'::json"), type_=PG_JSON)

    def text(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return cast(value, Text)

    def raw(self, json_text: str) -> ColumnElement[Any]:
        return literal_column(f"'{json_text}'::json", PG_JSON)

    def boolean(self, condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return condition

    def scalar(self, column: Any, kind: Kind) -> ColumnElement[Any]:
        if kind == "datetime":
            return self.timestamp(column)
        if kind == "float":
            return self._float(column)
        written_as_is: ColumnElement[Any] = column  # text, ints, booleans, jsonb
        return written_as_is

    def _float(self, column: Any) -> ColumnElement[Any]:
        # PostgreSQL writes 1.0 as 1; Python as 1.0. Other values: both the shortest form.
        integral = (column == func.trunc(column)) & (func.abs(column) < 1e15)
        as_text = case(
            (integral, cast(cast(column, Numeric), Text) + ".0"), else_=cast(column, Text)
        )
        return case((column.is_(None), null()), else_=cast(as_text, PG_JSON))

    def timestamp(self, column: Any) -> ColumnElement[Any]:
        utc = func.timezone("UTC", column)
        seconds = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS')
        micro = func.to_char(utc, "US")
        fraction = case((micro == "000000", ""), else_="." + micro)
        return case((column.is_(None), null()), else_=seconds + fraction + "+00:00")

    def cursor(self, sort: str, order: str, value: Any, kind: str, id_: Any) -> Any:
        if kind == "float":  # as Python writes it (1.0, not 1)
            shown = cast(self._float(value), Text)
        else:
            shown = cast(func.to_json(self.timestamp(value) if kind == "datetime" else value), Text)
        text = literal_column(f'\'["{sort}","{order}",\'', Text) + shown + ","
        text = text + cast(func.to_json(id_), Text) + "]"
        encoded = func.encode(func.convert_to(text, literal_column("'UTF8'")), "base64")
        unwrapped = func.replace(encoded, literal_column("E'\\n'"), "")
        return func.rtrim(func.translate(unwrapped, "+/", "-_"), "=")

    def percent(self, done: str, total: str) -> ColumnElement[Any]:
        hundredths = _PG_HUNDREDTHS.format(d=done, t=total)
        return literal_column(_PG_PERCENT.format(hundredths=hundredths), PG_JSON)


# round(100.0 * done / total, 2) as Python writes it, exactly. Integer arithmetic on
# 10000 * done / total gives the hundredths and the remainder; only an exact tie (remainder
# half of total) depends on the float: half-even when the float is the exact tie, else the
# side it fell on (its exact binary value from its IEEE bits, compared in numeric).
_PG_HUNDREDTHS = """CASE WHEN {t} = 0 THEN 0 ELSE (10000 * {d}) / {t} + CASE
  WHEN 2 * ((10000 * {d}) % {t}) > {t} THEN 1
  WHEN 2 * ((10000 * {d}) % {t}) < {t} THEN 0
  ELSE (SELECT CASE WHEN x.lhs = x.rhs THEN ((10000 * {d}) / {t}) % 2
                    WHEN x.lhs > x.rhs THEN 1 ELSE 0 END
        FROM (SELECT ((b.bits & 4503599627370495) | 4503599627370496)::numeric * 200 AS lhs,
                     (2 * ((10000 * {d}) / {t}) + 1)::numeric
                       * power(2::numeric, 1075 - ((b.bits >> 52) & 2047)) AS rhs
              FROM (SELECT ('x' || encode(float8send(CAST(100.0 AS float8) * {d} / {t}),
                                          'hex'))::bit(64)::bigint AS bits) AS b) AS x)
  END END"""
_PG_PERCENT = """(SELECT (p.n / 100)::text || '.' || CASE WHEN p.n % 100 = 0 THEN '0'
    WHEN p.n % 10 = 0 THEN ((p.n % 100) / 10)::text ELSE lpad((p.n % 100)::text, 2, '0') END
  FROM (SELECT ({hundredths}) AS n) AS p)::json"""


class SqliteJson(JsonSql):
    name = "sqlite"

    def object(self, pairs: Sequence[tuple[str, ColumnElement[Any]]]) -> ColumnElement[Any]:
        args: list[Any] = []
        for name, value in pairs:
            args += [self.key(name), value]
        return func.json_object(*args)

    def nested(self, value: Any) -> ColumnElement[Any]:
        # A scalar subquery keeps the JSON subtype of what it selects on SQLite 3.40 (a
        # column of a subquery in FROM does not: ``array`` re-reads those with json()).
        # Wrapping here would cost a parser level per nesting level, and SQLite's parser
        # stack is shallow. The cross-check tests would see a string instead of an object.
        kept: ColumnElement[Any] = value
        return kept

    def array(self, value: Any, order: Any) -> ColumnElement[Any]:
        del order  # SQLite 3.40 aggregates in the subquery's order (no ORDER BY inside)
        return func.json_group_array(func.json(value))

    def raw(self, json_text: str) -> ColumnElement[Any]:
        return func.json(literal_column(f"'{json_text}'"))

    def column(self, value: Any) -> ColumnElement[Any]:
        return func.json(value)  # such a column has lost its JSON subtype

    def boolean(self, condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.json(case((condition, "true"), else_="false"))

    def scalar(self, column: Any, kind: Kind) -> ColumnElement[Any]:
        if kind == "datetime":
            return self.timestamp(column)
        if kind == "float":
            return func.json(getattr(func, SQLITE_FLOAT)(column))
        if kind == "bool":
            return case((column.is_(None), null()), else_=self.boolean(column == 1))
        if kind in ("json", "tags"):
            return func.json(column)
        written_as_is: ColumnElement[Any] = column
        return written_as_is

    def timestamp(self, column: Any) -> ColumnElement[Any]:
        # Stored by SQLAlchemy as 'YYYY-MM-DD HH:MM:SS[.ffffff]' (naive UTC).
        seconds = func.replace(func.substr(column, 1, 19), " ", "T")
        micro = func.substr(column, 21)
        fraction = case((micro.in_(["", "000000"]), ""), else_="." + micro)
        return case((column.is_(None), null()), else_=seconds + fraction + "+00:00")

    def percent(self, done: str, total: str) -> ColumnElement[Any]:
        return func.json(getattr(func, SQLITE_PERCENT)(literal_column(done), literal_column(total)))

    def cursor(self, sort: str, order: str, value: Any, kind: str, id_: Any) -> Any:
        if kind == "float":  # as Python writes it (SQLite: 15 significant digits)
            shown = getattr(func, SQLITE_FLOAT)(value, type_=Text)
        else:
            shown = func.json_quote(
                self.timestamp(value) if kind == "datetime" else value, type_=Text
            )
        text = literal_column(f'\'["{sort}","{order}",\'', Text) + shown + ","
        text = text + func.json_quote(id_, type_=Text) + "]"
        return getattr(func, SQLITE_BASE64URL)(text)


_POSTGRES = PostgresJson()
_SQLITE = SqliteJson()


__all__ = [
    "SQLITE_BASE64URL",
    "SQLITE_FLOAT",
    "SQLITE_PERCENT",
    "JsonSql",
    "base64url",
    "install_sqlite_functions",
    "percent_done",
    "python_float",
]
