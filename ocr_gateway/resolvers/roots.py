"""Fetchers behind the root lists and connections of every resource."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ocr_gateway.db import repository as repo
from ocr_gateway.db.models import Base
from ocr_gateway.db.query import ListArgs, ResourceSpec, encode_cursor
from ocr_gateway.errors import NotFound
from ocr_gateway.ids import is_valid_id
from ocr_gateway.resources import BY_TABLE
from ocr_gateway.schema.arguments import Info, Window
from ocr_gateway.schema.lists import PageInfo
from ocr_gateway.sql import aggregates

M = TypeVar("M", bound=Base)
T = TypeVar("T")


def list_fetchers(
    info: Info, model: type[M], spec: ResourceSpec, args: ListArgs, convert: Callable[[M], T]
) -> dict[str, Callable[[], Awaitable[Any]]]:
    ctx = info.context

    async def fetch_items() -> list[T]:
        async with ctx.session() as session:
            rows = await repo.list_rows(session, model, spec, args)
        return [convert(row) for row in rows]

    async def fetch_total() -> int:
        async with ctx.session() as session:
            return await repo.count_rows(session, model, spec, args)

    async def fetch_aggregate() -> dict[str, Any]:
        resource = BY_TABLE[model.__tablename__]
        async with ctx.session() as session:
            return await aggregates.aggregate_row(session, resource, spec, args)

    return {
        "fetch_items": fetch_items,
        "fetch_total": fetch_total,
        "fetch_aggregate": fetch_aggregate,
    }


async def connection_parts(
    info: Info,
    model: type[M],
    spec: ResourceSpec,
    args: ListArgs,
    window: Window,
    convert: Callable[[M], T],
    edge: Callable[..., Any],
) -> dict[str, Any]:
    async with info.context.session() as session:
        if window.backward:
            rows = await repo.list_before(session, model, spec, args, window.before)
        else:
            rows = await repo.list_after(session, model, spec, args, window.after)
    more = len(rows) > args.limit
    rows = rows[1:] if window.backward and more else rows[: args.limit]
    edges = [edge(cursor=encode_cursor(spec, args, row), node=convert(row)) for row in rows]
    page_info = PageInfo(
        has_next_page=window.before is not None if window.backward else more,
        has_previous_page=more if window.backward else window.after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    fetchers = list_fetchers(info, model, spec, args, convert)
    return {"edges": edges, "page_info": page_info, "fetch_total": fetchers["fetch_total"]}


async def one(info: Info, loader: Any, resource: str, id: str) -> Any:
    row = await loader.load(id) if is_valid_id(id) else None
    if row is None:
        raise NotFound(resource, id)
    return row
