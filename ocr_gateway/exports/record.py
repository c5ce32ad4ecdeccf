"""What an export reads off a job, and the invoice document both XML writers build from.

``ExportJob`` is the job as the writers see it (no database here): its id, name, status,
group and ``invoiceData`` (field -> {value, normalizedValue, confidence, needsReview, ...};
a human correction has already re-derived it, so corrected values win) and
``possibleDuplicateOf`` (CSV and JSON only: no e-invoice has a place for it). ``buyer`` is the
buying company as the job's group names it (``metadata.buyer``): an accounts-payable team
receives every invoice of a group, so the documents rarely print the buyer the way an
e-invoice needs it.

``invoice_document`` reads the fields an e-invoice needs and refuses, with every problem
at once (``ExportIncomplete``), when one is missing, unreadable or inconsistent: nothing
is invented, and no XML is written that its schema would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ocr_gateway.errors import FieldProblem, InvalidInput

CURRENCY = re.compile(r"[A-Z]{3}")
COUNTRY = re.compile(r"[A-Z]{2}")
# Characters XML 1.0 cannot carry (C0 controls but tab/newline/return, lone surrogates).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TOLERANCE = Decimal("0.01")


class ExportIncomplete(InvalidInput):
    """The job's data cannot make this document: the fields missing or wrong, each named."""

    def __init__(self, job_id: str, document: str, problems: list[FieldProblem]) -> None:
        listed = "; ".join(f"{p.field}: {p.message}" for p in problems)
        message = f"job {job_id} cannot be exported as {document}: {listed}"
        super().__init__(problems, message)
        self.job_id = job_id
        self.document = document


@dataclass(frozen=True, slots=True)
class Party:
    name: str | None
    country: str | None = None  # ISO 3166-1 alpha-2
    vat_id: str | None = None

    @classmethod
    def from_metadata(cls, value: Any) -> Party | None:
        """The ``buyer`` object of a group's metadata (``{name, country, vatId}``), if any."""
        if not isinstance(value, Mapping):
            return None
        party = cls(
            _text(value.get("name")), _text(value.get("country")), _text(value.get("vatId"))
        )
        return party if party.name or party.vat_id else None


@dataclass(frozen=True, slots=True)
class ExportJob:
    id: str
    name: str
    status: str
    group_id: str | None
    invoice_data: Mapping[str, Any]
    buyer: Party | None = None
    possible_duplicate_of: str | None = None  # an earlier job's id (tabular exports only)

    def field(self, name: str) -> Mapping[str, Any] | None:
        entry = self.invoice_data.get(name)
        return entry if isinstance(entry, Mapping) else None

    @property
    def credit_note(self) -> bool:
        """A credit note: its total is negative, or extraction found it titled (or typed, in
        an embedded e-invoice) as one and stated its amounts positive (``creditNote`` on the
        amount fields, kept under ``extracted`` when a person corrected the field)."""
        for name in ("total", "subtotal", "tax"):
            entry = self.field(name)
            if entry is None:
                continue
            extracted = entry.get("extracted")
            if entry.get("creditNote") or (
                isinstance(extracted, Mapping) and extracted.get("creditNote")
            ):
                return True
        total = _decimal_or_none(self.normalized("total"))
        return total is not None and total < 0

    def normalized(self, name: str) -> Any:
        """A field's normalised value (its printed value when it has none), or None."""
        entry = self.field(name)
        if entry is None:
            return None
        value = entry.get("normalizedValue")
        return entry.get("value") if value is None else value


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    """The fields of one e-invoice. Amounts are as an invoice shows them: a credit note
    (``credit``: ``ExportJob.credit_note``) carries them positive."""

    number: str
    issue_date: date
    due_date: date | None
    currency: str
    seller: Party | None
    buyer: Party | None
    net: Decimal
    tax: Decimal | None
    total: Decimal
    credit: bool


class _Reader:
    """Reads fields off a job, collecting every problem instead of stopping at the first."""

    def __init__(self, job: ExportJob) -> None:
        self.job = job
        self.problems: list[FieldProblem] = []

    def missing(self, name: str, why: str) -> None:
        self.problems.append(FieldProblem(name, f"missing: {why}"))

    def wrong(self, name: str, message: str) -> None:
        self.problems.append(FieldProblem(name, message))

    def text(self, name: str, why: str | None) -> str | None:
        value = _text(self.job.normalized(name))
        if value is None and why:
            self.missing(name, why)
        if value is not None and NOT_XML.search(value):
            self.wrong(name, f"{value!r} holds control characters XML cannot carry")
            return None
        return value

    def date(self, name: str, why: str | None) -> date | None:
        value = self.job.normalized(name)
        if value is None:
            if why:
                self.missing(name, why)
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.wrong(name, f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def amount(self, name: str) -> Decimal | None:
        value = self.job.normalized(name)
        if value is None:
            return None
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite():
            self.wrong(name, f"{value!r} is not an amount")
            return None
        return amount

    def code(self, name: str, pattern: re.Pattern[str], what: str, why: str | None) -> str | None:
        value = self.text(name, why)
        if value is not None and not pattern.fullmatch(value):
            self.wrong(name, f"{value!r} is not {what}")
            return None
        return value


def invoice_document(job: ExportJob, document: str, *, parties_required: bool) -> InvoiceDocument:
    """The job's e-invoice fields, or ``ExportIncomplete`` naming every missing or wrong one.

    Required: invoiceNumber, invoiceDate, currency, total and the net amount (subtotal, or
    total - tax when both are printed); with ``parties_required`` also the seller's name
    (vendorName) and the buyer's (buyerName, or the group's ``metadata.buyer.name``).
    """
    read = _Reader(job)
    number = read.text("invoiceNumber", "the invoice number")
    issued = read.date("invoiceDate", "the issue date")
    due = read.date("dueDate", None)
    currency = read.code("currency", CURRENCY, "an ISO 4217 currency code", "the currency")
    seller = _seller(read, required=parties_required)
    buyer = _buyer(read, required=parties_required)
    net, tax, total = _amounts(read)
    if read.problems:
        raise ExportIncomplete(job.id, document, read.problems)
    assert number is not None
    assert issued is not None
    assert currency is not None
    assert net is not None
    assert total is not None
    credit = job.credit_note
    if total < 0:
        net, total = -net, -total
        tax = -tax if tax is not None else None
    return InvoiceDocument(number, issued, due, currency, seller, buyer, net, tax, total, credit)


def _seller(read: _Reader, *, required: bool) -> Party | None:
    name = read.text("vendorName", "the seller's name" if required else None)
    country = read.code("vendorCountry", COUNTRY, "an ISO 3166 country code", None)
    vat_id = read.text("vendorVatId", None)
    return Party(name, country, vat_id) if name or vat_id else None


def _buyer(read: _Reader, *, required: bool) -> Party | None:
    name = read.text("buyerName", None)
    if name is not None:
        country = read.code("buyerCountry", COUNTRY, "an ISO 3166 country code", None)
        return Party(name, country, read.text("buyerVatId", None))
    group = read.job.buyer
    if required and (group is None or group.name is None):
        _no_buyer(read)
    return group


def _no_buyer(read: _Reader) -> None:
    read.missing("buyerName", "the buyer's name (or the group's metadata.buyer.name)")


def _amounts(read: _Reader) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    subtotal, tax, total = read.amount("subtotal"), read.amount("tax"), read.amount("total")
    if total is None and read.job.normalized("total") is None:
        read.missing("total", "the amount due")
    net = subtotal
    if net is None and tax is not None and total is not None:
        net = total - tax  # printed total and tax: the net amount they imply
    if net is None and read.job.normalized("subtotal") is None:
        read.missing("subtotal", "the net amount (or the tax, to derive it from the total)")
    if net is not None and total is not None:
        _check_sums(read, net, tax, total)
    return net, tax, total


def _check_sums(read: _Reader, net: Decimal, tax: Decimal | None, total: Decimal) -> None:
    if tax is not None and abs(net + tax - total) > TOLERANCE:
        read.wrong("total", _mismatch(read, f"subtotal {net} + tax {tax} is not the total {total}"))
    elif any(v != 0 and (v < 0) != (total < 0) for v in (net, tax or Decimal(0))):
        read.wrong("total", f"the amounts' signs disagree (subtotal {net}, total {total})")


def _mismatch(read: _Reader, message: str) -> str:
    """Why the sums differ, where extraction found out (``amount_context.total_adjustments``):
    a tax withheld at source or a tip, which these documents' totals have no place for."""
    entry = read.job.field("total") or {}
    if entry.get("withheld") is not None:
        return (
            f"{message}: it is less {entry['withheld']} withheld at source, which an EN 16931 "
            "invoice cannot state (its amount due is the total with tax)"
        )
    if entry.get("surcharge") is not None:
        return (
            f"{message}: it is plus a tip or service charge of {entry['surcharge']}, which "
            "this export does not state as a charge"
        )
    return message


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def amount_text(value: Decimal) -> str:
    """An amount as XML Schema's decimal: no exponent, at least two decimals."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


__all__: Sequence[str] = (
    "ExportIncomplete",
    "ExportJob",
    "InvoiceDocument",
    "Party",
    "amount_text",
    "invoice_document",
)


def _decimal_or_none(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None
