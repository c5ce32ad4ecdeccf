"""Columns every resource has, and the priority ranking shared by groups and jobs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func

from ocr_gateway.db.query import priority_rank
from ocr_gateway.enums import PRIORITY_RANK, Priority
from ocr_gateway.resources.base import Column, Sort

ID = Column("id", "id", filter="id")
CREATED_AT = Column("created_at", "datetime", filter="created_at", sort=Sort("datetime"))
UPDATED_AT = Column("updated_at", "datetime", filter="updated_at", sort=Sort("datetime"))


def _row_rank(row: Any) -> int:
    return PRIORITY_RANK[Priority(row.priority)]


PRIORITY = Column(
    "priority",
    "rank",  # shown as its word, compared by rank (low < medium < high < urgent)
    values=Priority,
    filter="priority",
    sort=Sort("int", lambda table: priority_rank(table.c.priority), _row_rank),
)


def blank_when_null(table: Any, name: str) -> ColumnElement[Any]:
    return func.coalesce(table.c[name], "")
