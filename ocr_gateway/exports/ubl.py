"""UBL 2.1 (OASIS): an ``Invoice``, or a ``CreditNote`` when the document's total is
negative (its amounts then shown positive, as a credit note shows them).

What is written, from the job's fields (``record.invoice_document``)::

    cbc:ID            invoiceNumber          cbc:IssueDate   invoiceDate
    cbc:DueDate       dueDate (invoices; UBL 2.1's CreditNote has no header due date)
    cbc:DocumentCurrencyCode, every amount's currencyID      currency
    cac:AccountingSupplierParty   vendorName (vendorCountry, vendorVatId)
    cac:AccountingCustomerParty   buyerName (buyerCountry, buyerVatId), else the group's
                                  metadata.buyer; empty when neither says (the schema
                                  requires the element, not its content)
    cac:TaxTotal      tax
    cac:LegalMonetaryTotal        net (subtotal, or total - tax), total
    one cac:InvoiceLine           the net amount, with a note: the schema requires a line,
                                  and the product does not read line items

No ``cbc:CustomizationID``: Peppol BIS Billing 3.0 also needs the parties' electronic
addresses and postal addresses and real invoice lines (quantity, price, item, VAT
category), which the documents' extracted fields do not carry; the README says so.
"""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree as ET

from ocr_gateway.exports.record import (
    ExportJob,
    InvoiceDocument,
    Party,
    amount_text,
    invoice_document,
)

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOTS = {
    False: ("Invoice", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"),
    True: ("CreditNote", "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"),
}
INVOICE, CREDIT_NOTE = "380", "381"  # UNTDID 1001 document type codes
LINE_NOTE = "The whole document as one line: line items were not extracted"

ET.register_namespace("cac", CAC)
ET.register_namespace("cbc", CBC)


def to_ubl(job: ExportJob) -> bytes:
    """The job as a UBL 2.1 document (UTF-8 XML), or ``ExportIncomplete``."""
    doc = invoice_document(job, "UBL 2.1", parties_required=False)
    name, namespace = ROOTS[doc.credit]
    root = ET.Element(f"{{{namespace}}}{name}")
    _header(root, doc)
    _party(_cac(root, "AccountingSupplierParty"), doc.seller)
    _party(_cac(root, "AccountingCustomerParty"), doc.buyer)
    if doc.tax is not None:
        _amount(_cac(root, "TaxTotal"), "TaxAmount", doc.tax, doc.currency)
    _totals(_cac(root, "LegalMonetaryTotal"), doc)
    _line(root, doc)
    # The document's own namespace as the default one. ElementTree's ``default_namespace``
    # refuses unprefixed attributes (currencyID), so the prefix map says it, per call:
    # an Invoice and a CreditNote each need it.
    ET.register_namespace("", namespace)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _header(root: ET.Element, doc: InvoiceDocument) -> None:
    _cbc(root, "UBLVersionID", "2.1")
    _cbc(root, "ID", doc.number)
    _cbc(root, "IssueDate", doc.issue_date.isoformat())
    if doc.credit:
        _cbc(root, "CreditNoteTypeCode", CREDIT_NOTE)
    else:
        if doc.due_date is not None:
            _cbc(root, "DueDate", doc.due_date.isoformat())
        _cbc(root, "InvoiceTypeCode", INVOICE)
    _cbc(root, "DocumentCurrencyCode", doc.currency)


def _party(parent: ET.Element, party: Party | None) -> None:
    if party is None:
        return
    element = _cac(parent, "Party")
    if party.name:
        _cbc(_cac(element, "PartyName"), "Name", party.name)
    if party.country:
        address = _cac(element, "PostalAddress")
        _cbc(_cac(address, "Country"), "IdentificationCode", party.country)
    if party.vat_id:
        scheme = _cac(element, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.vat_id)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")


def _totals(parent: ET.Element, doc: InvoiceDocument) -> None:
    _amount(parent, "LineExtensionAmount", doc.net, doc.currency)
    _amount(parent, "TaxExclusiveAmount", doc.net, doc.currency)
    _amount(parent, "TaxInclusiveAmount", doc.total, doc.currency)
    _amount(parent, "PayableAmount", doc.total, doc.currency)


def _line(root: ET.Element, doc: InvoiceDocument) -> None:
    line = _cac(root, "CreditNoteLine" if doc.credit else "InvoiceLine")
    _cbc(line, "ID", "1")
    _cbc(line, "Note", LINE_NOTE)
    _amount(line, "LineExtensionAmount", doc.net, doc.currency)
    _cac(line, "Item")


def _amount(parent: ET.Element, name: str, value: Decimal, currency: str) -> None:
    _cbc(parent, name, amount_text(value)).set("currencyID", currency)


def _cac(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{CAC}}}{name}")


def _cbc(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CBC}}}{name}")
    element.text = text
    return element
