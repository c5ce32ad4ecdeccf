"""Arguments every list takes (limit, offset, sort, order, filter, search), checked once."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry

from ocr_gateway.db.query import ListArgs, canonical_filter
from ocr_gateway.enums import SortOrder
from ocr_gateway.errors import FieldProblem, InvalidInput
from ocr_gateway.schema.context import Context
from ocr_gateway.services.validation import text_problem

Info = strawberry.Info[Context, None]
Limit = Annotated[int, strawberry.argument(description="Maximum number of records (1..100)")]
Offset = Annotated[int, strawberry.argument(description="Records to skip (>= 0)")]
Order = Annotated[SortOrder, strawberry.argument(description="Sort order")]
Search = Annotated[
    str | None, strawberry.argument(description="Case-insensitive term over the text fields")
]
MAX_SEARCH_LENGTH = 200


def check_paging(info: Info, limit: int, offset: int, *, limit_name: str = "limit") -> None:
    maximum = info.context.settings.max_page_size
    problems = []
    if not 1 <= limit <= maximum:
        problems.append(FieldProblem(limit_name, f"must be between 1 and {maximum}"))
    if offset < 0:
        problems.append(FieldProblem("offset", "must be >= 0"))
    if problems:
        raise InvalidInput(problems)


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
    from ocr_gateway.schema.filters import to_filter

    check_paging(info, limit, offset, limit_name=limit_name)
    if search is not None and len(search) > MAX_SEARCH_LENGTH:
        raise InvalidInput.single("search", f"must be at most {MAX_SEARCH_LENGTH} characters")
    if search is not None and (problem := text_problem(search)):
        raise InvalidInput.single("search", problem)
    return ListArgs(
        limit=limit,
        offset=offset,
        sort=sort.value if sort is not None else None,
        order=SortOrder(order),
        filter_json=canonical_filter(to_filter(filter) if filter is not None else None),
        search=search or None,
    )
