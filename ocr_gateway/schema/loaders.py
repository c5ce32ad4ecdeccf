"""Per-request DataLoaders: every relation of the schema, batched into one statement.

Made per request (a loader made once per process would cache forever). Each batch takes
the request's session through ``Context.session()``, one at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from strawberry.dataloader import DataLoader

from ocr_gateway.db import corrections as stored_corrections
from ocr_gateway.db import repository as repo
from ocr_gateway.db.models import Base, FieldCorrection, Job, JobGroup, Page, Template
from ocr_gateway.db.query import ListArgs, ResourceSpec, SqlExpr
from ocr_gateway.enums import PageStatus
from ocr_gateway.notifications.graphql import DeliveryKey, group_deliveries_loader
from ocr_gateway.notifications.models import WebhookDelivery
from ocr_gateway.resources import BY_TABLE
from ocr_gateway.sql import aggregates, specs

if TYPE_CHECKING:
    from ocr_gateway.schema.context import Context

M = TypeVar("M", bound=Base)
T = TypeVar("T")
Key = tuple[str, ListArgs]


def _by_id(ctx: Context, model: type[M]) -> DataLoader[str, M | None]:
    async def load(ids: Sequence[str]) -> list[M | None]:
        async with ctx.session() as session:
            found = await repo.get_by_ids(session, model, ids)
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def _ocr_detail(ctx: Context) -> DataLoader[str, repo.OcrDetail]:
    async def load(ids: Sequence[str]) -> list[repo.OcrDetail]:
        async with ctx.session() as session:
            found = await repo.page_ocr_detail(session, ids)
        return [found.get(i, repo.NO_OCR_DETAIL) for i in ids]

    return DataLoader(load_fn=load)


def _corrections(ctx: Context) -> DataLoader[str, list[FieldCorrection]]:
    async def load(ids: Sequence[str]) -> list[list[FieldCorrection]]:
        async with ctx.session() as session:
            found = await stored_corrections.of_jobs(session, ids)
        return [found.get(i, []) for i in ids]

    return DataLoader(load_fn=load)


class NestedList(Generic[M]):
    """A child list of many parents (``limit/offset`` per parent) and its totals."""

    def __init__(
        self,
        ctx: Context,
        model: type[M],
        spec: ResourceSpec,
        parent: SqlExpr,
        joins: Sequence[repo.Join] = (),
    ) -> None:
        self.ctx, self.model, self.spec, self.parent, self.joins = ctx, model, spec, parent, joins
        self.items: DataLoader[Key, list[M]] = DataLoader(load_fn=self._load_items)
        self.totals: DataLoader[Key, int] = DataLoader(load_fn=self._load_totals)
        self.aggregates: DataLoader[Key, dict[str, Any]] = DataLoader(load_fn=self._load_aggregates)

    def fetchers(
        self, parent_id: str, args: ListArgs, convert: Callable[[M], T]
    ) -> dict[str, Callable[[], Awaitable[Any]]]:
        async def fetch_items() -> list[T]:
            return [convert(row) for row in await self.items.load((parent_id, args))]

        async def fetch_total() -> int:
            return await self.totals.load((parent_id, args))

        async def fetch_aggregate() -> dict[str, Any]:
            return await self.aggregates.load((parent_id, args))

        return {
            "fetch_items": fetch_items,
            "fetch_total": fetch_total,
            "fetch_aggregate": fetch_aggregate,
        }

    async def _load_items(self, keys: Sequence[Key]) -> list[list[M]]:
        results: dict[Key, list[M]] = {}
        for args, parent_ids in _by_args(keys).items():
            async with self.ctx.session() as session:
                grouped = await repo.list_children(
                    session, self.model, self.spec, args, self.parent, parent_ids, self.joins
                )
            results.update({(pid, args): grouped.get(pid, []) for pid in parent_ids})
        return [results[key] for key in keys]

    async def _load_totals(self, keys: Sequence[Key]) -> list[int]:
        results: dict[Key, int] = {}
        for args, parent_ids in _by_args(keys).items():
            async with self.ctx.session() as session:
                counts = await repo.count_children(
                    session, self.model, self.spec, args, self.parent, parent_ids, self.joins
                )
            results.update({(pid, args): counts.get(pid, 0) for pid in parent_ids})
        return [results[key] for key in keys]

    async def _load_aggregates(self, keys: Sequence[Key]) -> list[dict[str, Any]]:
        resource = BY_TABLE[self.model.__tablename__]
        results: dict[Key, dict[str, Any]] = {}
        for args, parent_ids in _by_args(keys).items():
            async with self.ctx.session() as session:
                found = await aggregates.aggregate_children(
                    session, resource, self.spec, args, self.parent, parent_ids, self.joins
                )
            none = aggregates.empty(resource)
            results.update({(pid, args): found.get(pid, none) for pid in parent_ids})
        return [results[key] for key in keys]


def _by_args(keys: Sequence[Key]) -> dict[ListArgs, list[str]]:
    grouped: dict[ListArgs, list[str]] = defaultdict(list)
    for parent_id, args in keys:
        grouped[args].append(parent_id)
    return grouped


def _page_counts(ctx: Context, parent: SqlExpr) -> DataLoader[str, dict[PageStatus, int]]:
    async def load(ids: Sequence[str]) -> list[dict[PageStatus, int]]:
        async with ctx.session() as session:
            counts = await repo.page_status_counts(session, parent, ids)
        return [counts.get(i, {}) for i in ids]

    return DataLoader(load_fn=load)


def _job_counts(ctx: Context) -> DataLoader[str, dict[str, int]]:
    async def load(ids: Sequence[str]) -> list[dict[str, int]]:
        async with ctx.session() as session:
            counts = await repo.job_status_counts(session, ids)
        return [counts.get(i, {}) for i in ids]

    return DataLoader(load_fn=load)


class Loaders:
    """The request's loaders, each made on first use (most requests need few or none)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def clear(self) -> None:
        """Forget everything loaded (after a mutation changed rows)."""
        for name in [name for name in vars(self) if not name.startswith("_")]:
            del self.__dict__[name]

    @cached_property
    def template(self) -> DataLoader[str, Template | None]:
        return _by_id(self._ctx, Template)

    @cached_property
    def job_group(self) -> DataLoader[str, JobGroup | None]:
        return _by_id(self._ctx, JobGroup)

    @cached_property
    def job(self) -> DataLoader[str, Job | None]:
        return _by_id(self._ctx, Job)

    @cached_property
    def page(self) -> DataLoader[str, Page | None]:
        return _by_id(self._ctx, Page)

    @cached_property
    def page_ocr(self) -> DataLoader[str, repo.OcrDetail]:
        return _ocr_detail(self._ctx)

    @cached_property
    def job_corrections(self) -> DataLoader[str, list[FieldCorrection]]:
        return _corrections(self._ctx)

    @cached_property
    def template_groups(self) -> NestedList[JobGroup]:
        return NestedList(self._ctx, JobGroup, specs.JOB_GROUP_SPEC, JobGroup.template_id)

    @cached_property
    def group_jobs(self) -> NestedList[Job]:
        return NestedList(self._ctx, Job, specs.JOB_SPEC, Job.group_id)

    @cached_property
    def group_pages(self) -> NestedList[Page]:
        joins = [(Job, Page.job_id == Job.id)]
        return NestedList(self._ctx, Page, specs.PAGE_SPEC, Job.group_id, joins=joins)

    @cached_property
    def job_pages(self) -> NestedList[Page]:
        return NestedList(self._ctx, Page, specs.PAGE_SPEC, Page.job_id)

    @cached_property
    def job_page_counts(self) -> DataLoader[str, dict[PageStatus, int]]:
        return _page_counts(self._ctx, Page.job_id)

    @cached_property
    def group_page_counts(self) -> DataLoader[str, dict[PageStatus, int]]:
        return _page_counts(self._ctx, Job.group_id)

    @cached_property
    def group_job_counts(self) -> DataLoader[str, dict[str, int]]:
        return _job_counts(self._ctx)

    @cached_property
    def group_deliveries(self) -> DataLoader[DeliveryKey, list[WebhookDelivery]]:
        return group_deliveries_loader(self._ctx)
