"""GraphQL enums: the shared vocabularies, plus each list's sort fields.

The sort enums (``TemplateSort``, ``JobGroupSort`` …) are made from the resource
declarations (``ocr_gateway.resources``): a member per sortable column, named as the
GraphQL field (``batchNumber``), valued as the column (``batch_number``).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.utils.str_converters import to_camel_case

from ocr_gateway.enums import (
    FieldType,
    PageStatus,
    PageType,
    Priority,
    SortOrder,
    TextSource,
    WorkStatus,
)
from ocr_gateway.resources import RESOURCES, Resource

# Registered on the shared classes themselves, so the same enum flows through every layer.
strawberry.enum(Priority, description="Processing priority")
strawberry.enum(PageType, description="Type of page content")
strawberry.enum(PageStatus, description="pending -> queued -> processing -> processed | failed")
strawberry.enum(
    TextSource,
    description="Where a page's fields came from: embedded e-invoice XML, the PDF's text "
    "layer, or OCR",
)
strawberry.enum(WorkStatus, description="Status of a job or group, derived from its pages")
strawberry.enum(FieldType, description="How an extracted value is normalised")
strawberry.enum(SortOrder, description="Sort direction")


def _sort_enum(resource: Resource) -> Any:
    members = {to_camel_case(column): column for column in resource.sorts}
    enum = Enum(f"{resource.type_name}Sort", members)  # type: ignore[misc]
    return strawberry.enum(enum, description=f"Fields {resource.label} can be sorted by")


SORTS: dict[str, Any] = {name: _sort_enum(resource) for name, resource in RESOURCES.items()}
TemplateSort = SORTS["template"]
JobGroupSort = SORTS["job_group"]
JobSort = SORTS["job"]
PageSort = SORTS["page"]

__all__ = [
    "SORTS",
    "FieldType",
    "JobGroupSort",
    "JobSort",
    "PageSort",
    "PageStatus",
    "PageType",
    "Priority",
    "SortOrder",
    "TemplateSort",
    "TextSource",
    "WorkStatus",
]
