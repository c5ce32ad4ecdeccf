"""CSV and JSON: one row (object) per job, every invoice field with its confidence and
whether it needs review.

Columns, in a stable order: ``jobId, jobName, status, groupId, possibleDuplicateOf`` (the
id of an earlier job with the same invoice, ``processing.duplicates``), ``documentType``
(``invoice``, or ``credit_note``: a credit note's amounts are stated positive when its
title or e-invoice type says so, negative when it printed them so), then per field
``<field>`` (the normalised value: ISO date, decimal amount, ISO currency code; the
printed value for text), ``<field>Confidence`` and ``<field>NeedsReview``. Fields come in
the generic template's order (invoiceNumber, invoiceDate, dueDate, total, subtotal, tax,
currency, vendorName), then any other field of any job, alphabetically; a job without a
field has empty cells (JSON: null) for it, so every row has the same shape.

CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a
carriage return, or their full-width forms) are prefixed with ``'`` and every cell is
quoted, as OWASP's CSV-injection guidance recommends; plain numbers (``-12.50``) are left
as they are, since they are no formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

from ocr_gateway.exports.record import ExportJob
from ocr_gateway.processing.extraction.extract import ROLES

STANDARD_FIELDS = ROLES  # the built-in extraction roles, in their order
JOB_COLUMNS = ("jobId", "jobName", "status", "groupId", "possibleDuplicateOf", "documentType")
FORMULA_START = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def field_names(jobs: Sequence[ExportJob]) -> list[str]:
    """The invoice fields to show, in their stable order (see the module docstring)."""
    present = {name for job in jobs for name in job.invoice_data}
    others = sorted(present.difference(STANDARD_FIELDS))
    return [*STANDARD_FIELDS, *others]


def columns(fields: Sequence[str]) -> list[str]:
    per_field = [(f, f"{f}Confidence", f"{f}NeedsReview") for f in fields]
    return [*JOB_COLUMNS, *(column for group in per_field for column in group)]


def row(job: ExportJob, fields: Sequence[str]) -> dict[str, Any]:
    """One job as a flat row: column -> value (None where the job has no such field)."""
    out: dict[str, Any] = {
        "jobId": job.id,
        "jobName": job.name,
        "status": job.status,
        "groupId": job.group_id,
        "possibleDuplicateOf": job.possible_duplicate_of,
        "documentType": "credit_note" if job.credit_note else "invoice",
    }
    for name in fields:
        entry = job.field(name)
        out[name] = job.normalized(name)
        out[f"{name}Confidence"] = _confidence(entry)
        out[f"{name}NeedsReview"] = bool(entry.get("needsReview")) if entry else None
    return out


def to_json(jobs: Sequence[ExportJob]) -> str:
    """A JSON array of one object per job; each object has every column."""
    fields = field_names(jobs)
    rows = [_json_object(job, fields) for job in jobs]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def to_json_object(job: ExportJob) -> str:
    """One job as a JSON object (the same keys as its row in ``to_json``)."""
    return json.dumps(_json_object(job, field_names([job])), ensure_ascii=False, indent=2) + "\n"


def _json_object(job: ExportJob, fields: Sequence[str]) -> dict[str, Any]:
    flat = row(job, fields)
    return {column: flat[column] for column in columns(fields)}


def to_csv(jobs: Sequence[ExportJob]) -> str:
    """CSV text (RFC 4180, CRLF line ends, every cell quoted), header row first."""
    fields = field_names(jobs)
    header = columns(fields)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for job in jobs:
        flat = row(job, fields)
        writer.writerow(safe_cell(flat[column]) for column in header)
    return buffer.getvalue()


def safe_cell(value: Any) -> str:
    """A value as a CSV cell no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _confidence(entry: Any) -> float | None:
    if not entry or entry.get("confidence") is None:
        return None
    return round(float(entry["confidence"]), 4)
