"""Jobs: one invoice document, its pages, and the invoice data read off them.

A job's template defaults to its group's template (else the built-in generic invoice
template) and its priority to its group's. A job with pages is deleted only with
``cascade`` (its pages go with it); the service refuses otherwise so nothing is lost silently.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import writes
from ocr_gateway.db.models import Job, JobGroup, Page, Template
from ocr_gateway.errors import Conflict
from ocr_gateway.processing import duplicates, lifecycle
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.services.common import apply, flush, get_or_404
from ocr_gateway.services.job_group import DeleteOutcome
from ocr_gateway.services.validation import Checks

COLUMNS = {
    "group": "group_id",
    "template": "template_id",
    "name": "name",
    "sourceFileName": "source_file_name",
    "priority": "priority",
    "metadata": "metadata_",
}


NOT_NULL = ("name", "template", "priority", "metadata")


async def _check(
    session: AsyncSession, data: dict[str, Any], *, creating: bool
) -> tuple[JobGroup | None, Template | None]:
    checks = Checks()
    checks.not_null(data, NOT_NULL)
    data = {k: v for k, v in data.items() if v is not None or k not in NOT_NULL}
    if creating or "name" in data:
        checks.text("name", data.get("name"), max_length=255, required=True)
    checks.text("sourceFileName", data.get("sourceFileName"), max_length=1024)
    if "metadata" in data:
        checks.json_object("metadata", data["metadata"])
    group = template = None
    if data.get("group") is not None and checks.id("group", data["group"]):
        group = await session.get(JobGroup, data["group"])
        if group is None:
            checks.fail("group", f"no job group with id {data['group']!r}")
    if data.get("template") is not None and checks.id("template", data["template"]):
        template = await session.get(Template, data["template"])
        if template is None:
            checks.fail("template", f"no template with id {data['template']!r}")
        elif not template.active:
            checks.fail("template", "template is inactive")
    checks.raise_if_any()
    return group, template


async def create_job(session: AsyncSession, data: dict[str, Any]) -> Job:
    group, template = await _check(session, data, creating=True)
    job = Job(status="pending", invoice_data={}, metadata_={})
    apply(job, {k: v for k, v in data.items() if v is not None}, COLUMNS)
    if template is None:
        job.template_id = group.template_id if group else GENERIC_INVOICE_TEMPLATE["id"]
    if data.get("priority") is None:
        job.priority = group.priority if group else "medium"
    session.add(job)
    await flush(session, "job could not be created")
    return job


async def update_job(session: AsyncSession, id: str, data: dict[str, Any]) -> Job:
    job = await get_or_404(session, Job, "Job", id)
    await _check(session, data, creating=False)
    old_group = job.group_id
    apply(job, data, COLUMNS)
    await flush(session, "job could not be updated")
    if "group" in data and data["group"] != old_group:
        await lifecycle.settle(session, group_ids=[g for g in (old_group, job.group_id) if g])
    return job


async def delete_job(session: AsyncSession, id: str, *, cascade: bool) -> DeleteOutcome:
    job = await get_or_404(session, Job, "Job", id)
    pages = await writes.count_where(session, Page, Page.job_id == id)
    if pages and not cascade:
        raise Conflict(
            f"job has {pages} page(s); delete them first or pass cascade: true (REST: ?cascade=true) to delete "
            "the job with its pages",
            pages=pages,
        )
    followers = await duplicates.pointing_at(session, [id])
    deleted_pages = await writes.delete_pages_of_job(session, id)
    group_id = job.group_id
    await session.delete(job)
    await session.flush()
    # Its followers' flags were cleared (ON DELETE SET NULL): each may match another job.
    await duplicates.recheck(session, followers)
    if group_id:  # a group left done by the delete: as if the job's last page was processed
        await lifecycle.settle(session, group_ids=[group_id])
    return DeleteOutcome(id, deleted_pages=deleted_pages)
