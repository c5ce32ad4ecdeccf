"""Carrying out a REST call as a named GraphQL operation on the app's schema.

The context is the one the GraphQL router builds (same getter, same unit of work), and the
request's session is always finished when the operation ends, whatever happened: the
``UnitOfWork`` extension commits a successful mutation, ``finish(commit=False)`` closes
what is left (a no-op when the extension already ended it).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLEnumType, GraphQLInputType
from starlette.datastructures import QueryParams

from ocr_gateway.rest import envelope
from ocr_gateway.rest.body import Problem, input_type, top_field, type_problems, without
from ocr_gateway.rest.envelope import RestError
from ocr_gateway.rest.mongo_filter import Vocabulary, translate
from ocr_gateway.rest.operations import Operation
from ocr_gateway.rest.payload import check_text
from ocr_gateway.schema.compiled import MISMATCHES, CompiledJson, round_trip, typed
from ocr_gateway.schema.context import Context
from ocr_gateway.schema.prepared import answer, prepared_queries
from ocr_gateway.settings import Settings

GRAPHQL_INT_MAX = 2**31 - 1
INTEGER = re.compile(r"^\s*-?[0-9]{1,20}\s*$")
ORDERS = ("asc", "desc")
# Sub-resource lists ("jobs in a group") return every row, read this many per operation, up
# to ALL_ROWS_CAP rows (``total`` still counts them all).
BATCH = 100
ALL_ROWS_CAP = 10_000


@dataclass(frozen=True)
class ListSpec:
    """What a list endpoint accepts: its sort whitelist and filter vocabulary."""

    sorts: Sequence[str]
    vocabulary: Vocabulary


class Gateway:
    def __init__(self, schema: strawberry.Schema, settings: Settings) -> None:
        self.schema = schema
        self.settings = settings
        graphql_schema = schema._schema
        self.enums: dict[str, list[str]] = {
            name: list(t.values)
            for name, t in graphql_schema.type_map.items()
            if isinstance(t, GraphQLEnumType) and not name.startswith("__")
        }
        self._input_types: dict[str, GraphQLInputType | None] = {}

    def list_spec(self, type_name: str) -> ListSpec:
        return ListSpec(
            sorts=self.enums[f"{type_name}Sort"],
            vocabulary=Vocabulary.of(self.schema._schema, f"{type_name}Filter"),
        )

    async def run(
        self,
        context: Context,
        operation: Operation,
        variables: Mapping[str, Any],
        *,
        body: bool = False,
        problems: Sequence[Problem] = (),
        from_body: bool = False,
    ) -> Any:
        """The operation's root field; a failure raises the matching ``RestError``.

        ``body``: ``variables["input"]`` is the request body, checked first (``rest.body``);
        ``problems`` found in it by the route are answered together with the others.
        ``from_body``: other variables come from a body the route checked (bad input: 422).
        """
        if body:
            await self._check_body(context, operation, variables, problems)
        prepared = None if body else await self._prepared(context, operation, variables)
        if prepared is not None and not self.settings.compiled_crosscheck:
            return prepared
        result = await self._execute(context, operation, variables)
        if result.errors:
            raise envelope.from_graphql(result.errors, body=body or from_body, enums=self.enums)
        assert result.data is not None
        value = result.data[operation.field]
        value = value.decode() if isinstance(value, CompiledJson) else value
        if prepared is not None and typed(prepared) != typed(round_trip(value)):
            MISMATCHES.append(f"REST {operation.name}: prepared {prepared!r}\n  run {value!r}")
        return value

    async def _prepared(
        self, context: Context, operation: Operation, variables: Mapping[str, Any]
    ) -> Any:
        """The root field's value from the prepared path (``schema.prepared``), or None
        when the operation runs in full (not prepared yet, refused, or anything to report)."""
        if not self.settings.compiled_reads:
            return None
        schema = self.schema._schema
        prepared = prepared_queries(schema).get(operation.document, operation.name)
        if prepared is None:
            return None
        if self.settings.auth_enabled and not prepared.allows(context.principal):
            return None
        timeout = self.settings.request_timeout_s
        try:
            async with asyncio.timeout(timeout):
                fields = await answer(
                    schema, prepared, variables, context.db, self.settings.max_page_size
                )
        except TimeoutError:
            raise RestError(
                504, "TIMEOUT", f"the operation took longer than {timeout:g} s"
            ) from None
        except Exception:  # the full pipeline answers, with its errors and codes
            return None
        return CompiledJson(dict(fields)[operation.field]).decode()

    async def _execute(
        self, context: Context, operation: Operation, variables: Mapping[str, Any]
    ) -> Any:
        timeout = self.settings.request_timeout_s
        try:
            async with asyncio.timeout(timeout):
                return await self.schema.execute(
                    operation.document,
                    variable_values=dict(variables),
                    context_value=context,
                    operation_name=operation.name,
                )
        except TimeoutError:
            raise RestError(
                504, "TIMEOUT", f"the operation took longer than {timeout:g} s"
            ) from None
        finally:
            await context.finish(commit=False)
            # Rows the loaders cached belong to the session that just closed; a later
            # operation on this context (``run_all``) must load its own.
            context.loaders.clear()

    async def _check_body(
        self,
        context: Context,
        operation: Operation,
        variables: Mapping[str, Any],
        problems: Sequence[Problem],
    ) -> None:
        """Raise a 422 naming every problem of the body when its JSON types are wrong."""
        type_ = self._input_type(operation)
        found = [*problems, *type_problems(variables["input"], type_)]
        if not found:
            return
        bad = {top_field(p["field"]) for p in found}
        rest = without(variables["input"], bad, type_)
        found += await self._dry_run(context, operation, {**variables, "input": rest}, bad)
        message = "; ".join(f"{p['field']}: {p['message']}" for p in found)
        raise RestError(422, "BAD_USER_INPUT", message, found)

    async def _dry_run(
        self,
        context: Context,
        operation: Operation,
        variables: Mapping[str, Any],
        skipped: set[str],
    ) -> list[Problem]:
        """The other fields' problems: the operation run and rolled back, whatever happens."""
        context.dry_run = True
        try:
            result = await self._execute(context, operation, variables)
        finally:
            context.dry_run = False
        if not result.errors:
            return []
        error = envelope.from_graphql(result.errors, body=True, enums=self.enums)
        if error.code != "BAD_USER_INPUT":
            return []
        return [d for d in error.details if top_field(d["field"]) not in skipped]

    def _input_type(self, operation: Operation) -> GraphQLInputType | None:
        if operation.name not in self._input_types:
            found = input_type(self.schema._schema, operation.document, "input")
            self._input_types[operation.name] = found
        return self._input_types[operation.name]

    async def run_all(
        self, context: Context, operation: Operation, id: str
    ) -> tuple[list[Any], int]:
        """Every row of a sub-resource list (``parent(id) { children { items totalCount } }``)."""
        items: list[Any] = []
        total = 0
        while True:
            variables = {"id": id, "limit": BATCH, "offset": len(items)}
            parent = await self.run(context, operation, variables)
            page = next(iter(parent.values()))
            items.extend(page["items"])
            total = page["totalCount"]
            if len(page["items"]) < BATCH or len(items) >= min(total, ALL_ROWS_CAP):
                return items[:ALL_ROWS_CAP], total


def list_variables(query: QueryParams, spec: ListSpec) -> dict[str, Any]:
    """The GraphQL list arguments for the seeds' query parameters; a bad one is a 400."""
    return {
        "limit": _integer(query, "limit", 50, minimum=1, maximum=100),
        "offset": _integer(query, "offset", 0, minimum=0, maximum=GRAPHQL_INT_MAX),
        "sort": _choice(query, "sort", None, spec.sorts),
        "order": _choice(query, "order", "desc", ORDERS),
        "filter": translate(query.get("filter"), spec.vocabulary),
        "search": check_text(query.get("search") or "", where="search") or None,
    }


def _integer(query: QueryParams, name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not INTEGER.match(raw):
        raise RestError.bad_input(400, name, "must be an integer")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise RestError.bad_input(400, name, f"must be an integer from {minimum} to {maximum}")
    return value


def _choice(query: QueryParams, name: str, default: str | None, allowed: Sequence[str]) -> Any:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if raw not in allowed:
        raise RestError.bad_input(400, name, f"must be one of: {', '.join(allowed)}")
    return raw
