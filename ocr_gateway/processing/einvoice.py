"""E-invoices embedded in PDFs: Factur-X / ZUGFeRD / XRechnung (UN/CEFACT CII) and OASIS UBL.

``find_embedded(attachments, max_bytes=...)`` picks the e-invoice among a PDF's embedded files
(by its root element, whatever the file is called) and reads its fields exactly; ``reconcile``
sets them beside what the printed page says.

Parsing: ``defusedxml.ElementTree`` (no external entities, no DTD entity expansion: an XXE or
a billion-laughs file is refused, not expanded), after a size cap. Elements are matched by
their local name, so one set of paths serves CII D16B (ZUGFeRD 2.x, Factur-X, XRechnung CII),
ZUGFeRD 1.0's ``CrossIndustryDocument`` and UBL 2.1 ``Invoice`` / ``CreditNote``. The paths are
the standard's (EN 16931 business terms in brackets)::

    field          CII (2.x; 1.0 where it differs)                          UBL
    invoiceNumber  ExchangedDocument/ID (HeaderExchangedDocument)  [BT-1]   cbc:ID
    invoiceDate    ExchangedDocument/IssueDateTime/DateTimeString  [BT-2]   cbc:IssueDate
    dueDate        …/SpecifiedTradePaymentTerms/DueDateDateTime    [BT-9]   cbc:DueDate
    vendorName     …/SellerTradeParty/Name                        [BT-27]  AccountingSupplierParty
    currency       …/InvoiceCurrencyCode                           [BT-5]   DocumentCurrencyCode
    subtotal       …MonetarySummation/TaxBasisTotalAmount        [BT-109]  TaxExclusiveAmount
    tax            …MonetarySummation/TaxTotalAmount             [BT-110]  TaxTotal/TaxAmount
    total          …MonetarySummation/GrandTotalAmount           [BT-112]  TaxInclusiveAmount

Why not the ``factur-x`` package: it reads CII only (not UBL), parses with lxml, and brings
pypdf to extract attachments that PDFium already lists (``processing.pdf``); eight paths do
not need it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ocr_gateway.processing.extraction.model import ExtractedField

METHOD = "embedded_xml"
CII_ROOTS = frozenset({"CrossIndustryInvoice", "CrossIndustryDocument"})
UBL_ROOTS = frozenset({"Invoice", "CreditNote"})
FIELD_TYPES = {
    "invoiceNumber": "string",
    "invoiceDate": "date",
    "dueDate": "date",
    "vendorName": "string",
    "currency": "currency",
    "subtotal": "amount",
    "tax": "amount",
    "total": "amount",
}
CENT = Decimal("0.01")


# UNTDID 1001 document types EN 16931 lists as credit notes (381 the common one).
CREDIT_NOTE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)


class EInvoiceError(Exception):
    """An attachment that claims to be an e-invoice but cannot be read safely."""


@dataclass(frozen=True, slots=True)
class EmbeddedInvoice:
    name: str  # the attachment's file name
    syntax: str  # "cii" | "ubl"
    fields: dict[str, ExtractedField]
    credit_note: bool = False  # its document type is a credit note (amounts stated positive)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "syntax": self.syntax,
            "fields": {name: f.to_dict() for name, f in self.fields.items()},
            "creditNote": self.credit_note,
        }


def find_embedded(
    attachments: Iterable[tuple[str, bytes]], *, max_bytes: int
) -> EmbeddedInvoice | None:
    """The first attachment that is a CII or UBL invoice, read; None when there is none.
    Raises ``EInvoiceError`` for an XML attachment over ``max_bytes`` or not safe to parse."""
    for name, data in attachments:
        if not _looks_like_xml(name, data):
            continue
        if len(data) > max_bytes:
            raise EInvoiceError(
                f"embedded file {name!r} is {len(data)} bytes, more than {max_bytes}"
            )
        root = _parse(name, data)
        local = _local(root.tag)
        if local in CII_ROOTS:
            code = _text(
                _first(root, "ExchangedDocument") or _first(root, "HeaderExchangedDocument"),
                "TypeCode",
            )
            return EmbeddedInvoice(
                name, "cii", _fields(_cii_values(root)), code in CREDIT_NOTE_CODES
            )
        if local in UBL_ROOTS:
            code = _text(root, "CreditNoteTypeCode") or _text(root, "InvoiceTypeCode")
            credit = local == "CreditNote" or code in CREDIT_NOTE_CODES
            return EmbeddedInvoice(name, "ubl", _fields(_ubl_values(root)), credit)
    return None


def parse_invoice_xml(data: bytes, *, name: str = "invoice.xml") -> EmbeddedInvoice | None:
    """``find_embedded`` for one XML document (no size cap: the caller checked it)."""
    return find_embedded([(name, data)], max_bytes=len(data) + 1)


def _looks_like_xml(name: str, data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return name.lower().endswith(".xml") or head.startswith(b"<")


def _parse(name: str, data: bytes) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as exc:
        raise EInvoiceError(f"embedded file {name!r} uses XML entities (refused)") from exc
    except ParseError as exc:
        raise EInvoiceError(f"embedded file {name!r} is not well-formed XML: {exc}") from exc
    return root


# ---------------------------------------------------------------- element paths


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _path(element: Element | None, *names: str) -> list[Element]:
    """Every element at ``names`` below ``element`` (local names, any namespace)."""
    level = [element] if element is not None else []
    for name in names:
        level = [child for parent in level for child in _children(parent, name)]
    return level


def _first(element: Element | None, *names: str) -> Element | None:
    found = _path(element, *names)
    return found[0] if found else None


def _text(element: Element | None, *names: str) -> str | None:
    found = _first(element, *names) if names else element
    if found is None or found.text is None:
        return None
    text = " ".join(found.text.split())
    return text or None


def _cii_values(root: Element) -> dict[str, Any]:
    document = _first(root, "ExchangedDocument") or _first(root, "HeaderExchangedDocument")
    transaction = _first(root, "SupplyChainTradeTransaction") or _first(
        root, "SpecifiedSupplyChainTradeTransaction"
    )
    agreement = _first(transaction, "ApplicableHeaderTradeAgreement") or _first(
        transaction, "ApplicableSupplyChainTradeAgreement"
    )
    settlement = _first(transaction, "ApplicableHeaderTradeSettlement") or _first(
        transaction, "ApplicableSupplyChainTradeSettlement"
    )
    summation = _first(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation") or _first(
        settlement, "SpecifiedTradeSettlementMonetarySummation"
    )
    currency = _text(settlement, "InvoiceCurrencyCode")
    terms = _path(settlement, "SpecifiedTradePaymentTerms", "DueDateDateTime", "DateTimeString")
    return {
        "invoiceNumber": _text(document, "ID"),
        "invoiceDate": _cii_date(_first(document, "IssueDateTime", "DateTimeString")),
        "dueDate": _cii_date(terms[0] if terms else None),
        "vendorName": _text(agreement, "SellerTradeParty", "Name"),
        "currency": currency,
        "subtotal": _amount(_in_currency(_path(summation, "TaxBasisTotalAmount"), currency)),
        "tax": _amount(_in_currency(_path(summation, "TaxTotalAmount"), currency)),
        "total": _amount(_in_currency(_path(summation, "GrandTotalAmount"), currency)),
    }


def _ubl_values(root: Element) -> dict[str, Any]:
    currency = _text(root, "DocumentCurrencyCode")
    party = _first(root, "AccountingSupplierParty", "Party")
    vendor = _text(party, "PartyLegalEntity", "RegistrationName") or _text(
        party, "PartyName", "Name"
    )
    totals = _first(root, "LegalMonetaryTotal")
    due = _text(root, "DueDate") or _text(root, "PaymentMeans", "PaymentDueDate")
    return {
        "invoiceNumber": _text(root, "ID"),
        "invoiceDate": _iso_date(_text(root, "IssueDate")),
        "dueDate": _iso_date(due),
        "vendorName": vendor,
        "currency": currency,
        "subtotal": _amount(_in_currency(_path(totals, "TaxExclusiveAmount"), currency)),
        "tax": _amount(_in_currency(_path(root, "TaxTotal", "TaxAmount"), currency)),
        "total": _amount(_in_currency(_path(totals, "TaxInclusiveAmount"), currency)),
    }


def _in_currency(amounts: Sequence[Element], currency: str | None) -> Element | None:
    """The amount in the invoice currency: CII repeats TaxTotalAmount per currency (BT-110
    and BT-111), each with its ``currencyID``; an amount without one is in the invoice's."""
    for element in amounts:
        if currency is None or element.get("currencyID") in (None, currency):
            return element
    return None


def _amount(element: Element | None) -> tuple[str, str] | None:
    raw = _text(element)
    if raw is None:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return raw, f"{value.quantize(CENT):f}"


def _cii_date(element: Element | None) -> tuple[str, str] | None:
    """A CII date: format 102 is ``YYYYMMDD`` (the one EN 16931 allows); 610 (``YYYYMM``) and
    616 (``YYYYWW``) name no day, so they are not read as one."""
    raw = _text(element)
    if raw is None or element is None:
        return None
    if element.get("format", "102") != "102":
        return None
    match = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", raw)
    return _date(raw, match)


def _iso_date(raw: str | None) -> tuple[str, str] | None:
    if raw is None:
        return None
    return _date(raw, re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", raw))


def _date(raw: str, match: re.Match[str] | None) -> tuple[str, str] | None:
    if match is None:
        return None
    try:
        return raw, date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def _fields(values: Mapping[str, Any]) -> dict[str, ExtractedField]:
    fields = {}
    for name, value in values.items():
        if value is None:
            continue
        raw, normalized = value if isinstance(value, tuple) else (value, value)
        fields[name] = ExtractedField(
            name=name,
            type=FIELD_TYPES[name],
            value=raw,
            normalized_value=normalized.upper() if name == "currency" else normalized,
            confidence=1.0,
            box=None,
            method=METHOD,
        )
    return fields


# ---------------------------------------------------------------- the XML beside the print


def reconcile(
    embedded: Mapping[str, Mapping[str, Any]], printed: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Fields from the XML (exact) over those read off the printed pages, and the
    discrepancies: a field whose printed value differs from the XML's is reported
    ``{field, xmlValue, printedValue, printedPage}`` and marked ``needsReview`` (the XML
    says what the buyer's software will book; the print is what the seller showed)."""
    fields = {name: dict(entry) for name, entry in printed.items()}
    discrepancies = []
    for name, xml in embedded.items():
        entry = dict(xml)
        seen = printed.get(name)
        if seen is not None and not _same(name, xml, seen):
            entry["needsReview"] = True
            discrepancies.append(
                {
                    "field": name,
                    "xmlValue": xml.get("normalizedValue"),
                    "printedValue": seen.get("normalizedValue"),
                    "printedPage": seen.get("page"),
                }
            )
        fields[name] = entry
    return fields, discrepancies


def _same(name: str, xml: Mapping[str, Any], printed: Mapping[str, Any]) -> bool:
    a, b = xml.get("normalizedValue"), printed.get("normalizedValue")
    if a is None or b is None:
        return a == b
    if FIELD_TYPES.get(name) == "amount":
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except InvalidOperation:
            return False
    return _fold(str(a)) == _fold(str(b))


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()


class StoredPage(Protocol):
    id: str
    page_number: int
    extracted_fields: dict[str, Any] | None


def embedded_job_invoice(
    pages: Sequence[StoredPage],
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]] | None:
    """A job's invoice data and discrepancies when one of its pages carried an e-invoice:
    the printed fields assembled over every page (``processing.invoice``), then the XML's
    over them (``reconcile``). None when no page did (the job is assembled as usual)."""
    from ocr_gateway.processing.invoice import PageFields, assemble_invoice

    carrier = next((p for p in pages if (p.extracted_fields or {}).get("embedded")), None)
    if carrier is None:
        return None
    printed = [
        PageFields(p.page_number, {"fields": _printed(p.extracted_fields)}, p.id) for p in pages
    ]
    assembled = assemble_invoice(printed).fields
    xml = carrier.extracted_fields["embedded"]["fields"]  # type: ignore[index]
    located = {
        name: {**entry, "page": carrier.page_number, "pageId": carrier.id}
        for name, entry in xml.items()
    }
    return reconcile(located, assembled)


def _printed(stored: Mapping[str, Any] | None) -> dict[str, Any]:
    stored = stored or {}
    printed: dict[str, Any] = stored.get("printedFields", stored.get("fields") or {})
    return printed
