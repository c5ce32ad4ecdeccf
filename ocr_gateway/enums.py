"""Vocabularies shared by the database, both APIs and the workers.

Values are the lowercase words of the legacy REST API; GraphQL exposes the same words so a
client sees one vocabulary whichever API it uses.
"""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    urgent = "urgent"

    @property
    def rank(self) -> int:
        return PRIORITY_RANK[self]


PRIORITY_RANK = {Priority.low: 0, Priority.medium: 1, Priority.high: 2, Priority.urgent: 3}


class PageType(StrEnum):
    cover = "cover"
    header = "header"
    content = "content"
    footer = "footer"
    summary = "summary"
    attachment = "attachment"


class PageStatus(StrEnum):
    """pending -> queued -> processing -> processed | failed (a re-run goes back to queued)."""

    pending = "pending"
    queued = "queued"
    processing = "processing"
    processed = "processed"
    failed = "failed"


class TextSource(StrEnum):
    """Where a processed page's fields came from (``processing.text_source``): an e-invoice
    embedded in the PDF, the PDF's text layer, or OCR of the rendered page (or image)."""

    pdf_text = "pdf_text"
    ocr = "ocr"
    embedded_xml = "embedded_xml"


class WorkStatus(StrEnum):
    """Status of a job or a group, derived from the pages below it (see ``derive_status``)."""

    pending = "pending"
    queued = "queued"
    processing = "processing"
    completed = "completed"
    partially_failed = "partially_failed"
    failed = "failed"


class DeliveryStatus(StrEnum):
    """A webhook delivery: pending -> delivered | failed (see ``notifications.models``)."""

    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class FieldType(StrEnum):
    string = "string"
    number = "number"
    amount = "amount"
    date = "date"
    currency = "currency"


class SortOrder(StrEnum):
    asc = "asc"
    desc = "desc"


def derive_status(counts: dict[PageStatus, int]) -> WorkStatus:
    """The status of a set of pages, as a person watching the batch would call it.

    Work in flight wins (processing, then queued); then pages nobody queued yet (pending);
    only when every page is done is the outcome reported.
    """
    processed = counts.get(PageStatus.processed, 0)
    failed = counts.get(PageStatus.failed, 0)
    if counts.get(PageStatus.processing, 0):
        return WorkStatus.processing
    if counts.get(PageStatus.queued, 0):
        return WorkStatus.processing if processed + failed else WorkStatus.queued
    if counts.get(PageStatus.pending, 0) or processed + failed == 0:
        return WorkStatus.pending
    if failed == 0:
        return WorkStatus.completed
    return WorkStatus.failed if processed == 0 else WorkStatus.partially_failed
