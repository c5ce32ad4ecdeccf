"""What each resource may be filtered, sorted and searched on (the whitelist)."""

from __future__ import annotations

from sqlalchemy import func

from ocr_gateway.db.models import Job, JobGroup, Page, Template
from ocr_gateway.db.query import FilterField, ResourceSpec, SortField, priority_rank
from ocr_gateway.enums import PRIORITY_RANK, Priority


def _timestamps(model: type[Template | JobGroup | Job | Page]) -> dict[str, SortField]:
    return {
        "created_at": SortField(model.created_at, lambda r: r.created_at, "datetime"),
        "updated_at": SortField(model.updated_at, lambda r: r.updated_at, "datetime"),
    }


def _timestamp_filters(model: type[Template | JobGroup | Job | Page]) -> dict[str, FilterField]:
    return {
        "id": FilterField(model.id, "id"),
        "created_at": FilterField(model.created_at, "datetime"),
        "updated_at": FilterField(model.updated_at, "datetime"),
    }


def _rank(row: JobGroup | Job) -> int:
    return PRIORITY_RANK[Priority(row.priority)]


TEMPLATE = ResourceSpec(
    name="templates",
    id_column=Template.id,
    filters={
        **_timestamp_filters(Template),
        "name": FilterField(Template.name, "string"),
        "active": FilterField(Template.active, "bool"),
        "builtin": FilterField(Template.builtin, "bool"),
    },
    sorts={**_timestamps(Template), "name": SortField(Template.name, lambda r: r.name, "string")},
    search=(Template.name, Template.description),
)

JOB_GROUP = ResourceSpec(
    name="job groups",
    id_column=JobGroup.id,
    filters={
        **_timestamp_filters(JobGroup),
        "name": FilterField(JobGroup.name, "string"),
        "description": FilterField(JobGroup.description, "string"),
        "batch_number": FilterField(JobGroup.batch_number, "string"),
        "template": FilterField(JobGroup.template_id, "id"),
        "priority": FilterField(JobGroup.priority, "rank"),
        "status": FilterField(JobGroup.status, "enum"),
        "created_by": FilterField(JobGroup.created_by, "string"),
        "assigned_to": FilterField(JobGroup.assigned_to, "string"),
        "tags": FilterField(JobGroup.tags, "tags"),
    },
    sorts={
        **_timestamps(JobGroup),
        "name": SortField(JobGroup.name, lambda r: r.name, "string"),
        "priority": SortField(priority_rank(JobGroup.priority), _rank, "int"),
        "status": SortField(JobGroup.status, lambda r: r.status, "string"),
        "batch_number": SortField(
            func.coalesce(JobGroup.batch_number, ""), lambda r: r.batch_number or "", "string"
        ),
    },
    search=(
        JobGroup.name,
        JobGroup.description,
        JobGroup.batch_number,
        JobGroup.created_by,
        JobGroup.assigned_to,
    ),
    metadata=JobGroup.metadata_,
)

JOB = ResourceSpec(
    name="jobs",
    id_column=Job.id,
    filters={
        **_timestamp_filters(Job),
        "group": FilterField(Job.group_id, "id"),
        "template": FilterField(Job.template_id, "id"),
        "name": FilterField(Job.name, "string"),
        "source_file_name": FilterField(Job.source_file_name, "string"),
        "status": FilterField(Job.status, "enum"),
        "priority": FilterField(Job.priority, "rank"),
        "completed_at": FilterField(Job.completed_at, "datetime"),
    },
    sorts={
        **_timestamps(Job),
        "name": SortField(Job.name, lambda r: r.name, "string"),
        "priority": SortField(priority_rank(Job.priority), _rank, "int"),
        "status": SortField(Job.status, lambda r: r.status, "string"),
    },
    search=(Job.name, Job.source_file_name),
    metadata=Job.metadata_,
)

PAGE = ResourceSpec(
    name="pages",
    id_column=Page.id,
    filters={
        **_timestamp_filters(Page),
        "job": FilterField(Page.job_id, "id"),
        "page_number": FilterField(Page.page_number, "int"),
        "page_url": FilterField(Page.page_url, "string"),
        "page_type": FilterField(Page.page_type, "enum"),
        "status": FilterField(Page.status, "enum"),
        "mean_confidence": FilterField(Page.mean_confidence, "float"),
        "attempts": FilterField(Page.attempts, "int"),
        "processed_at": FilterField(Page.processed_at, "datetime"),
    },
    sorts={
        **_timestamps(Page),
        "page_number": SortField(Page.page_number, lambda r: r.page_number, "int"),
        "status": SortField(Page.status, lambda r: r.status, "string"),
    },
    search=(Page.page_url, Page.ocr_text),
    metadata=Page.metadata_,
)
