"""Per-request DataLoaders: every relation of the schema, batched into one statement.

Made per request (a loader made once per process would cache forever). Each batch takes
the request's session through ``Context.session()``, one at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from strawberry.dataloader import DataLoader

from ocr_gateway.db import repository as repo
from ocr_gateway.db import specs
from ocr_gateway.db.models import Base, Job, JobGroup, Page, Template
from ocr_gateway.db.query import ListArgs, ResourceSpec, SqlExpr
from ocr_gateway.enums import PageStatus
from ocr_gateway.notifications.graphql import group_deliveries_loader

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

    def fetchers(
        self, parent_id: str, args: ListArgs, convert: Callable[[M], T]
    ) -> dict[str, Callable[[], Awaitable[Any]]]:
        async def fetch_items() -> list[T]:
            return [convert(row) for row in await self.items.load((parent_id, args))]

        async def fetch_total() -> int:
            return await self.totals.load((parent_id, args))

        return {"fetch_items": fetch_items, "fetch_total": fetch_total}

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
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.clear()

    def clear(self) -> None:
        """Forget everything loaded (after a mutation changed rows)."""
        ctx = self._ctx
        self.template = _by_id(ctx, Template)
        self.job_group = _by_id(ctx, JobGroup)
        self.job = _by_id(ctx, Job)
        self.page = _by_id(ctx, Page)
        self.page_ocr = _ocr_detail(ctx)
        self.template_groups = NestedList(ctx, JobGroup, specs.JOB_GROUP_SPEC, JobGroup.template_id)
        self.group_jobs = NestedList(ctx, Job, specs.JOB_SPEC, Job.group_id)
        self.group_pages = NestedList(
            ctx, Page, specs.PAGE_SPEC, Job.group_id, joins=[(Job, Page.job_id == Job.id)]
        )
        self.job_pages = NestedList(ctx, Page, specs.PAGE_SPEC, Page.job_id)
        self.job_page_counts = _page_counts(ctx, Page.job_id)
        self.group_page_counts = _page_counts(ctx, Job.group_id)
        self.group_job_counts = _job_counts(ctx)
        self.group_deliveries = group_deliveries_loader(ctx)
