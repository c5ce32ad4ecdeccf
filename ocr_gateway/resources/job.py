"""Job: one invoice document, its pages and the data read off them (``db.models.Job``).

Its ``status`` and ``progress`` are derived from its pages; ``pages`` lists in page order.
``lowestConfidence`` (stored with ``invoiceData``) sorts a job without invoice data as if
above every confidence, on both back ends (SQLite and PostgreSQL put nulls at opposite ends).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, literal_column

from ocr_gateway.db.models import Job
from ocr_gateway.enums import WorkStatus
from ocr_gateway.resources.base import Column, Computed, Resource, Sort, ToMany, ToOne
from ocr_gateway.resources.common import CREATED_AT, ID, PRIORITY, UPDATED_AT

UNREAD = 2.0  # the sort value of a job without invoice data: after 1.0 ascending


def _lowest(table: Any) -> ColumnElement[Any]:
    # A literal, not a bound parameter: the expression is then the one migration 0009
    # indexes (``Job.lowest_confidence_sort``), which SQLite and PostgreSQL walk in order.
    return func.coalesce(table.c.lowest_confidence, literal_column(repr(UNREAD)))


def _row_lowest(row: Any) -> float:
    return UNREAD if row.lowest_confidence is None else float(row.lowest_confidence)


JOB = Resource(
    name="job",
    type_name="Job",
    label="jobs",
    table=Job.__table__,  # type: ignore[arg-type]
    columns={
        "id": ID,
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
        "name": Column("name", "string", filter="name", sort=Sort("string"), search=True),
        "sourceFileName": Column(
            "source_file_name", "string", filter="source_file_name", search=True
        ),
        "status": Column("status", "enum", filter="status", sort=Sort("string"), values=WorkStatus),
        "priority": PRIORITY,
        "invoiceData": Column("invoice_data", "json"),
        "discrepancies": Column("discrepancies", "json"),
        "needsReview": Column("needs_review", "bool", filter="needs_review"),
        "lowestConfidence": Column(
            "lowest_confidence",
            "float",
            filter="lowest_confidence",
            sort=Sort("float", _lowest, _row_lowest),
        ),
        "possibleDuplicateOf": Column("possible_duplicate_of", "id"),
        "error": Column("error", "json"),
        "metadata": Column("metadata", "json"),
        "completedAt": Column("completed_at", "datetime", filter="completed_at"),
    },
    relations={
        "group": ToOne("job_group", "group_id", nullable=True, filter="group"),
        "template": ToOne("template", "template_id", filter="template"),
        # ``possibleDuplicateOf: {exists: true}`` lists the flagged jobs (``possibleDuplicateOfWhere``:
        # conditions on the earlier job).
        "duplicateOf": ToOne(
            "job", "possible_duplicate_of", nullable=True, filter="possible_duplicate_of"
        ),
        "pages": ToMany(
            "page", lambda pages, job: ([], pages.c.job_id == job.c.id), default_sort="page_number"
        ),
    },
    computed={
        "pageCount": Computed("page_count"),
        "progress": Computed("job_progress"),
        "corrections": Computed("job_corrections"),
    },
    metadata_column="metadata",
)
