"""Reads shared by every resource: by id, lists, counts, and batched nested lists.

Nested lists (a group's jobs, a job's pages …) load for many parents in one statement:
rows are numbered per parent with ROW_NUMBER() and cut to each parent's limit/offset, so a
nested GraphQL query costs the same number of statements whatever the number of parents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import OCR_DETAIL, Base, Job, Page
from ocr_gateway.db.query import (
    ListArgs,
    ResourceSpec,
    SqlExpr,
    after_cursor,
    order_by,
    where_clause,
    windowed,
)
from ocr_gateway.enums import PageStatus, SortOrder

M = TypeVar("M", bound=Base)
Join = tuple[Any, ColumnElement[bool]]


def dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


async def get_by_ids(session: AsyncSession, model: type[M], ids: Sequence[str]) -> dict[str, M]:
    if not ids:
        return {}
    rows = await session.scalars(select(model).where(model.id.in_(set(ids))))  # type: ignore[attr-defined]
    return {row.id: row for row in rows}  # type: ignore[attr-defined]


def _base(model: type[M], spec: ResourceSpec, args: ListArgs, session: AsyncSession) -> Select[Any]:
    return select(model).where(where_clause(spec, args, dialect(session)))


async def list_rows(
    session: AsyncSession, model: type[M], spec: ResourceSpec, args: ListArgs
) -> list[M]:
    stmt = _base(model, spec, args, session).order_by(*order_by(spec, args))
    return list(await session.scalars(stmt.limit(args.limit).offset(args.offset)))


async def count_rows(
    session: AsyncSession, model: type[M], spec: ResourceSpec, args: ListArgs
) -> int:
    stmt = select(func.count()).select_from(model).where(where_clause(spec, args, dialect(session)))
    return int(await session.scalar(stmt) or 0)


async def list_after(
    session: AsyncSession, model: type[M], spec: ResourceSpec, args: ListArgs, after: str | None
) -> list[M]:
    """Up to ``args.limit + 1`` rows after the cursor; the extra row tells there is more."""
    stmt = _base(model, spec, args, session)
    if after:
        stmt = stmt.where(after_cursor(spec, args, after))
    stmt = stmt.order_by(*order_by(spec, args)).limit(args.limit + 1)
    return list(await session.scalars(stmt))


async def list_before(
    session: AsyncSession, model: type[M], spec: ResourceSpec, args: ListArgs, before: str | None
) -> list[M]:
    """Up to ``args.limit + 1`` rows just before the cursor (the extra one tells there is
    more), in the list's order."""
    stmt = _base(model, spec, args, session)
    if before:
        stmt = stmt.where(after_cursor(spec, args, before, before=True))
    backwards = replace(
        args, order=SortOrder.desc if args.order == SortOrder.asc else SortOrder.asc
    )
    stmt = stmt.order_by(*order_by(spec, backwards)).limit(args.limit + 1)
    rows = list(await session.scalars(stmt))
    rows.reverse()
    return rows


async def list_children(
    session: AsyncSession,
    model: type[M],
    spec: ResourceSpec,
    args: ListArgs,
    parent: SqlExpr,
    parent_ids: Sequence[str],
    joins: Sequence[Join] = (),
) -> dict[str, list[M]]:
    where = where_clause(spec, args, dialect(session))
    ranked = windowed(spec, args, parent, parent_ids, where, joins)
    stmt = (
        select(model, ranked.c.parent)
        .join(ranked, spec.id_column == ranked.c.id)
        .where(ranked.c.rn > args.offset, ranked.c.rn <= args.offset + args.limit)
        .order_by(ranked.c.parent, ranked.c.rn)
    )
    grouped: dict[str, list[M]] = defaultdict(list)
    for row, parent_id in await session.execute(stmt):
        grouped[parent_id].append(row)
    return grouped


async def count_children(
    session: AsyncSession,
    model: type[M],
    spec: ResourceSpec,
    args: ListArgs,
    parent: SqlExpr,
    parent_ids: Sequence[str],
    joins: Sequence[Join] = (),
) -> dict[str, int]:
    stmt = select(parent, func.count()).select_from(model)
    for target, on in joins:
        stmt = stmt.join(target, on)
    stmt = stmt.where(parent.in_(parent_ids), where_clause(spec, args, dialect(session)))
    rows = await session.execute(stmt.group_by(parent))
    return {parent_id: int(n) for parent_id, n in rows}


async def page_status_counts(
    session: AsyncSession, parent: SqlExpr, parent_ids: Sequence[str]
) -> dict[str, dict[PageStatus, int]]:
    """Pages by status for each job (``Page.job_id``) or group (``Job.group_id``)."""
    stmt = select(parent, Page.status, func.count()).select_from(Page)
    if parent is not Page.job_id:
        stmt = stmt.join(Job, Page.job_id == Job.id)
    stmt = stmt.where(parent.in_(parent_ids)).group_by(parent, Page.status)
    counts: dict[str, dict[PageStatus, int]] = defaultdict(dict)
    for parent_id, status, n in await session.execute(stmt):
        counts[parent_id][PageStatus(status)] = int(n)
    return counts


async def job_status_counts(
    session: AsyncSession, group_ids: Sequence[str]
) -> dict[str, dict[str, int]]:
    stmt = (
        select(Job.group_id, Job.status, func.count())
        .where(Job.group_id.in_(group_ids))
        .group_by(Job.group_id, Job.status)
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for group_id, status, n in await session.execute(stmt):
        counts[str(group_id)][status] = int(n)
    return counts


class OcrDetail(NamedTuple):
    ocr_lines: list[Any] | None
    ocr_words: list[Any] | None
    extracted_fields: dict[str, Any] | None


NO_OCR_DETAIL = OcrDetail(None, None, None)


async def page_ocr_detail(session: AsyncSession, ids: Sequence[str]) -> dict[str, OcrDetail]:
    """The bulky OCR output of pages (lines, words, fields), which lists never load."""
    stmt = select(Page.id, *OCR_DETAIL).where(Page.id.in_(set(ids)))
    return {id_: OcrDetail(*detail) for id_, *detail in await session.execute(stmt)}
