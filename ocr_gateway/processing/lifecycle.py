"""One page lifecycle: every change of a page's status, and everything that follows from it.

Every caller goes through here: the API's services (queue, edit, delete: ``services``), the
procrastinate task and the embedded OCR processes (claim, complete, fail: ``pipeline``;
requeue after a stop: ``local``). Callers own the transaction; everything below happens in
it, so it happens if and only if the change commits.

The state machine of a page::

    created ─▶ pending ──queue──▶ queued ──claim──▶ processing ──complete──▶ processed
                  ▲                 ▲                    │
                  │                 ├── fail (retry) ────┤
                  │                 └── interrupted ─────┤  (the app stopped mid-page)
                  │                                      └── fail (final) ──▶ failed
                  └──── reset (a new pageUrl) ◀── pending | processed | failed
    pending | processed | failed ──queue──▶ queued            deleted: from any state
    queued | processing ──claim, its tries used up by OCR processes that died──▶ failed

``queue`` leaves a ``queued`` or ``processing`` page as it is, and starts a new request
for any other (its ``attempts`` go back to 0). ``complete`` and ``fail``
apply only to the attempt in progress (status ``processing``): a worker that already
wrote, died and was retried changes nothing, so a page is processed once.

Consequences of every change (``settle``), in this order:

1. the page's status event (subscriptions; NOTIFY on PostgreSQL);
2. the stored status of its job and group, re-derived from their pages, with their events;
3. each settled job whose pages are all done gets its ``invoiceData``, ``discrepancies``
   (an embedded e-invoice against the print) and ``error`` assembled from its pages, its
   field corrections applied last (``job_invoice``);
4. webhooks into the outbox: ``group.*`` when a group's status just became done,
   ``page.failed`` for a page that failed for good.

Deleting pages or jobs settles what they belonged to the same way: a delete that leaves a
job or a group done has the consequences a processed page would have had.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import writes
from ocr_gateway.db.models import Job, Page, Template
from ocr_gateway.db.repository import page_status_counts
from ocr_gateway.db.types import utcnow
from ocr_gateway.enums import PageStatus, WorkStatus, derive_status
from ocr_gateway.events import StatusEvent, emit
from ocr_gateway.notifications.webhook import record_page_failed, record_status_changes
from ocr_gateway.processing import claimants, invoice
from ocr_gateway.processing.einvoice import embedded_job_invoice
from ocr_gateway.processing.job_invoice import store_invoice_data
from ocr_gateway.processing.template import review_threshold as template_threshold

IN_FLIGHT = (PageStatus.queued.value, PageStatus.processing.value)
OCR_PROCESS_DIED = "ocr_process_died"
DONE = (WorkStatus.completed.value, WorkStatus.failed.value, WorkStatus.partially_failed.value)


@dataclass
class StatusChanges:
    """Jobs and groups whose derived status changed, with their new status; and the derived
    status of every job settled (changed or not)."""

    jobs: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    derived: dict[str, str] = field(default_factory=dict)


# -- transitions -------------------------------------------------------------------------


async def queue(session: AsyncSession, pages: Sequence[Page]) -> list[Page]:
    """Queue the pages not already in flight; returns those it queued."""
    now = utcnow()
    queued = [page for page in pages if page.status not in IN_FLIGHT]
    for page in queued:
        page.status = PageStatus.queued.value
        page.queued_at = now
        page.error = None
        page.attempts = 0  # a new request for OCR: its tries start again
    await session.flush()
    for page in queued:
        await announce(session, page.id, page.status)
    await settle(session, job_ids=[page.job_id for page in pages])
    return queued


async def claim(
    session: AsyncSession,
    page_id: str,
    *,
    from_statuses: Sequence[str],
    max_attempts: int | None = None,
    claimant: str | None = None,
) -> tuple[Page, Template] | None:
    """Start an attempt (one more) on the page; None when it is not, or no longer, to be
    processed. Returns the page and its job's template.

    A page whose ``max_attempts`` tries are used up, and yet is to be claimed again, had
    every attempt end with its OCR process (killed, out of memory: a failed attempt of any
    other kind ends final at the last try): it fails for good rather than kill the next one.
    """
    page = await writes.page_for_update(session, page_id)
    if page is None or page.status not in from_statuses:
        return None
    if max_attempts is not None and page.attempts >= max_attempts:
        await _exhausted(session, page)
        return None
    template = await writes.template_of_job(session, page.job_id)
    if template is None:  # the job went with its template meanwhile: nothing to process
        return None
    page.status = PageStatus.processing.value
    page.attempts += 1
    page.started_at = utcnow()
    page.claimed_by = claimant
    page.error = None
    await session.flush()
    await announce(session, page.id, page.status)
    await settle(session, job_ids=[page.job_id])
    return page, template


async def complete(session: AsyncSession, page_id: str, columns: dict[str, Any]) -> bool:
    """Write the results of the attempt in progress; False if the page moved on meanwhile."""
    values = {**columns, "status": PageStatus.processed.value, "processed_at": utcnow()}
    job_id = await writes.end_attempt(session, page_id, {**values, "error": None})
    if job_id is None:
        return False
    await announce(session, page_id, PageStatus.processed.value)
    await settle(session, job_ids=[job_id])
    return True


async def fail(session: AsyncSession, page_id: str, error: dict[str, Any], *, final: bool) -> bool:
    """Record a failed attempt: ``failed`` when final, back to ``queued`` for a retry.
    False if the page moved on meanwhile."""
    status = PageStatus.failed if final else PageStatus.queued
    values = {"status": status.value, "error": error, "processed_at": utcnow() if final else None}
    job_id = await writes.end_attempt(session, page_id, values)
    if job_id is None:
        return False
    await announce(session, page_id, status.value)
    await settle(session, job_ids=[job_id], failed_page_ids=[page_id] if final else ())
    return True


async def _exhausted(session: AsyncSession, page: Page) -> None:
    page.status = PageStatus.failed.value
    page.processed_at = utcnow()
    page.error = {
        "code": OCR_PROCESS_DIED,
        "message": f"the OCR process stopped (killed, or out of memory) during each of the "
        f"page's {page.attempts} attempts; it is tried again when it is processed anew",
        "transient": False,
        "attempt": page.attempts,
    }
    await session.flush()
    await announce(session, page.id, page.status)
    await settle(session, job_ids=[page.job_id], failed_page_ids=[page.id])


async def interrupted(session: AsyncSession, page_id: str) -> bool:
    """The attempt in progress ended with its process: back to ``queued`` (the attempt
    counts; ``claim`` fails the page once its tries are used up). False if the page was not
    in progress (its process died before claiming it, or it moved on)."""
    job_id = await writes.end_attempt(session, page_id, {"status": PageStatus.queued.value})
    if job_id is None:
        return False
    await announce(session, page_id, PageStatus.queued.value)
    await settle(session, job_ids=[job_id])
    return True


async def requeue_interrupted(
    session: AsyncSession, still_claimed: Callable[[str | None], bool] = claimants.is_running
) -> int:
    """Pages left ``processing`` by an OCR process that is gone (a stopped app, a killed
    process) go back to ``queued``; returns how many."""
    interrupted = await writes.requeue_processing(session, still_claimed)
    for page_id, _job_id in interrupted:
        await announce(session, page_id, PageStatus.queued.value)
    await settle(session, job_ids=[job_id for _page_id, job_id in interrupted])
    return len(interrupted)


def reset(page: Page, result_columns: Sequence[str]) -> None:
    """A page whose image changed: its results no longer describe it (back to ``pending``;
    the caller flushes, then ``announce``s and ``settle``s)."""
    for column in result_columns:
        setattr(page, column, None)
    page.status = PageStatus.pending.value


# -- consequences ------------------------------------------------------------------------


async def announce(session: AsyncSession, page_id: str, status: str) -> None:
    """The page's status event, with its job and group for filtering subscribers."""
    parents = await writes.page_parents(session, page_id)
    if parents is not None:
        job_id, group_id = parents
        await emit(session, StatusEvent("page", page_id, status, job_id, group_id))


async def settle(
    session: AsyncSession,
    *,
    job_ids: Sequence[str] = (),
    group_ids: Sequence[str] = (),
    failed_page_ids: Sequence[str] = (),
) -> StatusChanges:
    """Everything that follows from pages of these jobs (and groups) having changed: stored
    statuses and their events, invoice data of done jobs, webhooks (module docstring)."""
    changes = await _refresh_statuses(session, job_ids=job_ids, group_ids=group_ids)
    for job_id, status in sorted(changes.derived.items()):
        if status in DONE:
            await _assemble(session, job_id)
    # Webhook events go into the outbox in this transaction: sent iff this change commits.
    for page_id in failed_page_ids:
        await record_page_failed(session, page_id)
    await record_status_changes(session, changes.groups)
    return changes


async def _refresh_statuses(
    session: AsyncSession, *, job_ids: Sequence[str], group_ids: Sequence[str]
) -> StatusChanges:
    """Re-derive the stored status of jobs and groups from their pages, announcing changes.

    Stored (not computed on read) so that lists can filter and sort on status with an index.
    """
    changes = StatusChanges()
    job_ids = sorted(set(job_ids))
    if job_ids:
        counts = await page_status_counts(session, Page.job_id, job_ids)
        for job_id in job_ids:
            status = derive_status(counts.get(job_id, {}))
            changes.derived[job_id] = status.value
            changed, group_id = await writes.store_job_status(session, job_id, status)
            if changed:
                changes.jobs[job_id] = status.value
                await emit(session, StatusEvent("job", job_id, status.value, job_id, group_id))
        group_ids = [*group_ids, *await writes.groups_of_jobs(session, job_ids)]
    group_ids = sorted(set(group_ids))
    if group_ids:
        counts = await page_status_counts(session, Job.group_id, group_ids)
        for group_id in group_ids:
            status = derive_status(counts.get(group_id, {}))
            if await writes.store_group_status(session, group_id, status):
                changes.groups[group_id] = status.value
                event = StatusEvent("group", group_id, status.value, None, group_id)
                await emit(session, event)
    return changes


async def _assemble(session: AsyncSession, job_id: str) -> None:
    job = await session.get(Job, job_id, populate_existing=True)
    if job is None:  # deleted in this transaction
        return
    pages = await writes.pages_with_fields(session, job_id)
    template = await session.get(Template, job.template_id)
    threshold = template_threshold(template.options if template is not None else None)
    # A page carrying an embedded e-invoice: its exact fields over the printed ones, and
    # where the two disagree (``processing.einvoice``).
    job.invoice_data, job.discrepancies = embedded_job_invoice(pages) or (
        assemble_invoice(pages, review_threshold=threshold),
        [],
    )
    failed = [p.page_number for p in pages if p.status == PageStatus.failed.value]
    job.error = {"code": "pages_failed", "message": f"pages {failed} failed"} if failed else None
    # People's corrections last: they win over any (re-)extraction (``job_invoice``).
    await store_invoice_data(session, job, job.invoice_data)
    await session.flush()


def assemble_invoice(pages: Sequence[Page], *, review_threshold: float) -> dict[str, Any]:
    """The job's invoice data from its pages' stored extractions (``processing.invoice``:
    amounts that add up win, else the most confident value; fields below the template's
    review threshold need review). A total that adds up on no page nor across pages needs
    review too: a person should look at it."""
    assembled = invoice.assemble_invoice(
        [invoice.PageFields(p.page_number, p.extracted_fields, p.id) for p in pages],
        review_threshold=review_threshold,
    )
    fields = assembled.fields
    if any(_credit_note(p.extracted_fields) for p in pages):
        for name in invoice.AMOUNT_FIELDS & fields.keys():
            fields[name] = {**fields[name], "creditNote": True}
    for warning in assembled.warnings:
        name = warning["field"]
        if name in fields:
            fields[name] = {**fields[name], "needsReview": True, "warning": warning["code"]}
    return fields


def _credit_note(extracted: Mapping[str, Any] | None) -> bool:
    """Whether a page's extraction found the document titled (or typed, in an embedded
    e-invoice) as a credit note, whose amounts are then stated positive."""
    warnings = (extracted or {}).get("warnings") or []
    return any(isinstance(w, Mapping) and w.get("code") == "credit_note" for w in warnings)
