"""JobGroup: a batch of invoice jobs processed together (seed 002, ``db.models.JobGroup``).

Its ``status`` and ``progress`` are derived from the pages below it; ``notifications`` is
shown with the webhook secret replaced by ``secretSet``.
"""

from __future__ import annotations

from sqlalchemy import FromClause

from ocr_gateway.db.models import Job, JobGroup
from ocr_gateway.enums import WorkStatus
from ocr_gateway.resources.base import Column, Computed, LinkParts, Resource, Sort, ToMany, ToOne
from ocr_gateway.resources.common import CREATED_AT, ID, PRIORITY, UPDATED_AT, blank_when_null


def _text(name: str, **options: object) -> Column:
    return Column(name, "string", filter=name, search=True, **options)  # type: ignore[arg-type]


JOB_GROUP = Resource(
    name="job_group",
    type_name="JobGroup",
    label="job groups",
    table=JobGroup.__table__,  # type: ignore[arg-type]
    columns={
        "id": ID,
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
        "name": _text("name", sort=Sort("string")),
        "description": _text("description"),
        "batchNumber": _text(
            "batch_number",
            sort=Sort(
                "string",
                lambda table: blank_when_null(table, "batch_number"),
                lambda row: row.batch_number or "",
            ),
        ),
        "priority": PRIORITY,
        "status": Column("status", "enum", filter="status", sort=Sort("string"), values=WorkStatus),
        "processingSettings": Column("processing_settings", "json"),
        "createdBy": _text("created_by"),
        "assignedTo": _text("assigned_to"),
        "tags": Column("tags", "tags", filter="tags"),
        "metadata": Column("metadata", "json"),
    },
    relations={
        "template": ToOne("template", "template_id", filter="template"),
        "jobs": ToMany("job", lambda jobs, group: ([], jobs.c.group_id == group.c.id)),
        "pages": ToMany("page", lambda pages, group: _pages_of_group(pages, group)),
    },
    computed={
        "notifications": Computed("public_notifications"),
        "progress": Computed("group_progress"),
    },
    metadata_column="metadata",
)


def _pages_of_group(pages: FromClause, group: FromClause) -> LinkParts:
    jobs = Job.__table__.alias()
    return [(jobs, pages.c.job_id == jobs.c.id)], jobs.c.group_id == group.c.id
