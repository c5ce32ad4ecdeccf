"""Typed filter inputs. Every operator is optional; given operators are ANDed.

They convert (``to_filter``) into the plain mapping ``ocr_gateway.db.query`` compiles, which
is also what the REST shim's MongoDB-style ``filter`` parameter is translated into.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from ocr_gateway.db.query import plain_filter
from ocr_gateway.schema.enums import PageStatus, PageType, Priority, WorkStatus


@strawberry.input(description="Conditions on an id")
class IDFilter:
    eq: strawberry.ID | None = None
    ne: strawberry.ID | None = None
    in_: list[strawberry.ID] | None = strawberry.field(name="in", default=None)
    nin: list[strawberry.ID] | None = None
    exists: bool | None = strawberry.field(default=None, description="false: the id is null")


@strawberry.input(description="Conditions on a text field; contains/startsWith ignore case")
class StringFilter:
    eq: str | None = None
    ne: str | None = None
    in_: list[str] | None = strawberry.field(name="in", default=None)
    nin: list[str] | None = None
    contains: str | None = None
    starts_with: str | None = None
    exists: bool | None = None


@strawberry.input(description="Conditions on an integer")
class IntFilter:
    eq: int | None = None
    ne: int | None = None
    in_: list[int] | None = strawberry.field(name="in", default=None)
    nin: list[int] | None = None
    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None


@strawberry.input(description="Conditions on a number")
class FloatFilter:
    eq: float | None = None
    ne: float | None = None
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None
    exists: bool | None = None


@strawberry.input(description="Conditions on a date-time (ISO 8601)")
class DateTimeFilter:
    eq: datetime | None = None
    ne: datetime | None = None
    gt: datetime | None = None
    gte: datetime | None = None
    lt: datetime | None = None
    lte: datetime | None = None
    exists: bool | None = None


@strawberry.input(description="Conditions on a flag")
class BooleanFilter:
    eq: bool | None = None
    ne: bool | None = None


@strawberry.input(description="Conditions on a priority; gt/gte/lt/lte follow low < urgent")
class PriorityFilter:
    eq: Priority | None = None
    ne: Priority | None = None
    in_: list[Priority] | None = strawberry.field(name="in", default=None)
    nin: list[Priority] | None = None
    gt: Priority | None = None
    gte: Priority | None = None
    lt: Priority | None = None
    lte: Priority | None = None


@strawberry.input(description="Conditions on a job or group status")
class WorkStatusFilter:
    eq: WorkStatus | None = None
    ne: WorkStatus | None = None
    in_: list[WorkStatus] | None = strawberry.field(name="in", default=None)
    nin: list[WorkStatus] | None = None


@strawberry.input(description="Conditions on a page status")
class PageStatusFilter:
    eq: PageStatus | None = None
    ne: PageStatus | None = None
    in_: list[PageStatus] | None = strawberry.field(name="in", default=None)
    nin: list[PageStatus] | None = None


@strawberry.input(description="Conditions on a page type")
class PageTypeFilter:
    eq: PageType | None = None
    ne: PageType | None = None
    in_: list[PageType] | None = strawberry.field(name="in", default=None)
    nin: list[PageType] | None = None
    exists: bool | None = None


@strawberry.input(description="Conditions on a list of tags")
class TagsFilter:
    has: str | None = strawberry.field(default=None, description="has this tag")
    has_any: list[str] | None = None
    has_all: list[str] | None = None
    has_none: list[str] | None = None
    is_empty: bool | None = None


@strawberry.input(description="A condition on one value inside the metadata object")
class JsonPathFilter:
    path: str = strawberry.field(description="Dot-separated keys, e.g. 'customer.region'")
    eq: JSON | None = None
    ne: JSON | None = None
    in_: list[JSON] | None = strawberry.field(name="in", default=None)
    nin: list[JSON] | None = None
    gt: JSON | None = None
    gte: JSON | None = None
    lt: JSON | None = None
    lte: JSON | None = None
    exists: bool | None = None


@strawberry.input(description="Filter on templates")
class TemplateFilter:
    id: IDFilter | None = None
    name: StringFilter | None = None
    active: BooleanFilter | None = None
    builtin: BooleanFilter | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    and_: list[TemplateFilter] | None = strawberry.field(name="and", default=None)
    or_: list[TemplateFilter] | None = strawberry.field(name="or", default=None)
    not_: TemplateFilter | None = strawberry.field(name="not", default=None)


@strawberry.input(description="Filter on job groups")
class JobGroupFilter:
    id: IDFilter | None = None
    name: StringFilter | None = None
    description: StringFilter | None = None
    batch_number: StringFilter | None = None
    template: IDFilter | None = None
    priority: PriorityFilter | None = None
    status: WorkStatusFilter | None = None
    created_by: StringFilter | None = None
    assigned_to: StringFilter | None = None
    tags: TagsFilter | None = None
    metadata: list[JsonPathFilter] | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    and_: list[JobGroupFilter] | None = strawberry.field(name="and", default=None)
    or_: list[JobGroupFilter] | None = strawberry.field(name="or", default=None)
    not_: JobGroupFilter | None = strawberry.field(name="not", default=None)


@strawberry.input(description="Filter on jobs")
class JobFilter:
    id: IDFilter | None = None
    group: IDFilter | None = None
    template: IDFilter | None = None
    name: StringFilter | None = None
    source_file_name: StringFilter | None = None
    status: WorkStatusFilter | None = None
    priority: PriorityFilter | None = None
    metadata: list[JsonPathFilter] | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    completed_at: DateTimeFilter | None = None
    and_: list[JobFilter] | None = strawberry.field(name="and", default=None)
    or_: list[JobFilter] | None = strawberry.field(name="or", default=None)
    not_: JobFilter | None = strawberry.field(name="not", default=None)


@strawberry.input(description="Filter on pages")
class PageFilter:
    id: IDFilter | None = None
    job: IDFilter | None = None
    page_number: IntFilter | None = None
    page_url: StringFilter | None = None
    page_type: PageTypeFilter | None = None
    status: PageStatusFilter | None = None
    mean_confidence: FloatFilter | None = None
    attempts: IntFilter | None = None
    metadata: list[JsonPathFilter] | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    processed_at: DateTimeFilter | None = None
    and_: list[PageFilter] | None = strawberry.field(name="and", default=None)
    or_: list[PageFilter] | None = strawberry.field(name="or", default=None)
    not_: PageFilter | None = strawberry.field(name="not", default=None)


to_filter = plain_filter  # the mapping the query compiler takes (``db.query``)
