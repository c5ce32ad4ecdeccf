"""GraphQL enums: the shared vocabularies, plus the whitelisted sort fields of each list."""

from __future__ import annotations

from enum import Enum

import strawberry

from ocr_gateway.enums import FieldType, PageStatus, PageType, Priority, SortOrder, WorkStatus

# Registered on the shared classes themselves, so the same enum flows through every layer.
strawberry.enum(Priority, description="Processing priority")
strawberry.enum(PageType, description="Type of page content")
strawberry.enum(PageStatus, description="pending -> queued -> processing -> processed | failed")
strawberry.enum(WorkStatus, description="Status of a job or group, derived from its pages")
strawberry.enum(FieldType, description="How an extracted value is normalised")
strawberry.enum(SortOrder, description="Sort direction")

__all__ = [
    "FieldType",
    "JobGroupSort",
    "JobSort",
    "PageSort",
    "PageStatus",
    "PageType",
    "Priority",
    "SortOrder",
    "TemplateSort",
    "WorkStatus",
]


@strawberry.enum(description="Fields templates can be sorted by")
class TemplateSort(Enum):
    createdAt = "created_at"
    updatedAt = "updated_at"
    name = "name"


@strawberry.enum(description="Fields job groups can be sorted by")
class JobGroupSort(Enum):
    createdAt = "created_at"
    updatedAt = "updated_at"
    name = "name"
    priority = "priority"
    status = "status"
    batchNumber = "batch_number"


@strawberry.enum(description="Fields jobs can be sorted by")
class JobSort(Enum):
    createdAt = "created_at"
    updatedAt = "updated_at"
    name = "name"
    priority = "priority"
    status = "status"


@strawberry.enum(description="Fields pages can be sorted by")
class PageSort(Enum):
    createdAt = "created_at"
    updatedAt = "updated_at"
    pageNumber = "page_number"
    status = "status"
