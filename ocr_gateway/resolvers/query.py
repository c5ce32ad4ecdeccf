"""Root queries: one and many of each resource, plus cursor connections.

The list and connection fields are made by ``schema.arguments`` from the resource
declarations; each resolver here only says where its rows come from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from ocr_gateway import resources
from ocr_gateway.db.models import Base
from ocr_gateway.db.models import Job as JobRow
from ocr_gateway.db.models import JobGroup as JobGroupRow
from ocr_gateway.db.models import Page as PageRow
from ocr_gateway.db.models import Template as TemplateRow
from ocr_gateway.db.query import ListArgs, ResourceSpec
from ocr_gateway.resolvers.roots import connection_parts, list_fetchers, one
from ocr_gateway.schema import types
from ocr_gateway.schema.arguments import Info, Window, connection_field, list_field
from ocr_gateway.schema.types import Job, JobGroup, Page, Template
from ocr_gateway.sql import specs


def _rows(
    model: type[Base], spec: ResourceSpec, convert: Callable[[Any], Any], shape: str
) -> Callable[[Any, Info, ListArgs], Any]:
    def fetch(_root: Any, info: Info, args: ListArgs) -> Any:
        return getattr(types, shape)(**list_fetchers(info, model, spec, args, convert))

    return fetch


def _slice(
    model: type[Base], spec: ResourceSpec, convert: Callable[[Any], Any], shape: str
) -> Callable[..., Any]:
    async def fetch(_root: Any, info: Info, args: ListArgs, window: Window) -> Any:
        edge = getattr(types, f"{shape}Edge")
        parts = await connection_parts(info, model, spec, args, window, convert, edge)
        return getattr(types, f"{shape}Connection")(**parts)

    return fetch


TEMPLATE = (TemplateRow, specs.TEMPLATE_SPEC, Template.from_row, "Template")
JOB_GROUP = (JobGroupRow, specs.JOB_GROUP_SPEC, JobGroup.from_row, "JobGroup")
JOB = (JobRow, specs.JOB_SPEC, Job.from_row, "Job")
PAGE = (PageRow, specs.PAGE_SPEC, Page.from_row, "Page")
MODULE = types.__name__


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

    templates = list_field(
        resources.TEMPLATE,
        "TemplateList",
        _rows(*TEMPLATE[:3], "TemplateList"),
        module=MODULE,
        description="Templates, filtered, sorted and paged",
    )
    job_groups = list_field(
        resources.JOB_GROUP,
        "JobGroupList",
        _rows(*JOB_GROUP[:3], "JobGroupList"),
        module=MODULE,
        description="Job groups, filtered, sorted and paged",
    )
    jobs = list_field(
        resources.JOB,
        "JobList",
        _rows(*JOB[:3], "JobList"),
        module=MODULE,
        description="Jobs, filtered, sorted and paged",
    )
    pages = list_field(
        resources.PAGE,
        "PageList",
        _rows(*PAGE[:3], "PageList"),
        module=MODULE,
        description="Pages, filtered, sorted and paged",
    )
    templates_connection = connection_field(
        resources.TEMPLATE,
        "TemplateConnection",
        _slice(*TEMPLATE),
        module=MODULE,
        description="Templates for infinite scrolling",
    )
    job_groups_connection = connection_field(
        resources.JOB_GROUP,
        "JobGroupConnection",
        _slice(*JOB_GROUP),
        module=MODULE,
        description="Job groups for infinite scrolling",
    )
    jobs_connection = connection_field(
        resources.JOB,
        "JobConnection",
        _slice(*JOB),
        module=MODULE,
        description="Jobs for infinite scrolling",
    )
    pages_connection = connection_field(
        resources.PAGE,
        "PageConnection",
        _slice(*PAGE),
        module=MODULE,
        description="Pages for infinite scrolling",
    )
