"""Job groups: batches of jobs sharing a template, priority and notifications.

Deleting a group keeps its jobs (they are detached and stay reachable through ``jobs``)
unless ``cascade`` asks for the jobs and their pages to go too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import writes
from ocr_gateway.db.models import JobGroup, Template
from ocr_gateway.notifications.webhook import check_notifications, merge_notifications
from ocr_gateway.processing import duplicates
from ocr_gateway.services.common import apply, flush, get_or_404
from ocr_gateway.services.validation import Checks

COLUMNS = {
    "name": "name",
    "description": "description",
    "batchNumber": "batch_number",
    "template": "template_id",
    "priority": "priority",
    "processingSettings": "processing_settings",
    "notifications": "notifications",
    "createdBy": "created_by",
    "assignedTo": "assigned_to",
    "tags": "tags",
    "metadata": "metadata_",
}


@dataclass(frozen=True)
class DeleteOutcome:
    id: str
    detached_jobs: int = 0
    deleted_jobs: int = 0
    deleted_pages: int = 0


NOT_NULL = (
    "name",
    "template",
    "priority",
    "processingSettings",
    "notifications",
    "tags",
    "metadata",
)


async def _check(session: AsyncSession, data: dict[str, Any], *, creating: bool) -> None:
    checks = Checks()
    checks.not_null(data, NOT_NULL)
    data = {k: v for k, v in data.items() if v is not None or k not in NOT_NULL}
    if creating or "name" in data:
        checks.text("name", data.get("name"), max_length=255, required=True)
    for field, limit in (("description", 10_000), ("batchNumber", 255)):
        checks.text(field, data.get(field), max_length=limit)
    for field in ("createdBy", "assignedTo"):
        checks.text(field, data.get(field), max_length=255)
    for field in ("processingSettings", "notifications", "metadata"):
        if field in data:
            checks.json_object(field, data[field])
    if isinstance(data.get("notifications"), dict):
        for problem in check_notifications(data["notifications"]):
            checks.fail(problem.field, problem.message)
    if "tags" in data:
        checks.strings("tags", data["tags"], max_items=100, max_length=100)
    template_given = creating or "template" in data
    if template_given and checks.id("template", data.get("template")):
        template = await session.get(Template, data["template"])
        if template is None:
            checks.fail("template", f"no template with id {data['template']!r}")
        elif not template.active:
            checks.fail("template", "template is inactive")
    checks.raise_if_any()


async def create_job_group(session: AsyncSession, data: dict[str, Any]) -> JobGroup:
    data = _with_stored_secret({}, data)
    await _check(session, data, creating=True)
    group = JobGroup(
        priority="medium",
        status="pending",
        processing_settings={},
        notifications={},
        tags=[],
        metadata_={},
    )
    apply(group, {k: v for k, v in data.items() if v is not None}, COLUMNS)
    session.add(group)
    await flush(session, "job group could not be created")
    return group


async def update_job_group(session: AsyncSession, id: str, data: dict[str, Any]) -> JobGroup:
    group = await get_or_404(session, JobGroup, "JobGroup", id)
    data = _with_stored_secret(group.notifications, data)
    await _check(session, data, creating=False)
    apply(group, data, COLUMNS)
    await flush(session, "job group could not be updated")
    return group


def _with_stored_secret(current: Any, data: dict[str, Any]) -> dict[str, Any]:
    """A webhook sent back without its secret (the API never shows it) keeps the stored one."""
    if not isinstance(data.get("notifications"), dict):
        return data
    return {**data, "notifications": merge_notifications(current, data["notifications"])}


async def delete_job_group(session: AsyncSession, id: str, *, cascade: bool) -> DeleteOutcome:
    group = await get_or_404(session, JobGroup, "JobGroup", id)
    followers: list[str] = []
    if cascade:
        followers = await duplicates.group_followers(session, id)
        jobs, pages = await writes.delete_jobs_of_group(session, id)
        outcome = DeleteOutcome(id, deleted_jobs=jobs, deleted_pages=pages)
    else:
        outcome = DeleteOutcome(id, detached_jobs=await writes.detach_jobs(session, id))
    await session.delete(group)
    await session.flush()
    await duplicates.recheck(session, followers)  # flagged as duplicates of a deleted job
    return outcome
