"""Object types: Template, JobGroup, Job, Page, with their relations both ways.

Relations resolve through the request's DataLoaders (``info.context.loaders``), so a nested
query costs a fixed number of SQL statements whatever the number of rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import strawberry
from strawberry.scalars import JSON

from ocr_gateway import resources
from ocr_gateway.db import models
from ocr_gateway.errors import NotFound
from ocr_gateway.notifications.graphql import WebhookDelivery
from ocr_gateway.notifications.webhook import public_notifications
from ocr_gateway.schema.aggregates import aggregate_field
from ocr_gateway.schema.arguments import Info, Limit, check_paging, list_field
from ocr_gateway.schema.counts import JobCounts, PageCounts
from ocr_gateway.schema.enums import (
    FieldType,
    PageStatus,
    PageType,
    Priority,
    SortOrder,
    TextSource,
    WorkStatus,
)
from ocr_gateway.schema.exports import JOB_EXPORT, JOB_GROUP_EXPORT
from ocr_gateway.schema.lists import Connection, Edge, ItemList

R = TypeVar("R")


def _present(row: R | None, resource: str, id: str) -> R:
    """A row a foreign key points at. It can be gone when this request reads outside one
    snapshot (a mutation's answer, read after a concurrent delete committed): NOT_FOUND,
    never an internal error. Queries read in one snapshot (``db.engine.reading``)."""
    if row is None:
        raise NotFound(resource, id)
    return row


@strawberry.type(description="A rectangle on the page, as fractions (0..1) of its size")
class Region:
    x: float
    y: float
    width: float
    height: float


@strawberry.type(description="One value a template reads off a page")
class TemplateField:
    name: str
    type: FieldType
    regex: str | None
    labels: list[str]
    region: Region | None
    required: bool

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TemplateField:
        region = d.get("region")
        return cls(
            name=d["name"],
            type=FieldType(d.get("type", "string")),
            regex=d.get("regex"),
            labels=list(d.get("labels") or []),
            region=Region(**region) if region else None,
            required=bool(d.get("required", False)),
        )


@strawberry.type(description="How a template normalises values")
class TemplateOptions:
    date_formats: list[str]
    decimal_separator: str
    default_currency: str | None


@strawberry.type(description="What to read off an invoice page, and how")
class Template:
    id: strawberry.ID
    name: str
    description: str | None
    languages: list[str]
    fields: list[TemplateField]
    options: TemplateOptions
    active: bool
    builtin: bool = strawberry.field(description="Shipped with the service; read-only")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: models.Template) -> Template:
        options = row.options or {}
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            description=row.description,
            languages=list(row.languages),
            fields=[TemplateField.from_dict(f) for f in row.fields],
            options=TemplateOptions(
                date_formats=list(options.get("dateFormats") or []),
                decimal_separator=options.get("decimalSeparator") or ".",
                default_currency=options.get("defaultCurrency"),
            ),
            active=row.active,
            builtin=row.builtin,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    job_groups = list_field(
        resources.JOB_GROUP,
        "JobGroupList",
        lambda template, info, args: JobGroupList(
            **info.context.loaders.template_groups.fetchers(template.id, args, JobGroup.from_row)
        ),
        module=__name__,
        description="Job groups using this template",
    )


@strawberry.type(description="How far the work below a job or group has got")
class Progress:
    pages: PageCounts
    total_pages: int
    jobs: JobCounts | None = strawberry.field(description="Only for groups")
    total_jobs: int | None

    @strawberry.field(description="Share of pages processed or failed, 0..100")
    def percent_done(self) -> float:
        if not self.total_pages:
            return 0.0
        return round(100.0 * (self.pages.processed + self.pages.failed) / self.total_pages, 2)


@strawberry.type(description="A batch of invoice jobs processed together")
class JobGroup:
    id: strawberry.ID
    name: str
    description: str | None
    batch_number: str | None
    priority: Priority
    status: WorkStatus = strawberry.field(description="Derived from the group's pages")
    processing_settings: dict[str, Any] = strawberry.field(graphql_type=JSON)
    notifications: dict[str, Any] = strawberry.field(graphql_type=JSON)
    created_by: str | None
    assigned_to: str | None
    tags: list[str]
    metadata: dict[str, Any] = strawberry.field(graphql_type=JSON)
    created_at: datetime
    updated_at: datetime
    template_id: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: models.JobGroup) -> JobGroup:
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            description=row.description,
            batch_number=row.batch_number,
            priority=Priority(row.priority),
            status=WorkStatus(row.status),
            processing_settings=row.processing_settings,
            notifications=public_notifications(row.notifications),
            created_by=row.created_by,
            assigned_to=row.assigned_to,
            tags=list(row.tags),
            metadata=row.metadata_,
            created_at=row.created_at,
            updated_at=row.updated_at,
            template_id=row.template_id,
        )

    @strawberry.field
    async def template(self, info: Info) -> Template:
        return Template.from_row(
            _present(
                await info.context.loaders.template.load(self.template_id),
                "Template",
                self.template_id,
            )
        )

    jobs = list_field(
        resources.JOB,
        "JobList",
        lambda group, info, args: JobList(
            **info.context.loaders.group_jobs.fetchers(group.id, args, Job.from_row)
        ),
        module=__name__,
        description="Jobs of this group",
    )
    pages = list_field(
        resources.PAGE,
        "PageList",
        lambda group, info, args: PageList(
            **info.context.loaders.group_pages.fetchers(group.id, args, Page.from_row)
        ),
        module=__name__,
        description="Pages of every job of this group",
    )

    @strawberry.field(description="Webhook deliveries of this group's notifications, newest first")
    async def notification_deliveries(self, info: Info, limit: Limit = 20) -> list[WebhookDelivery]:
        check_paging(info, limit, 0)
        rows = await info.context.loaders.group_deliveries.load((self.id, limit))
        return [WebhookDelivery.from_row(row) for row in rows]

    export = JOB_GROUP_EXPORT

    @strawberry.field(description="Jobs and pages by status, percent done")
    async def progress(self, info: Info) -> Progress:
        loaders = info.context.loaders
        pages = await loaders.group_page_counts.load(self.id)
        jobs = await loaders.group_job_counts.load(self.id)
        return Progress(
            pages=PageCounts.from_counts(pages),
            total_pages=sum(pages.values()),
            jobs=JobCounts.from_counts(jobs),
            total_jobs=sum(jobs.values()),
        )


@strawberry.type(description="A person's value for an invoice field, kept beside the extracted one")
class FieldCorrection:
    field: str = strawberry.field(description="The template field corrected")
    value: str | None = strawberry.field(description="As given; null: the document has none")
    normalized_value: str | None = strawberry.field(
        description="ISO date, decimal amount, ISO 4217 code or trimmed text"
    )
    previous: dict[str, Any] | None = strawberry.field(
        graphql_type=JSON | None,
        description="What extraction said: {value, normalizedValue, confidence, method, page, "
        "box}; null when it found nothing",
    )
    corrected_by: str = strawberry.field(description="The name of the API key that corrected it")
    corrected_by_key_id: strawberry.ID | None = strawberry.field(
        description="The id of that API key (null when authentication is off)"
    )
    corrected_at: datetime

    @classmethod
    def from_row(cls, row: models.FieldCorrection) -> FieldCorrection:
        return cls(
            field=row.field,
            value=row.value,
            normalized_value=row.normalized_value,
            previous=row.previous,
            corrected_by=row.corrected_by,
            corrected_by_key_id=(
                strawberry.ID(row.corrected_by_key_id) if row.corrected_by_key_id else None
            ),
            corrected_at=row.corrected_at,
        )


@strawberry.type(description="One invoice document: its pages and the data read off them")
class Job:
    id: strawberry.ID
    name: str
    source_file_name: str | None
    status: WorkStatus = strawberry.field(description="Derived from the job's pages")
    priority: Priority
    invoice_data: dict[str, Any] = strawberry.field(
        graphql_type=JSON,
        description="Field name -> {value, normalizedValue, confidence, page, box, method, "
        "needsReview}, assembled when every page is done; a corrected field has method "
        "manual, confidence 1, correctedBy, correctedAt and what extraction said under "
        "extracted; the amounts of a credit note carry creditNote: true, and a total that is "
        "subtotal + tax less a tax withheld at source or plus a tip carries withheld or "
        "surcharge (the amount)",
    )
    needs_review: bool = strawberry.field(
        description="A field of invoiceData still needs a human look (low confidence, not "
        "corrected)"
    )
    lowest_confidence: float | None = strawberry.field(
        description="The confidence (0..1) of invoiceData's least sure field: a corrected "
        "field counts 1, one without a confidence 0; null when the job has no invoice data. "
        "Filter on it (lowestConfidence: {lt: 0.6}) and sort by it: a job without invoice "
        "data sorts after 1 in ascending order"
    )
    discrepancies: list[dict[str, Any]] = strawberry.field(
        graphql_type=list[JSON],
        description="Where an embedded e-invoice and the printed pages disagree: {field, "
        "xmlValue, printedValue, printedPage}; each such field is marked needsReview",
    )
    possible_duplicate_of: strawberry.ID | None = strawberry.field(
        description="The earliest earlier job with the same vendor and invoice number (unless "
        "both date and total differ), or the same vendor, invoice date and total in one "
        "currency; without a vendor, the same number, date and total. A hint for a person, "
        "not a block"
    )
    error: dict[str, Any] | None = strawberry.field(graphql_type=JSON | None)
    metadata: dict[str, Any] = strawberry.field(graphql_type=JSON)
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    group_id: strawberry.Private[str | None]
    template_id: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: models.Job) -> Job:
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            source_file_name=row.source_file_name,
            status=WorkStatus(row.status),
            priority=Priority(row.priority),
            invoice_data=row.invoice_data,
            discrepancies=list(row.discrepancies or []),
            needs_review=row.needs_review,
            lowest_confidence=row.lowest_confidence,
            possible_duplicate_of=(
                strawberry.ID(row.possible_duplicate_of) if row.possible_duplicate_of else None
            ),
            error=row.error,
            metadata=row.metadata_,
            created_at=row.created_at,
            updated_at=row.updated_at,
            completed_at=row.completed_at,
            group_id=row.group_id,
            template_id=row.template_id,
        )

    @strawberry.field
    async def group(self, info: Info) -> JobGroup | None:
        if self.group_id is None:
            return None
        row = await info.context.loaders.job_group.load(self.group_id)
        return JobGroup.from_row(row) if row else None

    @strawberry.field
    async def template(self, info: Info) -> Template:
        return Template.from_row(
            _present(
                await info.context.loaders.template.load(self.template_id),
                "Template",
                self.template_id,
            )
        )

    @strawberry.field(description="The job possibleDuplicateOf names")
    async def duplicate_of(self, info: Info) -> Job | None:
        if self.possible_duplicate_of is None:
            return None
        row = await info.context.loaders.job.load(self.possible_duplicate_of)
        return Job.from_row(row) if row else None

    @strawberry.field(description="People's corrections of invoice fields, oldest first")
    async def corrections(self, info: Info) -> list[FieldCorrection]:
        rows = await info.context.loaders.job_corrections.load(self.id)
        return [FieldCorrection.from_row(row) for row in rows]

    @strawberry.field(description="Number of pages of this job")
    async def page_count(self, info: Info) -> int:
        counts = await info.context.loaders.job_page_counts.load(self.id)
        return sum(counts.values())

    @strawberry.field(description="Pages by status, percent done")
    async def progress(self, info: Info) -> Progress:
        counts = await info.context.loaders.job_page_counts.load(self.id)
        pages = PageCounts.from_counts(counts)
        return Progress(pages=pages, total_pages=sum(counts.values()), jobs=None, total_jobs=None)

    pages = list_field(
        resources.PAGE,
        "PageList",
        lambda job, info, args: PageList(
            **info.context.loaders.job_pages.fetchers(job.id, args, Page.from_row)
        ),
        module=__name__,
        description="Pages of this job",
        order=SortOrder.asc,
        default_sort="page_number",
    )
    export = JOB_EXPORT


@strawberry.type(description="A word or line read off a page; box is [x0, y0, x1, y1] in pixels")
class OcrText:
    text: str
    confidence: float
    box: list[float]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OcrText:
        return cls(text=d["text"], confidence=d["confidence"], box=list(d["box"]))


@strawberry.type(description="One page image of a job, and what OCR read off it")
class Page:
    id: strawberry.ID
    page_number: int
    page_url: str
    page_type: PageType | None
    image_properties: dict[str, Any] = strawberry.field(graphql_type=JSON)
    annotations: list[dict[str, Any]] = strawberry.field(graphql_type=list[JSON])
    metadata: dict[str, Any] = strawberry.field(graphql_type=JSON)
    status: PageStatus
    text_source: TextSource | None = strawberry.field(
        description="Where the page's fields came from (null until processed)"
    )
    ocr_text: str | None
    mean_confidence: float | None
    engine: str | None
    engine_version: str | None
    attempts: int = strawberry.field(
        description="Tries of the latest request for OCR (processPage starts again from 0)"
    )
    timings: dict[str, Any] | None = strawberry.field(graphql_type=JSON | None)
    error: dict[str, Any] | None = strawberry.field(
        graphql_type=JSON | None, description="{code, message, transient} of a failure"
    )
    queued_at: datetime | None
    started_at: datetime | None
    processed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    job_id: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: models.Page) -> Page:
        return cls(
            id=strawberry.ID(row.id),
            page_number=row.page_number,
            page_url=row.page_url,
            page_type=PageType(row.page_type) if row.page_type else None,
            image_properties=row.image_properties,
            annotations=list(row.annotations),
            metadata=row.metadata_,
            status=PageStatus(row.status),
            text_source=TextSource(row.text_source) if row.text_source else None,
            ocr_text=row.ocr_text,
            mean_confidence=row.mean_confidence,
            engine=row.engine,
            engine_version=row.engine_version,
            attempts=row.attempts,
            timings=row.timings,
            error=row.error,
            queued_at=row.queued_at,
            started_at=row.started_at,
            processed_at=row.processed_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            job_id=row.job_id,
        )

    @strawberry.field(description="Lines in reading order")
    async def lines(self, info: Info) -> list[OcrText] | None:
        detail = await info.context.loaders.page_ocr.load(self.id)
        return (
            None if detail.ocr_lines is None else [OcrText.from_dict(d) for d in detail.ocr_lines]
        )

    @strawberry.field(description="Words in reading order")
    async def words(self, info: Info) -> list[OcrText] | None:
        detail = await info.context.loaders.page_ocr.load(self.id)
        return (
            None if detail.ocr_words is None else [OcrText.from_dict(d) for d in detail.ocr_words]
        )

    @strawberry.field(
        graphql_type=JSON | None,
        description="{fields: {name: {value, normalizedValue, confidence, box, method}}, errors}",
    )
    async def extracted_fields(self, info: Info) -> dict[str, Any] | None:
        detail = await info.context.loaders.page_ocr.load(self.id)
        return detail.extracted_fields

    @strawberry.field
    async def job(self, info: Info) -> Job:
        row = await info.context.loaders.job.load(self.job_id)
        return Job.from_row(_present(row, "Job", self.job_id))


@strawberry.type(description="A slice of templates and how many match")
class TemplateList(ItemList[Template]):
    aggregate = aggregate_field("template")


@strawberry.type(description="A slice of job groups and how many match")
class JobGroupList(ItemList[JobGroup]):
    aggregate = aggregate_field("job_group")


@strawberry.type(description="A slice of jobs and how many match")
class JobList(ItemList[Job]):
    aggregate = aggregate_field("job")


@strawberry.type(description="A slice of pages and how many match")
class PageList(ItemList[Page]):
    aggregate = aggregate_field("page")


@strawberry.type
class TemplateEdge(Edge[Template]):
    pass


@strawberry.type
class JobGroupEdge(Edge[JobGroup]):
    pass


@strawberry.type
class JobEdge(Edge[Job]):
    pass


@strawberry.type
class PageEdge(Edge[Page]):
    pass


@strawberry.type(description="Templates for infinite scrolling (first/after)")
class TemplateConnection(Connection[Template]):
    pass


@strawberry.type(description="Job groups for infinite scrolling (first/after)")
class JobGroupConnection(Connection[JobGroup]):
    pass


@strawberry.type(description="Jobs for infinite scrolling (first/after)")
class JobConnection(Connection[Job]):
    pass


@strawberry.type(description="Pages for infinite scrolling (first/after)")
class PageConnection(Connection[Page]):
    pass


@strawberry.type(description="What a delete did to the rows below the deleted one")
class DeletePayload:
    id: strawberry.ID
    detached_jobs: int = strawberry.field(description="Jobs kept, now without a group")
    deleted_jobs: int
    deleted_pages: int
