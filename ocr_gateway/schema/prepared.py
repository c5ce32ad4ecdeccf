"""Prepared queries: from a request's query text straight to compiled SQL.

The first time a query runs, Strawberry parses, authorises, bounds and validates it and the
executor plans its root fields (``schema.compiled``). When every root field of the operation
compiled (and no ``@skip``/``@include`` reads a variable), the executor registers it here,
keyed by the raw query text and operation name. Later requests with the same text skip
Strawberry altogether:

    (query text, operation name) ──► Prepared (bounded LRU, per schema)
        │ not there                                        ──► the full pipeline
        ▼
    authorise (the key's scopes against the root fields, as ``schema.permissions``)
        │ refused / no key                                 ──► the full pipeline (it answers)
        ▼
    coerce the variables ──► SQL text + parameters (cached per variable values)
        │ bad variables / argument / unknown id / no row  ──► the full pipeline (it answers)
        ▼
    one statement per root field on a pooled connection, no transaction (reads only);
    the JSON text the database built goes into the response as is.

Anything this path does not answer itself goes to the full pipeline, which answers with the
errors and codes it always has; so a client cannot tell the two apart except by speed.
``Settings.compiled_crosscheck`` (the tests) also runs every prepared answer through the
full pipeline and records any difference in ``schema.compiled.MISMATCHES``.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
)
from graphql.execution.values import get_variable_values
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncEngine

from ocr_gateway.auth import AuthFailure, Principal, Scope
from ocr_gateway.db.direct import direct_reads
from ocr_gateway.db.engine import Database
from ocr_gateway.errors import InvalidInput
from ocr_gateway.ids import is_valid_id
from ocr_gateway.schema.permissions import required_scope, root_fields
from ocr_gateway.sql.compiler.json_sql import JsonSql
from ocr_gateway.sql.compiler.plan import RootPlan
from ocr_gateway.sql.compiler.render import Missing, Renderer

PREPARED_SIZE = 512  # queries remembered per schema
PREPARED_TEXT = 16_384  # longest query text remembered (characters)
STATEMENTS_SIZE = 64  # variable values remembered per query
STATEMENTS_KEY = 4_096  # longest variable values (as JSON bytes) whose SQL is remembered
STAND_IN_IDS = ("0f0f0f0f0f0f0f0f0f0f0f0f", "f0f0f0f0f0f0f0f0f0f0f0f0")  # make by-id SQL
Statement = tuple[str, tuple[Any, ...]]  # SQL text in the driver's paramstyle, parameters
Template = tuple[str, tuple[Any, ...], frozenset[int]]  # ... and the positions of the id


@dataclass(eq=False)
class Prepared:
    """One operation of one query text whose root fields are all compiled."""

    operation: OperationDefinitionNode
    root_type: GraphQLObjectType
    plans: tuple[tuple[str, RootPlan], ...]
    scopes: frozenset[Scope]
    # The one variable of an operation that reads objects by id (``query($id: ID!) {
    # page(id: $id) {...} }``): its SQL is the same for every id, made once (``by_id``).
    id_variable: str | None = None
    # (dialect, "") -> by-id reads: each root field's statement, id positions (None: typename)
    templates: dict[tuple[str, bytes], tuple[Template | None, ...]] = field(default_factory=dict)
    # (dialect, variables as JSON) -> each root field's statement (None: a typename)
    statements: OrderedDict[tuple[str, bytes], tuple[Statement | None, ...]] = field(
        default_factory=OrderedDict
    )

    def allows(self, principal: Principal | AuthFailure | None) -> bool:
        if not self.scopes:
            return True
        if not isinstance(principal, Principal):
            return False
        return all(principal.allows(scope) for scope in self.scopes)


class PreparedQueries:
    """The prepared operations of one schema, by (query text, operation name), bounded."""

    def __init__(self, size: int = PREPARED_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, str | None], Prepared] = OrderedDict()

    def get(self, query: str, operation_name: str | None) -> Prepared | None:
        key = (query, operation_name)
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def register(
        self,
        query: str,
        operation_name: str | None,
        operation: OperationDefinitionNode,
        root_type: GraphQLObjectType,
        plans: Mapping[str, RootPlan | None],
        fragments: Mapping[str, SelectionSetNode],
    ) -> None:
        if operation.operation != OperationType.QUERY or len(query) > PREPARED_TEXT:
            return
        if (query, operation_name) in self._entries:
            return
        compiled = [(key, plan) for key, plan in plans.items() if plan is not None]
        if len(compiled) != len(plans) or not compiled:
            return
        # As ``permissions.refusal`` counts them: every root field the document names, those
        # that @skip/@include leave out included.
        scopes = frozenset(
            scope
            for name in root_fields(operation.selection_set, dict(fragments))
            if (scope := required_scope(OperationType.QUERY, name)) is not None  # type: ignore[arg-type]
        )
        self._entries[query, operation_name] = Prepared(
            operation, root_type, tuple(compiled), scopes, _id_variable(operation, compiled)
        )
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


_BY_SCHEMA: weakref.WeakKeyDictionary[GraphQLSchema, PreparedQueries] = weakref.WeakKeyDictionary()


def _id_variable(
    operation: OperationDefinitionNode, plans: list[tuple[str, RootPlan]]
) -> str | None:
    """The variable, when it is the operation's only one and every root field is an object
    by that id (or a typename): then nothing else in the SQL depends on a variable."""
    definitions = operation.variable_definitions or ()
    if len(definitions) != 1:
        return None
    name = definitions[0].variable.name.value
    for _key, plan in plans:
        if plan.kind == "typename":
            continue
        arguments = plan.node.arguments or ()
        if plan.kind != "one" or len(arguments) != 1 or arguments[0].name.value != "id":
            return None
        value = arguments[0].value
        if not isinstance(value, VariableNode) or value.name.value != name:
            return None
    return name


def prepared_queries(schema: GraphQLSchema) -> PreparedQueries:
    found = _BY_SCHEMA.get(schema)
    if found is None:
        found = _BY_SCHEMA[schema] = PreparedQueries()
    return found


class NotPrepared(Exception):
    """This request goes to the full pipeline (which answers it, errors and all)."""


async def answer(
    schema: GraphQLSchema,
    prepared: Prepared,
    variables: Mapping[str, Any] | None,
    database: Database,
    max_page_size: int,
) -> list[tuple[str, str]]:
    """Each root field's response key and JSON text; ``NotPrepared`` when this path cannot
    answer (bad variables or arguments, an unknown id, a row that is not there)."""
    statements = _statements(
        schema, prepared, variables or {}, database.engine.dialect, max_page_size
    )
    out: list[tuple[str, str]] = []
    for (key, _plan), statement in zip(prepared.plans, statements, strict=True):
        if statement is None:
            out.append((key, orjson.dumps(prepared.root_type.name).decode()))
            continue
        text = await read_json(database, statement)
        if text is None:
            raise NotPrepared(key)
        out.append((key, text))
    return out


def _statements(
    schema: GraphQLSchema,
    prepared: Prepared,
    variables: Mapping[str, Any],
    dialect: Any,
    max_page_size: int,
) -> tuple[Statement | None, ...]:
    """Each root field's SQL for these variable values (None: a typename), cached."""
    if prepared.id_variable is not None:
        return _by_id(schema, prepared, variables, dialect, max_page_size)
    try:
        key = (dialect.name, orjson.dumps(variables, option=orjson.OPT_SORT_KEYS))
    except TypeError as exc:  # not JSON: the pipeline reports it
        raise NotPrepared("variables") from exc
    found = prepared.statements.get(key)
    if found is not None:
        prepared.statements.move_to_end(key)
        return found
    statements = _render(schema, prepared, variables, dialect, max_page_size)
    if len(key[1]) <= STATEMENTS_KEY:  # memory stays bounded whatever clients send
        prepared.statements[key] = statements
        if len(prepared.statements) > STATEMENTS_SIZE:
            prepared.statements.popitem(last=False)
    return statements


def _by_id(
    schema: GraphQLSchema,
    prepared: Prepared,
    variables: Mapping[str, Any],
    dialect: Any,
    max_page_size: int,
) -> tuple[Statement | None, ...]:
    """Objects by one id variable: the SQL is made once, and each request's id goes into
    the parameters that hold it (an id that is not one goes to the pipeline, which says so)."""
    assert prepared.id_variable is not None
    id_ = variables.get(prepared.id_variable)
    if not is_valid_id(id_) or variables.keys() - {prepared.id_variable}:
        raise NotPrepared("id")
    key = (dialect.name, b"")
    templates = prepared.templates.get(key)
    if templates is None:
        made = _id_templates(schema, prepared, dialect, max_page_size)
        if made is None:
            prepared.id_variable = None
            return _statements(schema, prepared, variables, dialect, max_page_size)
        templates = prepared.templates[key] = made
    return tuple(
        None if t is None else (t[0], tuple(id_ if i in t[2] else p for i, p in enumerate(t[1])))
        for t in templates
    )


def _id_templates(
    schema: GraphQLSchema, prepared: Prepared, dialect: Any, max_page_size: int
) -> tuple[Template | None, ...] | None:
    """Made twice with two stand-in ids: the parameters that differ are the id's."""
    assert prepared.id_variable is not None
    first, second = (
        _render(schema, prepared, {prepared.id_variable: id_}, dialect, max_page_size)
        for id_ in STAND_IN_IDS
    )
    out: list[Template | None] = []
    for a, b in zip(first, second, strict=True):
        if a is None or b is None:
            out.append(None)
            continue
        differ = [(i, x, y) for i, (x, y) in enumerate(zip(a[1], b[1], strict=True)) if x != y]
        if a[0] != b[0] or any((x, y) != STAND_IN_IDS for _i, x, y in differ):
            return None  # the SQL depends on the id otherwise than as a value: per request
        out.append((a[0], a[1], frozenset(i for i, _x, _y in differ)))
    return tuple(out)


def _render(
    schema: GraphQLSchema,
    prepared: Prepared,
    variables: Mapping[str, Any],
    dialect: Any,
    max_page_size: int,
) -> tuple[Statement | None, ...]:
    coerced = get_variable_values(
        schema, prepared.operation.variable_definitions or (), dict(variables)
    )
    if isinstance(coerced, list):  # errors
        raise NotPrepared("variables")
    renderer = Renderer(JsonSql.of(dialect.name), coerced, max_page_size)
    made: list[Statement | None] = []
    for _key, plan in prepared.plans:
        if plan.kind == "typename":
            made.append(None)
            continue
        try:
            statement = renderer.root(plan)
        except (InvalidInput, Missing) as exc:
            raise NotPrepared(str(exc)) from exc
        made.append(_sql(statement, dialect))
    return tuple(made)


def _sql(statement: Select[Any], dialect: Any) -> Statement:
    """The statement as the driver takes it: text (IN lists expanded) and positional
    parameters, each through its type's bind processor, as SQLAlchemy would send them."""
    compiled = statement.compile(dialect=dialect)
    expanded = compiled.construct_expanded_state()
    # ExpandedState holds the processors of the expanded IN-list parameters only; those of
    # the others are the compiled statement's (private, but what SQLAlchemy's own execution
    # reads: there is no public accessor).
    processors: dict[str, Any] = {**compiled._bind_processors, **expanded.processors}
    values = []
    for name, value in zip(expanded.positiontup or (), expanded.positional_parameters, strict=True):
        processor = processors.get(name)
        values.append(value if processor is None else processor(value))
    return expanded.statement, tuple(values)


async def read_json(database: Database, statement: Statement) -> str | None:
    """Run a prepared statement: on a pooled connection, straight through the driver, with
    no transaction (a query changes nothing): asyncpg's own connections on PostgreSQL
    (``db.direct``), the engine's pool on SQLite. A database bound to one connection (the
    tests' rolled-back transaction) reads through a session of it instead, to see what the
    test wrote."""
    sql, params = statement
    bind = database.sessionmaker.kw.get("bind")
    if isinstance(bind, AsyncEngine):
        if bind.dialect.name == "postgresql":
            text: str | None = await direct_reads(bind.sync_engine, database.settings).fetchval(
                sql, params
            )
            return text
        async with bind.connect() as connection:
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            async with driver.execute(sql, params) as cursor:
                row = await cursor.fetchone()
            return None if row is None else row[0]
    async with database.sessionmaker() as session, session.begin_nested():
        connection = await session.connection()
        result = await connection.exec_driver_sql(sql, params)
        scalar: str | None = result.scalar()
        return scalar


__all__ = ["NotPrepared", "Prepared", "PreparedQueries", "answer", "prepared_queries"]
