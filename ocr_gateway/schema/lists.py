"""List shapes shared by every resource: ``{items, totalCount}`` and cursor connections.

Both resolve lazily: a query that asks only for ``totalCount`` runs only the count.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

T = TypeVar("T")


@strawberry.type
class ItemList(Generic[T]):
    fetch_items: strawberry.Private[Callable[[], Awaitable[list[T]]]]
    fetch_total: strawberry.Private[Callable[[], Awaitable[int]]]
    # The list's aggregates as one row of values (``sql.aggregates``); each concrete list
    # type shows them through its own ``aggregate`` field (``schema.aggregates``).
    fetch_aggregate: strawberry.Private[Callable[[], Awaitable[dict[str, Any]]]]

    @strawberry.field(description="The requested slice (limit/offset)")
    async def items(self) -> list[T]:
        return await self.fetch_items()

    @strawberry.field(description="How many rows match the filter and search, ignoring paging")
    async def total_count(self) -> int:
        return await self.fetch_total()


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    fetch_total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many rows match the filter and search")
    async def total_count(self) -> int:
        return await self.fetch_total()
