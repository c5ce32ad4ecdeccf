"""Mutation inputs. Update inputs use ``Maybe``: an absent field is left alone, a field
given as null is cleared, anything else is set. Every update field accepts null in the
schema so that the service can answer a null for a required field with a BAD_USER_INPUT
that names the field (Strawberry's own message for it is written for developers)."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.utils.str_converters import to_camel_case

from ocr_gateway.schema.enums import FieldType, PageType, Priority


@strawberry.input(description="A rectangle on the page as fractions (0..1) of its size")
class RegionInput:
    x: float
    y: float
    width: float
    height: float


@strawberry.input(description="One value to read off a page: a regex and/or label keywords")
class TemplateFieldInput:
    name: str
    type: FieldType = FieldType.string
    regex: str | None = None
    labels: list[str] = strawberry.field(default_factory=list)
    region: RegionInput | None = None
    required: bool = False


@strawberry.input(description="How values are normalised")
class TemplateOptionsInput:
    date_formats: list[str] = strawberry.field(default_factory=list)
    decimal_separator: str = "."
    default_currency: str | None = None


@strawberry.input
class CreateTemplateInput:
    name: str
    description: str | None = None
    languages: list[str] = strawberry.field(default_factory=lambda: ["en"])
    fields: list[TemplateFieldInput] = strawberry.field(default_factory=list)
    options: TemplateOptionsInput | None = None
    active: bool = True


@strawberry.input
class UpdateTemplateInput:
    name: strawberry.Maybe[str | None] = None
    description: strawberry.Maybe[str | None] = None
    languages: strawberry.Maybe[list[str] | None] = None
    fields: strawberry.Maybe[list[TemplateFieldInput] | None] = None
    options: strawberry.Maybe[TemplateOptionsInput | None] = None
    active: strawberry.Maybe[bool | None] = None


@strawberry.input
class CreateJobGroupInput:
    name: str = strawberry.field(description="Name of the job group")
    template: strawberry.ID = strawberry.field(description="OCR template ID to use for this group")
    description: str | None = None
    batch_number: str | None = strawberry.field(default=None, description="Batch number")
    priority: Priority = Priority.medium
    processing_settings: JSON | None = None
    notifications: JSON | None = None
    created_by: str | None = strawberry.field(default=None, description="User who created it")
    assigned_to: str | None = strawberry.field(default=None, description="User managing it")
    tags: list[str] | None = None
    metadata: JSON | None = None


@strawberry.input
class UpdateJobGroupInput:
    name: strawberry.Maybe[str | None] = None
    template: strawberry.Maybe[strawberry.ID | None] = None
    description: strawberry.Maybe[str | None] = None
    batch_number: strawberry.Maybe[str | None] = None
    priority: strawberry.Maybe[Priority | None] = None
    processing_settings: strawberry.Maybe[JSON | None] = None
    notifications: strawberry.Maybe[JSON | None] = None
    created_by: strawberry.Maybe[str | None] = None
    assigned_to: strawberry.Maybe[str | None] = None
    tags: strawberry.Maybe[list[str] | None] = None
    metadata: strawberry.Maybe[JSON | None] = None


@strawberry.input
class CreateJobInput:
    name: str
    group: strawberry.ID | None = None
    template: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the group's template, else the generic invoice"
    )
    source_file_name: str | None = None
    priority: Priority | None = strawberry.field(
        default=None, description="Defaults to the group's priority, else medium"
    )
    metadata: JSON | None = None


@strawberry.input(description="A job made from a document: a page per PDF page, or one image")
class CreateJobFromDocumentInput:
    document_url: str = strawberry.field(
        description="Absolute URI of a PDF or an image (http(s), or file:// under the media "
        "root); fetched once, under the same guards as page images"
    )
    name: str | None = strawberry.field(
        default=None, description="Defaults to the document's file name"
    )
    group: strawberry.ID | None = None
    template: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the group's template, else the generic invoice"
    )
    source_file_name: str | None = strawberry.field(
        default=None, description="Defaults to the document's file name"
    )
    priority: Priority | None = strawberry.field(
        default=None, description="Defaults to the group's priority, else medium"
    )
    metadata: JSON | None = None
    process: bool = strawberry.field(
        default=False, description="Queue every page for processing at once (process scope)"
    )


@strawberry.input
class UpdateJobInput:
    name: strawberry.Maybe[str | None] = None
    group: strawberry.Maybe[strawberry.ID | None] = strawberry.field(
        default=None, description="null takes the job out of its group"
    )
    template: strawberry.Maybe[strawberry.ID | None] = None
    source_file_name: strawberry.Maybe[str | None] = None
    priority: strawberry.Maybe[Priority | None] = None
    metadata: strawberry.Maybe[JSON | None] = None


@strawberry.input
class CreatePageInput:
    job: strawberry.ID = strawberry.field(description="OCR invoice job ID this page belongs to")
    page_number: int = strawberry.field(description="Page number within the document (>= 1)")
    page_url: str = strawberry.field(description="Absolute URI of the page image")
    page_type: PageType | None = None
    image_properties: JSON | None = None
    annotations: list[JSON] | None = None
    metadata: JSON | None = None


@strawberry.input
class UpdatePageInput:
    job: strawberry.Maybe[strawberry.ID | None] = None
    page_number: strawberry.Maybe[int | None] = None
    page_url: strawberry.Maybe[str | None] = None
    page_type: strawberry.Maybe[PageType | None] = None
    image_properties: strawberry.Maybe[JSON | None] = None
    annotations: strawberry.Maybe[list[JSON] | None] = None
    metadata: strawberry.Maybe[JSON | None] = None


def input_data(value: Any) -> Any:
    """An input object as a dict of its public (camelCase) names; absent fields left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            raw = getattr(value, field.name)
            if raw is None:
                continue  # absent (Maybe) or not given
            if isinstance(raw, strawberry.Some):
                raw = raw.value
            out[to_camel_case(field.name)] = input_data(raw)
        return out
    if isinstance(value, list):
        return [input_data(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value
