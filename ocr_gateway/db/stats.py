"""Aggregates read at scrape time for the metrics (``ocr_gateway.metrics``): what the
database holds is the truth whichever process or machine did the work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Page
from ocr_gateway.enums import PageStatus


async def count_by_status(session: AsyncSession, model: Any) -> dict[str, int]:
    """Rows of ``model`` (a table with a ``status`` column) per status."""
    rows = await session.execute(select(model.status, func.count()).group_by(model.status))
    return {status: int(count) for status, count in rows}


@dataclass(frozen=True)
class Distribution:
    """A histogram: how many values are <= each bound (cumulative), their count and sum."""

    bounds: Sequence[float]
    at_most: Sequence[int]
    count: int
    total: float


async def page_seconds(session: AsyncSession, bounds: Sequence[float]) -> Distribution:
    """Processing time (fetch + OCR + extraction, ``timings.total``) of the processed pages."""
    return await _distribution(session, Page.timings["total"].as_float(), bounds)


async def ocr_seconds(session: AsyncSession, bounds: Sequence[float]) -> Distribution:
    """The OCR's share of it: the total less fetching and field extraction."""
    timings = Page.timings
    seconds = (
        timings["total"].as_float()
        - func.coalesce(timings["fetch"].as_float(), 0.0)
        - func.coalesce(timings["extract"].as_float(), 0.0)
    )
    return await _distribution(session, seconds, bounds)


async def _distribution(
    session: AsyncSession, seconds: Any, bounds: Sequence[float]
) -> Distribution:
    columns = [func.count(seconds), func.coalesce(func.sum(seconds), 0.0)]
    columns += [func.coalesce(func.sum(case((seconds <= b, 1), else_=0)), 0) for b in bounds]
    query = select(*columns).where(Page.status == PageStatus.processed.value)
    row = (await session.execute(query)).one()
    count, total, *at_most = row
    return Distribution(tuple(bounds), tuple(int(n) for n in at_most), int(count), float(total))
