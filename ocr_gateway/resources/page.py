"""Page: one page image of a job and what OCR read off it (seed 000, ``db.models.Page``).

``lines`` and ``words`` (``{text, confidence, box}`` each) are built from the stored OCR
output; the bulky columns are read only when a query selects them.
"""

from __future__ import annotations

from ocr_gateway.db.models import Page
from ocr_gateway.enums import PageStatus, PageType, TextSource
from ocr_gateway.resources.base import Column, Computed, Resource, Sort, ToOne
from ocr_gateway.resources.common import CREATED_AT, ID, UPDATED_AT

PAGE = Resource(
    name="page",
    type_name="Page",
    label="pages",
    table=Page.__table__,  # type: ignore[arg-type]
    columns={
        "id": ID,
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
        "pageNumber": Column("page_number", "int", filter="page_number", sort=Sort("int")),
        "pageUrl": Column("page_url", "string", filter="page_url", search=True),
        "pageType": Column("page_type", "enum", filter="page_type", values=PageType),
        "status": Column("status", "enum", filter="status", sort=Sort("string"), values=PageStatus),
        "textSource": Column("text_source", "enum", filter="text_source", values=TextSource),
        "meanConfidence": Column("mean_confidence", "float", filter="mean_confidence"),
        "attempts": Column("attempts", "int", filter="attempts"),
        "processedAt": Column("processed_at", "datetime", filter="processed_at"),
        "imageProperties": Column("image_properties", "json"),
        "annotations": Column("annotations", "json"),
        "metadata": Column("metadata", "json"),
        "ocrText": Column("ocr_text", "string", search=True),
        "engine": Column("engine", "string"),
        "engineVersion": Column("engine_version", "string"),
        "timings": Column("timings", "json"),
        "error": Column("error", "json"),
        "extractedFields": Column("extracted_fields", "json"),
        "queuedAt": Column("queued_at", "datetime"),
        "startedAt": Column("started_at", "datetime"),
    },
    relations={"job": ToOne("job", "job_id", filter="job")},
    computed={"lines": Computed("ocr_lines"), "words": Computed("ocr_words")},
    metadata_column="metadata",
)
