"""Corrections: a person's value for an invoice field of a job, stored beside the extracted
one (``models.FieldCorrection``, one per job and field: a new one replaces it).

    correct_field(session, job_id, field=, value=, principal=)      -> the job
    remove_correction(session, job_id, field=)                      -> the job

The field must be one of the job's template fields and the value must fit its type
(``processing.corrections``); otherwise BAD_USER_INPUT naming what is wrong, and nothing
changes. Either way the job's invoice data is re-derived (``processing.job_invoice``), the
job's update is announced to subscribers (``jobStatusChanged``, ``jobGroupProgress``) and,
when its group's webhook asks for ``job.corrected``, queued for the webhook.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.auth import Principal
from ocr_gateway.db import corrections as stored
from ocr_gateway.db.models import FieldCorrection, Job, Template
from ocr_gateway.db.types import utcnow
from ocr_gateway.errors import InvalidInput, NotFound
from ocr_gateway.events import StatusEvent, emit
from ocr_gateway.notifications.webhook import record_group_event
from ocr_gateway.processing.corrections import (
    CorrectionError,
    Normalized,
    extracted_data,
    invoice_currency,
    normalize,
)
from ocr_gateway.processing.job_invoice import store_invoice_data
from ocr_gateway.services.common import flush, get_or_404

ANONYMOUS = "anonymous"  # who corrects when authentication is switched off
PREVIOUS_KEYS = ("value", "normalizedValue", "confidence", "method", "page", "box")


async def correct_field(
    session: AsyncSession,
    job_id: str,
    *,
    field: str,
    value: Any,
    principal: Principal | None,
) -> Job:
    job = await get_or_404(session, Job, "Job", job_id)
    template = await session.get(Template, job.template_id)
    field_type = _field_type(template, field)
    currency = invoice_currency(job.invoice_data, _default_currency(template))
    try:
        checked = normalize(field_type, value, currency=None if field == "currency" else currency)
    except CorrectionError as exc:
        raise InvalidInput.single("value", f"{field}: {exc}") from None
    await _save(session, job, field, field_type, checked, principal)
    await _rederive(session, job, field, removed=False)
    return job


async def _save(
    session: AsyncSession,
    job: Job,
    field: str,
    field_type: str,
    checked: Normalized,
    principal: Principal | None,
) -> None:
    row = await stored.of_field(session, job.id, field)
    if row is None:
        row = FieldCorrection(job_id=job.id, field=field)
        session.add(row)
    row.type = field_type
    row.value, row.normalized_value = checked.value, checked.normalized
    row.previous = _previous(job.invoice_data, field)
    row.corrected_by = principal.name if principal else ANONYMOUS
    row.corrected_by_key_id = principal.key_id if principal else None
    row.corrected_at = utcnow()
    await flush(session, "the field was corrected by another request at the same time")


async def remove_correction(session: AsyncSession, job_id: str, *, field: str) -> Job:
    job = await get_or_404(session, Job, "Job", job_id)
    row = await stored.of_field(session, job.id, field)
    if row is None:
        raise NotFound("FieldCorrection", f"{job_id}/{field}")
    await session.delete(row)
    await session.flush()
    await _rederive(session, job, field, removed=True)
    return job


def _field_type(template: Template | None, field: str) -> str:
    types = {f["name"]: f.get("type") or "string" for f in (template.fields if template else [])}
    if field not in types:
        known = ", ".join(types) or "none"
        message = f"unknown field {field[:64]!r}; the job's template has: {known}"
        raise InvalidInput.single("field", message)
    return str(types[field])


def _default_currency(template: Template | None) -> str | None:
    found = (template.options or {}).get("defaultCurrency") if template else None
    return found if isinstance(found, str) else None


def _previous(invoice_data: dict[str, Any], field: str) -> dict[str, Any] | None:
    """What extraction said of the field (not an earlier correction), or None."""
    entry = extracted_data(invoice_data).get(field)
    if not isinstance(entry, dict):
        return None
    return {key: entry.get(key) for key in PREVIOUS_KEYS}


async def _rederive(session: AsyncSession, job: Job, field: str, *, removed: bool) -> None:
    await store_invoice_data(session, job, job.invoice_data)
    job.updated_at = utcnow()
    await session.flush()
    await emit(session, StatusEvent("job", job.id, job.status, job.id, job.group_id))
    if job.group_id is not None:
        entry = job.invoice_data.get(field)
        data = {
            "job": {
                "id": job.id,
                "name": job.name,
                "status": job.status,
                "possibleDuplicateOf": job.possible_duplicate_of,  # after the correction
            },
            "field": field,
            "removed": removed,
            "invoiceField": entry,
        }
        await record_group_event(session, job.group_id, "job.corrected", data)
