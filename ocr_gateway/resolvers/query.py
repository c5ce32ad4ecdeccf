"""Root queries: one and many of each resource, plus cursor connections."""

from __future__ import annotations

from typing import Annotated

import strawberry

from ocr_gateway.db import specs
from ocr_gateway.db.models import Job as JobRow
from ocr_gateway.db.models import JobGroup as JobGroupRow
from ocr_gateway.db.models import Page as PageRow
from ocr_gateway.db.models import Template as TemplateRow
from ocr_gateway.resolvers.arguments import Info, Limit, Offset, Order, Search, list_args
from ocr_gateway.resolvers.roots import connection_parts, list_fetchers, one
from ocr_gateway.schema.enums import JobGroupSort, JobSort, PageSort, SortOrder, TemplateSort
from ocr_gateway.schema.filters import JobFilter, JobGroupFilter, PageFilter, TemplateFilter
from ocr_gateway.schema.types import (
    Job,
    JobConnection,
    JobEdge,
    JobGroup,
    JobGroupConnection,
    JobGroupEdge,
    JobGroupList,
    JobList,
    Page,
    PageConnection,
    PageEdge,
    PageList,
    Template,
    TemplateConnection,
    TemplateEdge,
    TemplateList,
)

First = Annotated[int, strawberry.argument(description="Rows to return (1..100)")]
After = Annotated[
    str | None, strawberry.argument(description="The endCursor of the previous slice")
]


@strawberry.type
class Query:
    @strawberry.field(description="One template by id")
    async def template(self, info: Info, id: strawberry.ID) -> Template | None:
        return Template.from_row(await one(info, info.context.loaders.template, "Template", id))

    @strawberry.field(description="One job group by id")
    async def job_group(self, info: Info, id: strawberry.ID) -> JobGroup | None:
        return JobGroup.from_row(await one(info, info.context.loaders.job_group, "JobGroup", id))

    @strawberry.field(description="One job by id")
    async def job(self, info: Info, id: strawberry.ID) -> Job | None:
        return Job.from_row(await one(info, info.context.loaders.job, "Job", id))

    @strawberry.field(description="One page by id")
    async def page(self, info: Info, id: strawberry.ID) -> Page | None:
        return Page.from_row(await one(info, info.context.loaders.page, "Page", id))

    @strawberry.field(description="Templates, filtered, sorted and paged")
    async def templates(
        self,
        info: Info,
        limit: Limit = 50,
        offset: Offset = 0,
        sort: TemplateSort | None = None,
        order: Order = SortOrder.desc,
        filter: TemplateFilter | None = None,
        search: Search = None,
    ) -> TemplateList:
        args = list_args(info, limit, offset, sort, order, filter, search)
        return TemplateList(
            **list_fetchers(info, TemplateRow, specs.TEMPLATE_SPEC, args, Template.from_row)
        )

    @strawberry.field(description="Job groups, filtered, sorted and paged")
    async def job_groups(
        self,
        info: Info,
        limit: Limit = 50,
        offset: Offset = 0,
        sort: JobGroupSort | None = None,
        order: Order = SortOrder.desc,
        filter: JobGroupFilter | None = None,
        search: Search = None,
    ) -> JobGroupList:
        args = list_args(info, limit, offset, sort, order, filter, search)
        return JobGroupList(
            **list_fetchers(info, JobGroupRow, specs.JOB_GROUP_SPEC, args, JobGroup.from_row)
        )

    @strawberry.field(description="Jobs, filtered, sorted and paged")
    async def jobs(
        self,
        info: Info,
        limit: Limit = 50,
        offset: Offset = 0,
        sort: JobSort | None = None,
        order: Order = SortOrder.desc,
        filter: JobFilter | None = None,
        search: Search = None,
    ) -> JobList:
        args = list_args(info, limit, offset, sort, order, filter, search)
        return JobList(**list_fetchers(info, JobRow, specs.JOB_SPEC, args, Job.from_row))

    @strawberry.field(description="Pages, filtered, sorted and paged")
    async def pages(
        self,
        info: Info,
        limit: Limit = 50,
        offset: Offset = 0,
        sort: PageSort | None = None,
        order: Order = SortOrder.desc,
        filter: PageFilter | None = None,
        search: Search = None,
    ) -> PageList:
        args = list_args(info, limit, offset, sort, order, filter, search)
        return PageList(**list_fetchers(info, PageRow, specs.PAGE_SPEC, args, Page.from_row))

    @strawberry.field(description="Templates for infinite scrolling")
    async def templates_connection(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        sort: TemplateSort | None = None,
        order: Order = SortOrder.desc,
        filter: TemplateFilter | None = None,
        search: Search = None,
    ) -> TemplateConnection:
        args = list_args(info, first, 0, sort, order, filter, search, limit_name="first")
        return TemplateConnection(
            **await connection_parts(
                info, TemplateRow, specs.TEMPLATE_SPEC, args, after, Template.from_row, TemplateEdge
            )
        )

    @strawberry.field(description="Job groups for infinite scrolling")
    async def job_groups_connection(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        sort: JobGroupSort | None = None,
        order: Order = SortOrder.desc,
        filter: JobGroupFilter | None = None,
        search: Search = None,
    ) -> JobGroupConnection:
        args = list_args(info, first, 0, sort, order, filter, search, limit_name="first")
        return JobGroupConnection(
            **await connection_parts(
                info,
                JobGroupRow,
                specs.JOB_GROUP_SPEC,
                args,
                after,
                JobGroup.from_row,
                JobGroupEdge,
            )
        )

    @strawberry.field(description="Jobs for infinite scrolling")
    async def jobs_connection(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        sort: JobSort | None = None,
        order: Order = SortOrder.desc,
        filter: JobFilter | None = None,
        search: Search = None,
    ) -> JobConnection:
        args = list_args(info, first, 0, sort, order, filter, search, limit_name="first")
        return JobConnection(
            **await connection_parts(
                info, JobRow, specs.JOB_SPEC, args, after, Job.from_row, JobEdge
            )
        )

    @strawberry.field(description="Pages for infinite scrolling")
    async def pages_connection(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        sort: PageSort | None = None,
        order: Order = SortOrder.desc,
        filter: PageFilter | None = None,
        search: Search = None,
    ) -> PageConnection:
        args = list_args(info, first, 0, sort, order, filter, search, limit_name="first")
        return PageConnection(
            **await connection_parts(
                info, PageRow, specs.PAGE_SPEC, args, after, Page.from_row, PageEdge
            )
        )
