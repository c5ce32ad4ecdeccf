"""Helpers the resource services share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Base
from ocr_gateway.errors import Conflict, NotFound
from ocr_gateway.ids import is_valid_id

M = TypeVar("M", bound=Base)


async def get_or_404(session: AsyncSession, model: type[M], resource: str, id: str) -> M:
    row = await session.get(model, id) if is_valid_id(id) else None
    if row is None:
        raise NotFound(resource, id)
    return row


def apply(row: Base, data: Mapping[str, Any], columns: Mapping[str, str]) -> None:
    """Copy public-named values onto the row's attributes."""
    for public, value in data.items():
        setattr(row, columns[public], value)


async def flush(session: AsyncSession, conflict_message: str) -> None:
    """Flush, turning a constraint race lost to another request into a CONFLICT."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(conflict_message) from exc
