"""GraphQL export fields: ``Job.export(format)`` and ``JobGroup.export(format)``.

Custom logic (the writers of ``ocr_gateway.exports``), so these fields are not declared
in ``ocr_gateway.resources``: a query that selects one is answered by the Strawberry
executor for its root field (``schema.compiled``). They need what reading the job or the
group needs (the ``read`` scope). A job whose data cannot make the document gets ``null``
and a ``BAD_USER_INPUT`` error naming every missing field.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from ocr_gateway.exports import ExportFormat, export_document
from ocr_gateway.schema.context import Context
from ocr_gateway.services import export as service

Info = strawberry.Info[Context, None]


@strawberry.enum(description="What one job exports as")
class JobExportFormat(Enum):
    ubl = "ubl"
    cii = "cii"
    json = "json"


@strawberry.enum(description="What a group's jobs export as (one row per job)")
class JobGroupExportFormat(Enum):
    csv = "csv"
    json = "json"


async def job_export(root: Any, info: Info, format: JobExportFormat) -> str | None:
    loaders = info.context.loaders
    job = await loaders.job.load(str(root.id))
    if job is None:
        return None
    group = await loaders.job_group.load(job.group_id) if job.group_id else None
    document = export_document(service.export_job_of(job, group), ExportFormat(format.value))
    return document.decode()


async def job_group_export(root: Any, info: Info, format: JobGroupExportFormat) -> str | None:
    async with info.context.session() as session:
        return await service.group_table(
            session, group_id=str(root.id), format=ExportFormat(format.value)
        )


JOB_EXPORT = strawberry.field(
    resolver=job_export,
    description="The job as a UBL 2.1 or CII (Factur-X) e-invoice, or a JSON object; null "
    "with an error naming the missing fields when its data cannot make the document",
)
JOB_GROUP_EXPORT = strawberry.field(
    resolver=job_group_export,
    description="The group's jobs as CSV or JSON, one row per job (oldest first): every "
    "invoice field's normalised value, confidence and needsReview",
)
