"""Compiled reads: the executor hook that answers a query's root fields with SQL-built JSON.

Strawberry parses and validates (both cached) and runs the extensions (scopes, limits, the
unit of work) as for any operation; then graphql-core's executor runs the root fields, and
this executor class takes over those it can compile:

    root field of a query ──► plan (cached per operation and @skip/@include values)
        │ no plan (a field the compiler does not cover)      ──► Strawberry's executor
        ▼
    render with this request's arguments ──► one SQL statement ──► JSON text, kept as is
        │ bad argument / unknown id                          ──► Strawberry's executor
        ▼                                                        (which reports it)
    ``CompiledJson`` in ``ExecutionResult.data``; the HTTP view writes its bytes into the
    response unchanged (``graphql_view``), the REST shim decodes it with orjson.

Mutations and subscriptions never come here. ``Settings.compiled_reads`` switches the
compiler off; ``Settings.compiled_crosscheck`` (tests) also runs every compiled root field
through the executor and records any difference in ``MISMATCHES``.
"""

from __future__ import annotations

import json
import logging
import re
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import orjson
from graphql import (
    DirectiveNode,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    visit,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.language import Visitor
from graphql.pyutils import Path
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from ocr_gateway.errors import InvalidInput
from ocr_gateway.schema.prepared import prepared_queries
from ocr_gateway.sql.compiler.json_sql import JsonSql
from ocr_gateway.sql.compiler.plan import Planner, RootPlan
from ocr_gateway.sql.compiler.render import Missing, Renderer

log = logging.getLogger("ocr_gateway.compiled")
PLAN_CACHE_SIZE = 512
LONG_INTEGER = re.compile(r"\d{19}")
SQLITE_TOO_DEEP = "parser stack overflow"
MISMATCHES: list[str] = []


class CompiledJson:
    """A root field's value as finished JSON text, written into the response as is."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def decode(self) -> Any:
        # orjson reads integers beyond 64 bits as floats: such JSON goes to the json module.
        if LONG_INTEGER.search(self.text):
            return json.loads(self.text)
        return orjson.loads(self.text)


def encode_default(value: Any) -> Any:
    """orjson's ``default`` for responses that hold compiled root fields."""
    if isinstance(value, CompiledJson):
        return orjson.Fragment(value.text)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def encode_response(data: object) -> bytes:
    """A GraphQL response as JSON bytes: orjson, or the json module for what orjson cannot
    write (integers beyond 64 bits, which JSON columns may hold)."""
    try:
        return orjson.dumps(data, default=encode_default)
    except TypeError:
        return json.dumps(data, default=_decoded, separators=(",", ":")).encode()


def _decoded(value: Any) -> Any:
    if isinstance(value, CompiledJson):
        return value.decode()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class PlanCache:
    """Plans by operation (kept alive while cached, so its id stays its own), bounded."""

    def __init__(self, size: int = PLAN_CACHE_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Any, ...], tuple[Any, dict[str, RootPlan | None]]] = (
            OrderedDict()
        )
        self._directive_variables: OrderedDict[int, tuple[Any, tuple[str, ...]]] = OrderedDict()

    def plans(
        self,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, Any],
        values: Mapping[str, Any],
    ) -> dict[str, RootPlan | None]:
        names = self.directive_variables(operation, fragments)
        key = (id(operation), *(repr(values.get(name)) for name in names))
        entry = self._entries.get(key)
        if entry is not None and entry[0] is operation:
            self._entries.move_to_end(key)
            return entry[1]
        plans: dict[str, RootPlan | None] = {}
        self._entries[key] = (operation, plans)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return plans

    def directive_variables(
        self, operation: OperationDefinitionNode, fragments: Mapping[str, Any]
    ) -> tuple[str, ...]:
        cached = self._directive_variables.get(id(operation))
        if cached is not None and cached[0] is operation:
            return cached[1]
        found: set[str] = set()
        for node in (operation, *(f.definition for f in fragments.values())):
            visit(node, _DirectiveVariables(found))
        names = tuple(sorted(found))
        self._directive_variables[id(operation)] = (operation, names)
        if len(self._directive_variables) > self.size:
            self._directive_variables.popitem(last=False)
        return names


class _DirectiveVariables(Visitor):
    def __init__(self, found: set[str]) -> None:
        super().__init__()
        self.found = found

    def enter_directive(self, node: DirectiveNode, *_args: Any) -> None:
        for argument in node.arguments or ():
            if isinstance(argument.value, VariableNode):
                self.found.add(argument.value.name.value)


PLANS = PlanCache()


class CompilingExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, with compiled root fields for queries."""

    def execute_root_grouped_field_set(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: dict[str, FieldDetailsList],
        serially: bool,
        position_context: Any,
    ) -> Any:
        settings = getattr(self.context_value, "settings", None)
        if (
            serially
            or self.operation.operation != OperationType.QUERY
            or settings is None
            or not settings.compiled_reads
        ):
            return super().execute_root_grouped_field_set(
                root_type, root_value, grouped_field_set, serially, position_context
            )
        plans = PLANS.plans(self.operation, self.fragments, self.variable_values.coerced)
        results: dict[str, Any] = {}
        for key, details in grouped_field_set.items():
            if key not in plans:
                plans[key] = self._planner().plan_root(root_type, details)
            plan = plans[key]
            path = Path(None, key, root_type.name)
            if plan is None:
                results[key] = self.execute_field(
                    root_type, root_value, details, path, position_context
                )
            else:
                results[key] = self._compiled(
                    plans, key, root_type, root_value, details, path, position_context
                )
        self._prepare(root_type, plans)
        return self._gather(results)

    def _prepare(self, root_type: GraphQLObjectType, plans: dict[str, RootPlan | None]) -> None:
        """Register a query whose root fields all compiled for ``schema.prepared``: later
        requests with the same text go from the body straight to the SQL."""
        query = getattr(self.context_value, "prepare_as", None)
        if query is None or PLANS.directive_variables(self.operation, self.fragments):
            return
        text, name = query
        fragments = {key: f.definition.selection_set for key, f in self.fragments.items()}
        prepared_queries(self.schema).register(
            text, name, self.operation, root_type, plans, fragments
        )

    def _planner(self) -> Planner:
        return Planner(self.schema, self.fragments, self.variable_values, self.operation)

    async def _gather(self, results: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in results.items():
            out[key] = await value if self.is_awaitable(value) else value
        return out

    async def _compiled(
        self,
        plans: dict[str, RootPlan | None],
        key: str,
        root_type: GraphQLObjectType,
        root_value: Any,
        details: Any,
        path: Path,
        position: Any,
    ) -> Any:
        plan = plans[key]
        assert plan is not None
        if plan.kind == "typename":
            return root_type.name
        context = self.context_value
        renderer = Renderer(
            JsonSql.of(context.db.dialect), self.variable_values, context.settings.max_page_size
        )
        try:
            statement = renderer.root(plan)
        except (InvalidInput, Missing):
            return await self._executed(root_type, root_value, details, path, position)
        try:
            text = await fetch_json(context, statement)
        except OperationalError as exc:
            if SQLITE_TOO_DEEP not in str(exc):
                raise
            # SQLite's parser cannot nest this deep: the executor answers this one from now on.
            plans[key] = None
            return await self._executed(root_type, root_value, details, path, position)
        if text is None:
            return await self._executed(root_type, root_value, details, path, position)
        if context.settings.compiled_crosscheck:
            await self._crosscheck(text, root_type, root_value, details, path, position)
        return CompiledJson(text)

    async def _executed(
        self, root_type: GraphQLObjectType, root_value: Any, details: Any, path: Path, position: Any
    ) -> Any:
        value = self.execute_field(root_type, root_value, details, path, position)
        return await value if self.is_awaitable(value) else value

    async def _crosscheck(
        self,
        text: str,
        root_type: GraphQLObjectType,
        root_value: Any,
        details: Any,
        path: Path,
        position: Any,
    ) -> None:
        errors = len(self.collected_errors.errors)
        try:
            expected = await self._executed(root_type, root_value, details, path, position)
        except Exception as exc:  # a non-null root field's error
            expected = exc
        new_errors = self.collected_errors.errors[errors:]
        del self.collected_errors.errors[errors:]
        compiled = typed(CompiledJson(text).decode())
        failed = new_errors or isinstance(expected, Exception)
        executed = repr(new_errors or expected) if failed else typed(round_trip(expected))
        if compiled != executed:
            message = f"{path.key}: compiled {compiled!r}\n  executor {executed!r}"
            MISMATCHES.append(message)
            log.error("compiled and executed results differ: %s", message)


async def fetch_json(context: Any, statement: Any) -> str | None:
    """Run a compiled statement. A query changes nothing, so it needs no transaction: it
    runs on a pooled connection in autocommit (one round trip, no BEGIN/ROLLBACK). A
    database bound to one connection (the tests' rolled-back transaction) reads through
    the request's session, so that it sees what the test wrote."""
    bind = context.db.sessionmaker.kw.get("bind")
    if isinstance(bind, AsyncEngine):
        async with _autocommit(bind).connect() as connection:
            return (await connection.execute(statement)).scalar()
    # A SAVEPOINT, so that a statement SQLite refuses (too deep) leaves the session usable.
    async with context.session() as session, session.begin_nested():
        connection = await session.connection()
        return (await connection.execute(statement)).scalar()  # type: ignore[no-any-return]


_AUTOCOMMIT: weakref.WeakKeyDictionary[Any, AsyncEngine] = weakref.WeakKeyDictionary()


def _autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The engine's pool, with connections in autocommit (made once per engine)."""
    found = _AUTOCOMMIT.get(engine.sync_engine)
    if found is None:
        found = _AUTOCOMMIT[engine.sync_engine] = engine.execution_options(
            isolation_level="AUTOCOMMIT"
        )
    return found


def round_trip(value: Any) -> Any:
    """The executor's value as a client reads it from the response."""
    return CompiledJson(encode_response(value).decode()).decode()


def typed(value: Any) -> Any:
    """A JSON value with key order and types made comparable (1 != 1.0 != True)."""
    if isinstance(value, dict):
        return ("object", [(k, typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("array", [typed(v) for v in value])
    return (type(value).__name__, value)


__all__ = ["MISMATCHES", "CompiledJson", "CompilingExecutor", "encode_response"]
