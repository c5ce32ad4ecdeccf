"""The resource model: templates, job groups, jobs and pages.

    Template 1──* JobGroup 1──* Job 1──* Page *──0..1 Document
    Template 1──* Job (a job's template defaults to its group's)

A ``Document`` is a fetched file (a PDF or an image) that pages were made from, stored once
per sha256: its pages read their bytes from here, so no page fetches the URL again.

Relationships are ``lazy="raise"``: nothing is loaded behind the caller's back; the GraphQL
layer loads relations through per-request DataLoaders (``schema.loaders``).
Deleting: a group's jobs are detached (``ON DELETE SET NULL``) unless the caller asks for a
cascade; a job's pages go with it only when asked (the service refuses otherwise); a template
in use cannot be deleted (``RESTRICT``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ocr_gateway.db.types import JsonType, UtcDateTime, utcnow
from ocr_gateway.enums import DeliveryStatus
from ocr_gateway.ids import new_id

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(24)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JsonType, list[Any]: JsonType, datetime: UtcDateTime}


class Timestamped:
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)


class Template(Timestamped, Base):
    __tablename__ = "templates"

    name: Mapped[str] = mapped_column(String(255), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[list[Any]] = mapped_column(default=lambda: ["en"])
    fields: Mapped[list[Any]] = mapped_column(default=list)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class JobGroup(Timestamped, Base):
    __tablename__ = "job_groups"

    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    batch_number: Mapped[str | None] = mapped_column(String(255), index=True)
    template_id: Mapped[str] = mapped_column(
        ForeignKey("templates.id", ondelete="RESTRICT"), index=True
    )
    priority: Mapped[str] = mapped_column(String(16), default="medium", index=True)
    status: Mapped[str] = mapped_column(String(24), default="pending", index=True)
    processing_settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notifications: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str | None] = mapped_column(String(255))
    assigned_to: Mapped[str | None] = mapped_column(String(255), index=True)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)

    __table_args__ = (
        CheckConstraint("priority IN ('low', 'medium', 'high', 'urgent')", name="priority"),
    )


class Job(Timestamped, Base):
    __tablename__ = "jobs"

    group_id: Mapped[str | None] = mapped_column(
        ForeignKey("job_groups.id", ondelete="SET NULL"), index=True
    )
    template_id: Mapped[str] = mapped_column(
        ForeignKey("templates.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    source_file_name: Mapped[str | None] = mapped_column(String(1024))
    status: Mapped[str] = mapped_column(String(24), default="pending", index=True)
    priority: Mapped[str] = mapped_column(String(16), default="medium", index=True)
    invoice_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Where an embedded e-invoice and the printed page disagree: [{field, xmlValue,
    # printedValue, page}], assembled with invoice_data (``processing.einvoice``).
    discrepancies: Mapped[list[Any]] = mapped_column(default=list)
    # Whether a field of invoice_data still needs a human look (stored with it, so lists
    # can filter on it); see ``processing.corrections``.
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # The confidence of invoice_data's least sure field (a corrected one counts 1), null
    # without fields: stored and indexed with the data so the review queue filters and
    # sorts on it in SQL (``processing.corrections.lowest_confidence``). The queue's own
    # index is below: review jobs oldest first, their lowest confidence read off the index.
    lowest_confidence: Mapped[float | None] = mapped_column(Float, index=True)
    # Duplicate invoices (``processing.duplicates``): the earliest earlier job whose invoice
    # matches this one's (a hint for a person, never a block), and this job's normalised
    # match keys, indexed so that finding that job is one indexed query.
    possible_duplicate_of: Mapped[str | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), index=True
    )
    duplicate_key_number: Mapped[str | None] = mapped_column(String(255), index=True)
    duplicate_key_amount: Mapped[str | None] = mapped_column(String(255), index=True)
    duplicate_currency: Mapped[str | None] = mapped_column(String(3))
    error: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    completed_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint("priority IN ('low', 'medium', 'high', 'urgent')", name="priority"),
        # The review queue: needsReview and lowestConfidence < t, oldest first (migration
        # 0008 measures it): walked in order, and counted, without reading the jobs' rows.
        Index(
            "ix_jobs_needs_review_created_at_lowest_confidence",
            "needs_review",
            "created_at",
            "lowest_confidence",
        ),
    )


# Least sure first (``lowestConfidence``: a job without invoice data sorts as 2.0), cursors
# paging on the value and the id: walked in order instead of sorting every job (0009).
Index(
    "ix_jobs_lowest_confidence_sort",
    func.coalesce(Job.lowest_confidence, literal_column("2.0")),
    Job.id,
)


class Page(Timestamped, Base):
    __tablename__ = "pages"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    page_number: Mapped[int] = mapped_column(Integer)
    page_url: Mapped[str] = mapped_column(String(4096))
    page_type: Mapped[str | None] = mapped_column(String(16))
    image_properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
    annotations: Mapped[list[Any]] = mapped_column(default=list)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True
    )

    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    text_source: Mapped[str | None] = mapped_column(String(16), index=True)
    ocr_text: Mapped[str | None] = mapped_column(Text)
    # The bulky OCR output is loaded only when asked for (``OCR_DETAIL``), never by a list.
    ocr_lines: Mapped[list[Any] | None] = mapped_column(
        JsonType, deferred=True, deferred_raiseload=True
    )
    ocr_words: Mapped[list[Any] | None] = mapped_column(
        JsonType, deferred=True, deferred_raiseload=True
    )
    mean_confidence: Mapped[float | None] = mapped_column(Float)
    extracted_fields: Mapped[dict[str, Any] | None] = mapped_column(
        JsonType, deferred=True, deferred_raiseload=True
    )
    engine: Mapped[str | None] = mapped_column(String(64))
    engine_version: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    timings: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    error: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    queued_at: Mapped[datetime | None] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column()
    # The OCR process of the latest attempt (``processing.claimants``: host:pid:start).
    claimed_by: Mapped[str | None] = mapped_column(String(255))
    processed_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        UniqueConstraint("job_id", "page_number"),
        CheckConstraint("page_number >= 1", name="page_number_positive"),
        CheckConstraint(
            "status IN ('pending', 'queued', 'processing', 'processed', 'failed')", name="status"
        ),
        CheckConstraint(
            "page_type IS NULL OR page_type IN "
            "('cover', 'header', 'content', 'footer', 'summary', 'attachment')",
            name="page_type",
        ),
        CheckConstraint(
            "text_source IS NULL OR text_source IN ('pdf_text', 'ocr', 'embedded_xml')",
            name="text_source",
        ),
        Index("ix_pages_job_id_status", "job_id", "status"),
    )


class Document(Base):
    """A fetched document, once per content (sha256); ``data`` holds its bytes (the
    workers, on any machine, read them from the database: no shared disk is needed)."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))  # application/pdf, image/png …
    byte_size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer)
    source_url: Mapped[str] = mapped_column(String(4096))  # where it was first fetched from
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True, deferred_raiseload=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FieldCorrection(Base):
    """A person's value for one invoice field of a job, kept beside what was extracted.

    One per job and field (a later correction replaces it); it outlives re-processing: the
    job's invoice data is assembled from its pages, then its corrections are applied.
    """

    __tablename__ = "field_corrections"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))  # the field's type the value was checked as
    value: Mapped[str | None] = mapped_column(Text)  # as given (null: the field has no value)
    normalized_value: Mapped[str | None] = mapped_column(Text)
    previous: Mapped[dict[str, Any] | None] = mapped_column(JsonType)  # the extracted field
    corrected_by: Mapped[str] = mapped_column(String(255))  # the API key's name
    corrected_by_key_id: Mapped[str | None] = mapped_column(ID)
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("job_id", "field"),)


class ApiKey(Base):
    """An API key: only a SHA-256 of the key is stored; ``prefix`` finds the row."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("job_groups.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(2048))
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.pending.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
        # The delivery log of a group, newest first (also serves the cascade from job_groups).
        Index("ix_webhook_deliveries_group_id_created_at", "group_id", "created_at"),
        # What the senders poll: due pending deliveries.
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )


TABLES = (Template, JobGroup, Job, Page, ApiKey)
OCR_DETAIL = (Page.ocr_lines, Page.ocr_words, Page.extracted_fields)
