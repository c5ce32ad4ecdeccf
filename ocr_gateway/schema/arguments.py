"""The arguments every list takes, made once per resource (``list_field``,
``connection_field``) from its declaration, and checked once (``db.query.make_list_args``).

    list_field        limit, offset, sort, order, filter, search, orderBy -> {items, totalCount}
    connection_field  first, after, sort, order, filter, search -> {edges, pageInfo, totalCount}

``sort`` and ``order`` name one sort key; ``orderBy: [{field, order}]`` several (give one
or the other). A nested list may have a default sort of its own (a job's pages: page order).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

import strawberry

from ocr_gateway.db.query import ListArgs, check_page_bounds, make_list_args
from ocr_gateway.enums import SortOrder
from ocr_gateway.errors import InvalidInput
from ocr_gateway.resources import Resource
from ocr_gateway.schema.context import Context

Info = strawberry.Info[Context, None]
Limit = Annotated[int, strawberry.argument(description="Maximum number of records (1..100)")]
Offset = Annotated[int, strawberry.argument(description="Records to skip (>= 0)")]
Order = Annotated[SortOrder, strawberry.argument(description="Sort order")]
Search = Annotated[
    str | None, strawberry.argument(description="Case-insensitive term over the text fields")
]
First = Annotated[
    int | None, strawberry.argument(description="Rows to return after `after` (1..100; default 50)")
]
After = Annotated[
    str | None, strawberry.argument(description="The endCursor of the previous slice")
]
Last = Annotated[
    int | None, strawberry.argument(description="Rows to return before `before` (1..100)")
]
Before = Annotated[str | None, strawberry.argument(description="The startCursor of the next slice")]
Fetch = Callable[[Any, Info, ListArgs], Any]
DEFAULT_FIRST = 50
PARAMETER = inspect.Parameter.POSITIONAL_OR_KEYWORD


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
    order_by: list[Any] | None = None,
) -> ListArgs:
    keys = None if order_by is None else [(o.field.value, o.order.value) for o in order_by]
    return make_list_args(
        info.context.settings.max_page_size,
        limit=limit,
        offset=offset,
        sort=sort.value if sort is not None else None,
        order=order,
        filter_=filter,
        search=search,
        limit_name=limit_name,
        order_by=keys,
    )


@dataclass(frozen=True)
class Window:
    """Where a connection's slice is: ``first`` rows after ``after`` (forward) or ``last``
    rows before ``before`` (backward)."""

    after: str | None = None
    before: str | None = None
    backward: bool = False


def _window(first: int | None, last: int | None, after: str | None, before: str | None) -> Any:
    """Forward (first/after) or backward (last/before) paging; mixing them is bad input."""
    if last is None:
        if before is not None:
            raise InvalidInput.single("before", "goes with last (after goes with first)")
        return Window(after=after)
    if first is not None or after is not None:
        name = "first" if first is not None else "after"
        raise InvalidInput.single(name, "give first/after or last/before, not both")
    return Window(before=before, backward=True)


def _argument(annotation: Any, description: str) -> Any:
    """``Annotated[annotation, strawberry.argument(...)]`` for a type made at run time."""
    return Annotated[annotation, strawberry.argument(description=description)]


def _optional_list(item: Any) -> Any:
    return list[item] | None


def _parameter(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> Any:
    return inspect.Parameter(name, PARAMETER, annotation=annotation, default=default)


def _sorting(resource: Resource, order: SortOrder) -> list[inspect.Parameter]:
    from ocr_gateway.schema.enums import SORTS
    from ocr_gateway.schema.filters import FILTERS

    sort = _argument(SORTS[resource.name] | None, "Field to sort by")
    filter_ = _argument(FILTERS[resource.name] | None, "Conditions rows meet")
    return [
        _parameter("sort", sort, None),
        _parameter("order", Order, order),
        _parameter("filter", filter_, None),
        _parameter("search", Search, None),
    ]


def _resolver(name: str, module: str, parameters: list[Any], returns: str, body: Any) -> Any:
    body.__name__ = name
    body.__module__ = module  # where ``returns`` (a type name) is looked up
    head = [_parameter("self", Any), _parameter("info", Info)]
    body.__signature__ = inspect.Signature([*head, *parameters], return_annotation=returns)
    return body


def list_field(
    resource: Resource,
    returns: str,
    fetch: Fetch,
    *,
    module: str,
    description: str,
    order: SortOrder = SortOrder.desc,
    default_sort: str | None = None,
) -> Any:
    """A list of ``resource`` with every list argument; ``fetch(parent, info, args)`` makes
    the ``returns`` object (an ``ItemList``)."""
    from ocr_gateway.schema.filters import ORDERINGS

    def resolve(self: Any, info: Info, **arguments: Any) -> Any:
        args = list_args(
            info,
            arguments["limit"],
            arguments["offset"],
            arguments["sort"],
            arguments["order"],
            arguments["filter"],
            arguments["search"],
            order_by=arguments["order_by"],
        )
        if args.sort is None and default_sort is not None:
            args = dataclasses.replace(args, sort=default_sort)
        return fetch(self, info, args)

    keys = _optional_list(ORDERINGS[resource.name])
    order_by = _argument(keys, "Several sort keys, instead of sort and order")
    parameters = [
        _parameter("limit", Limit, 50),
        _parameter("offset", Offset, 0),
        *_sorting(resource, order),
        _parameter("order_by", order_by, None),
    ]
    resolver = _resolver(resource.name + "_list", module, parameters, returns, resolve)
    return strawberry.field(resolver=resolver, description=description)


def connection_field(
    resource: Resource, returns: str, fetch: Any, *, module: str, description: str
) -> Any:
    """A cursor connection of ``resource``; ``await fetch(parent, info, args, after)``."""

    async def resolve(self: Any, info: Info, **arguments: Any) -> Any:
        first, last = arguments["first"], arguments["last"]
        window = _window(first, last, arguments["after"], arguments["before"])
        args = list_args(
            info,
            last if window.backward else (first if first is not None else DEFAULT_FIRST),
            0,
            arguments["sort"],
            arguments["order"],
            arguments["filter"],
            arguments["search"],
            limit_name="last" if window.backward else "first",
        )
        return await fetch(self, info, args, window)

    parameters = [
        _parameter("first", First, None),
        _parameter("after", After, None),
        _parameter("last", Last, None),
        _parameter("before", Before, None),
        *_sorting(resource, SortOrder.desc),
    ]
    resolver = _resolver(resource.name + "_connection", module, parameters, returns, resolve)
    return strawberry.field(resolver=resolver, description=description)
