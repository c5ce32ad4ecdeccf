"""Arguments every list takes (limit, offset, sort, order, filter, search), checked once."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry

from ocr_gateway.db.query import ListArgs, check_page_bounds, make_list_args
from ocr_gateway.enums import SortOrder
from ocr_gateway.schema.context import Context

Info = strawberry.Info[Context, None]
Limit = Annotated[int, strawberry.argument(description="Maximum number of records (1..100)")]
Offset = Annotated[int, strawberry.argument(description="Records to skip (>= 0)")]
Order = Annotated[SortOrder, strawberry.argument(description="Sort order")]
Search = Annotated[
    str | None, strawberry.argument(description="Case-insensitive term over the text fields")
]


def check_paging(info: Info, limit: int, offset: int, *, limit_name: str = "limit") -> None:
    check_page_bounds(info.context.settings.max_page_size, limit, offset, limit_name)


def list_args(
    info: Info,
    limit: int,
    offset: int,
    sort: Enum | None,
    order: SortOrder,
    filter: Any,
    search: str | None,
    *,
    limit_name: str = "limit",
) -> ListArgs:
    return make_list_args(
        info.context.settings.max_page_size,
        limit=limit,
        offset=offset,
        sort=sort.value if sort is not None else None,
        order=order,
        filter_=filter,
        search=search,
        limit_name=limit_name,
    )
