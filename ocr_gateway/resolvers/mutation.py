"""Root mutations: create/update/delete of each resource.

Each runs inside ``Context.unit()`` (a SAVEPOINT of the request's transaction); the request
commits only if every mutation in it succeeded.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from ocr_gateway.auth import Principal, Scope
from ocr_gateway.errors import Forbidden, InvalidInput
from ocr_gateway.processing.queue import QueuedPage, hand_over
from ocr_gateway.schema.arguments import Info
from ocr_gateway.schema.inputs import (
    CreateJobFromDocumentInput,
    CreateJobGroupInput,
    CreateJobInput,
    CreatePageInput,
    CreateTemplateInput,
    UpdateJobGroupInput,
    UpdateJobInput,
    UpdatePageInput,
    UpdateTemplateInput,
    input_data,
)
from ocr_gateway.schema.types import DeletePayload, Job, JobGroup, Page, Template
from ocr_gateway.services import correction as correction_service
from ocr_gateway.services import document as document_service
from ocr_gateway.services import job as job_service
from ocr_gateway.services import job_group as group_service
from ocr_gateway.services import page as page_service
from ocr_gateway.services import processing as processing_service
from ocr_gateway.services import template as template_service
from ocr_gateway.services.job_group import DeleteOutcome

CorrectedValue = Annotated[
    strawberry.Maybe[JSON | None],
    strawberry.argument(
        description="Required. The right value: text, a date as YYYY-MM-DD, an amount as a "
        "number or decimal string, an ISO 4217 code; null when the document has none"
    ),
]
FieldName = Annotated[str, strawberry.argument(description="A field of the job's template")]
Cascade = Annotated[
    bool, strawberry.argument(description="Also delete what hangs below (see the field's docs)")
]


def _deleted(outcome: DeleteOutcome) -> DeletePayload:
    return DeletePayload(
        id=strawberry.ID(outcome.id),
        detached_jobs=outcome.detached_jobs,
        deleted_jobs=outcome.deleted_jobs,
        deleted_pages=outcome.deleted_pages,
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a template")
    async def create_template(self, info: Info, input: CreateTemplateInput) -> Template:
        async with info.context.unit() as session:
            row = await template_service.create_template(session, input_data(input))
        return Template.from_row(row)

    @strawberry.mutation(description="Update a template; built-in templates are read-only")
    async def update_template(
        self, info: Info, id: strawberry.ID, input: UpdateTemplateInput
    ) -> Template:
        async with info.context.unit() as session:
            row = await template_service.update_template(session, id, input_data(input))
        return Template.from_row(row)

    @strawberry.mutation(description="Delete a template no group or job uses (else CONFLICT)")
    async def delete_template(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async with info.context.unit() as session:
            await template_service.delete_template(session, id)
        return _deleted(DeleteOutcome(id))

    @strawberry.mutation(description="Create a job group")
    async def create_job_group(self, info: Info, input: CreateJobGroupInput) -> JobGroup:
        async with info.context.unit() as session:
            row = await group_service.create_job_group(session, input_data(input))
        return JobGroup.from_row(row)

    @strawberry.mutation(description="Update a job group; absent fields are left alone")
    async def update_job_group(
        self, info: Info, id: strawberry.ID, input: UpdateJobGroupInput
    ) -> JobGroup:
        async with info.context.unit() as session:
            row = await group_service.update_job_group(session, id, input_data(input))
        return JobGroup.from_row(row)

    @strawberry.mutation(
        description="Delete a job group. Its jobs are kept and detached (group: null) unless "
        "cascade is true, which deletes the jobs and their pages too"
    )
    async def delete_job_group(
        self, info: Info, id: strawberry.ID, cascade: Cascade = False
    ) -> DeletePayload:
        async with info.context.unit() as session:
            outcome = await group_service.delete_job_group(session, id, cascade=cascade)
        return _deleted(outcome)

    @strawberry.mutation(description="Create a job")
    async def create_job(self, info: Info, input: CreateJobInput) -> Job:
        async with info.context.unit() as session:
            row = await job_service.create_job(session, input_data(input))
        return Job.from_row(row)

    @strawberry.mutation(
        description="Fetch a PDF or an image once and make a job of it: one page per PDF page "
        "(an image makes one page), all or nothing; process: true queues the pages too"
    )
    async def create_job_from_document(self, info: Info, input: CreateJobFromDocumentInput) -> Job:
        principal = info.context.principal
        if (
            input.process
            and isinstance(principal, Principal)
            and not principal.allows(Scope.process)
        ):
            raise Forbidden("process: true needs an API key with the process scope")
        data = input_data(input)
        document = await document_service.fetch_document(info.context.settings, input.document_url)
        async with info.context.unit() as session:
            row, _pages = await document_service.create_job_from_document(session, document, data)
            queued: list[QueuedPage] = []
            if input.process:
                row, queued = await processing_service.process_job(session, row.id)
        _enqueue_after_commit(info, queued)
        return Job.from_row(row)

    @strawberry.mutation(description="Update a job; absent fields are left alone")
    async def update_job(self, info: Info, id: strawberry.ID, input: UpdateJobInput) -> Job:
        async with info.context.unit() as session:
            row = await job_service.update_job(session, id, input_data(input))
        return Job.from_row(row)

    @strawberry.mutation(
        description="Delete a job. A job with pages is deleted only with cascade: true "
        "(its pages go with it); otherwise CONFLICT"
    )
    async def delete_job(
        self, info: Info, id: strawberry.ID, cascade: Cascade = False
    ) -> DeletePayload:
        async with info.context.unit() as session:
            outcome = await job_service.delete_job(session, id, cascade=cascade)
        return _deleted(outcome)

    @strawberry.mutation(
        description="Correct an invoice field of a job: stored beside the extracted value "
        "(who, when, what extraction said), the field's needsReview cleared and invoiceData "
        "re-derived; it stays through re-processing. A new correction replaces the last"
    )
    async def correct_field(
        self, info: Info, job_id: strawberry.ID, field: FieldName, value: CorrectedValue = None
    ) -> Job:
        if value is None:  # absent: a forgotten value must not erase the field
            raise InvalidInput.single("value", "is required (null: the document has none)")
        principal = info.context.principal
        async with info.context.unit() as session:
            row = await correction_service.correct_field(
                session,
                job_id,
                field=field,
                value=value.value,
                principal=principal if isinstance(principal, Principal) else None,
            )
        return Job.from_row(row)

    @strawberry.mutation(
        description="Remove the correction of a field: invoiceData shows what extraction "
        "found again (NOT_FOUND when the field has no correction)"
    )
    async def remove_field_correction(
        self, info: Info, job_id: strawberry.ID, field: FieldName
    ) -> Job:
        async with info.context.unit() as session:
            row = await correction_service.remove_correction(session, job_id, field=field)
        return Job.from_row(row)

    @strawberry.mutation(description="Create a page of a job")
    async def create_page(self, info: Info, input: CreatePageInput) -> Page:
        async with info.context.unit() as session:
            row = await page_service.create_page(session, input_data(input))
        return Page.from_row(row)

    @strawberry.mutation(
        description="Update a page; a new pageUrl resets its OCR results (status pending)"
    )
    async def update_page(self, info: Info, id: strawberry.ID, input: UpdatePageInput) -> Page:
        async with info.context.unit() as session:
            row = await page_service.update_page(session, id, input_data(input))
        return Page.from_row(row)

    @strawberry.mutation(description="Delete a page (only that page)")
    async def delete_page(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async with info.context.unit() as session:
            await page_service.delete_page(session, id)
        return _deleted(DeleteOutcome(id))

    @strawberry.mutation(
        description="Queue a page for OCR and return at once. A queued or processing page is "
        "left as it is; a pending, processed or failed page is queued (again)"
    )
    async def process_page(self, info: Info, id: strawberry.ID) -> Page:
        async with info.context.unit() as session:
            row, queued = await processing_service.process_page(session, id)
        _enqueue_after_commit(info, queued)
        return Page.from_row(row)

    @strawberry.mutation(description="Queue every page of a job that is not already in flight")
    async def process_job(self, info: Info, id: strawberry.ID) -> Job:
        async with info.context.unit() as session:
            row, queued = await processing_service.process_job(session, id)
        _enqueue_after_commit(info, queued)
        return Job.from_row(row)

    @strawberry.mutation(description="Queue every page of a group that is not already in flight")
    async def process_job_group(self, info: Info, id: strawberry.ID) -> JobGroup:
        async with info.context.unit() as session:
            row, queued = await processing_service.process_job_group(session, id)
        _enqueue_after_commit(info, queued)
        return JobGroup.from_row(row)


def _enqueue_after_commit(info: Info, pages: list[QueuedPage]) -> None:
    if pages:
        queue = info.context.queue
        info.context.after_commit(lambda: hand_over(queue, pages))
