"""Exports of jobs' invoice data: CSV and JSON (one row per job, for a group) and e-invoice
XML (one document per job: UBL 2.1, or UN/CEFACT CII as Factur-X reads it).

Pure: the writers take ``ExportJob`` values (built by ``services.export`` from the
database) and return text or bytes; nothing here reads the database. Errors::

    ExportIncomplete (errors.InvalidInput, BAD_USER_INPUT)
        the job's data lack a field the document needs, or hold one it cannot carry
        (a date that is no date, totals that do not add up): every such field is named,
        and no XML is written

Fields the documents did not provide are left out, never invented (``record``, ``ubl``
and ``cii`` say what each document carries and which Factur-X profile is produced when).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from ocr_gateway.exports.cii import profile_of, to_cii
from ocr_gateway.exports.record import ExportIncomplete, ExportJob, Party, invoice_document
from ocr_gateway.exports.tabular import to_csv, to_json, to_json_object
from ocr_gateway.exports.ubl import to_ubl


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    ubl = "ubl"
    cii = "cii"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        return {"ubl": "ubl.xml", "cii": "cii.xml"}.get(self.value, self.value)

    @property
    def per_job(self) -> bool:
        """One document per job (XML) rather than one table of all jobs."""
        return self in (ExportFormat.ubl, ExportFormat.cii)


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.json: "application/json",
    ExportFormat.ubl: "application/xml",
    ExportFormat.cii: "application/xml",
}


def export_table(jobs: Sequence[ExportJob], format: ExportFormat) -> str:
    """CSV or JSON of the jobs, in the order given."""
    if format is ExportFormat.csv:
        return to_csv(jobs)
    if format is ExportFormat.json:
        return to_json(jobs)
    raise ValueError(f"{format.value} is one document per job, not a table")


def export_document(job: ExportJob, format: ExportFormat) -> bytes:
    """One job as UBL or CII XML (UTF-8) or a JSON object, or ``ExportIncomplete``."""
    if format is ExportFormat.ubl:
        return to_ubl(job)
    if format is ExportFormat.cii:
        return to_cii(job)
    if format is ExportFormat.json:
        return to_json_object(job).encode()
    raise ValueError("CSV is a table of jobs: export the group")


__all__ = [
    "ExportFormat",
    "ExportIncomplete",
    "ExportJob",
    "Party",
    "export_document",
    "export_table",
    "invoice_document",
    "profile_of",
]
