"""Reads and writes of the duplicate-invoice flags (``Job.possible_duplicate_of``) and the
match keys that find them (``processing.duplicates`` holds the rules).

Every lookup is by an indexed column: ``duplicate_key_number``, ``duplicate_key_amount``
(each ``ix_jobs_...``), or ``possible_duplicate_of`` (the foreign key's index).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Job

LOCK_NAMESPACE = 0x44_55_50  # pg_advisory_xact_lock(namespace, hashtext(key)): "DUP"
MAX_FOLLOWERS = 500  # later jobs re-judged per change (a key shared by more is not a hint)
MAX_CANDIDATES = 200  # earlier jobs sharing a key that are judged, earliest first


@dataclass(frozen=True, slots=True)
class KeyedJob:
    id: str
    created_at: datetime
    duplicate_key_number: str | None
    duplicate_key_amount: str | None
    currency: str | None
    possible_duplicate_of: str | None
    status: str
    group_id: str | None


KEYED = (
    Job.id,
    Job.created_at,
    Job.duplicate_key_number,
    Job.duplicate_key_amount,
    Job.duplicate_currency,
    Job.possible_duplicate_of,
    Job.status,
    Job.group_id,
)


async def lock_keys(session: AsyncSession, keys: Sequence[str]) -> None:
    """Serialise the transactions that read or write these keys (PostgreSQL; SQLite has
    one writer at a time): held until this transaction ends, taken in one order."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        await session.execute(
            select(func.pg_advisory_xact_lock(LOCK_NAMESPACE, func.hashtext(key)))
        )


def _earlier(job_id: str, created_at: datetime) -> ColumnElement[bool]:
    return or_(Job.created_at < created_at, and_(Job.created_at == created_at, Job.id < job_id))


async def earlier_candidates(
    session: AsyncSession,
    job_id: str,
    created_at: datetime,
    *,
    number: str | None,
    amount: str | None,
) -> list[KeyedJob]:
    """Jobs before (created_at, id) holding this number key or this amount key, earliest
    first (``processing.duplicates.matches`` decides among them)."""
    shared: list[ColumnElement[bool]] = []
    if number is not None:
        shared.append(Job.duplicate_key_number == number)
    if amount is not None:
        shared.append(Job.duplicate_key_amount == amount)
    stmt = (
        select(*KEYED)
        .where(or_(false(), *shared), _earlier(job_id, created_at))
        .order_by(Job.created_at, Job.id)
        .limit(MAX_CANDIDATES)
    )
    return [KeyedJob(*row) for row in await session.execute(stmt)]


async def later_jobs(
    session: AsyncSession,
    job_id: str,
    created_at: datetime,
    *,
    keys: Sequence[str],
    pointing_at: str,
) -> list[KeyedJob]:
    """Jobs after (created_at, id) that hold one of ``keys`` or are flagged as duplicates of
    ``pointing_at``: those whose flag a change of that job's keys may change."""
    concerned = [Job.possible_duplicate_of == pointing_at]
    if keys:
        concerned += [Job.duplicate_key_number.in_(keys), Job.duplicate_key_amount.in_(keys)]
    stmt = (
        select(*KEYED)
        .where(or_(*concerned), ~_earlier(job_id, created_at), Job.id != job_id)
        .order_by(Job.created_at, Job.id)
        .limit(MAX_FOLLOWERS)
    )
    return [KeyedJob(*row) for row in await session.execute(stmt)]


async def candidates(session: AsyncSession, job_ids: Sequence[str]) -> list[KeyedJob]:
    if not job_ids:
        return []
    stmt = select(*KEYED).where(Job.id.in_(set(job_ids))).order_by(Job.created_at, Job.id)
    return [KeyedJob(*row) for row in await session.execute(stmt)]


async def pointing_at(session: AsyncSession, job_ids: Sequence[str]) -> list[str]:
    """Jobs (not among ``job_ids``) flagged as duplicates of one of ``job_ids``."""
    if not job_ids:
        return []
    stmt = select(Job.id).where(
        Job.possible_duplicate_of.in_(set(job_ids)), Job.id.not_in(set(job_ids))
    )
    return list(await session.scalars(stmt))


async def pointing_at_group(session: AsyncSession, group_id: str) -> list[str]:
    """Jobs outside the group flagged as duplicates of one of its jobs."""
    members = select(Job.id).where(Job.group_id == group_id).scalar_subquery()
    stmt = select(Job.id).where(
        Job.possible_duplicate_of.in_(members),
        or_(Job.group_id.is_(None), Job.group_id != group_id),
    )
    return list(await session.scalars(stmt))


async def set_duplicate_of(session: AsyncSession, job_id: str, duplicate_of: str | None) -> None:
    await session.execute(
        update(Job).where(Job.id == job_id).values(possible_duplicate_of=duplicate_of)
    )


async def unkeyed_jobs(
    session: AsyncSession, after: tuple[datetime, str] | None, limit: int
) -> list[Job]:
    """Jobs with invoice data but no match keys (assembled before revision 0006), oldest
    first, from after ``after`` (created_at, id)."""
    stmt = select(Job).where(
        Job.duplicate_key_number.is_(None),
        Job.duplicate_key_amount.is_(None),
        Job.completed_at.is_not(None),
    )
    if after is not None:
        stmt = stmt.where(
            or_(Job.created_at > after[0], and_(Job.created_at == after[0], Job.id > after[1]))
        )
    stmt = stmt.order_by(Job.created_at, Job.id).limit(limit)
    return list((await session.scalars(stmt)).all())
