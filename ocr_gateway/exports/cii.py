"""UN/CEFACT Cross Industry Invoice (CII D16B), as Factur-X 1.0 / ZUGFeRD 2 read it.

The profile follows what the job's data carry (``GuidelineSpecifiedDocumentContextParameter``):

    BASIC WL  urn:factur-x.eu:1p0:basicwl  a positive tax amount with the net amount and
              total it adds up to: the VAT breakdown (one ``ApplicableTradeTax``, category
              S, "standard rated", the only category a positive VAT amount can be), the
              due date when printed
    MINIMUM   urn:factur-x.eu:1p0:minimum  otherwise: number, dates, parties, currency,
              net amount, tax (when printed), total

Both need the seller's and the buyer's names (EN 16931 BR-6 and BR-7; MINIMUM's schema
requires them): vendorName, and buyerName or the group's ``metadata.buyer.name``. A
negative total makes a credit note (type code 381) with the amounts shown positive. Dates
are written in format 102 (YYYYMMDD); the payable amount is the total (nothing prepaid is
read off the documents).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ocr_gateway.exports.record import (
    ExportJob,
    InvoiceDocument,
    Party,
    amount_text,
    invoice_document,
)

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
MINIMUM = "urn:factur-x.eu:1p0:minimum"
BASIC_WL = "urn:factur-x.eu:1p0:basicwl"
PROFILE_NAMES = {MINIMUM: "MINIMUM", BASIC_WL: "BASIC WL"}
INVOICE, CREDIT_NOTE = "380", "381"

for _prefix, _uri in (("rsm", RSM), ("ram", RAM), ("udt", UDT), ("qdt", QDT)):
    ET.register_namespace(_prefix, _uri)


def profile_of(doc: InvoiceDocument) -> str:
    """The richest Factur-X profile the document's fields fill (see the module docstring)."""
    return BASIC_WL if doc.tax is not None and doc.tax > 0 else MINIMUM


def to_cii(job: ExportJob) -> bytes:
    """The job as a Factur-X CII document (UTF-8 XML), or ``ExportIncomplete``."""
    doc = invoice_document(job, "CII (Factur-X)", parties_required=True)
    profile = profile_of(doc)
    root = ET.Element(f"{{{RSM}}}CrossIndustryInvoice")
    context = ET.SubElement(root, f"{{{RSM}}}ExchangedDocumentContext")
    _ram(_ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID", profile)
    _document(ET.SubElement(root, f"{{{RSM}}}ExchangedDocument"), doc)
    transaction = ET.SubElement(root, f"{{{RSM}}}SupplyChainTradeTransaction")
    agreement = _ram(transaction, "ApplicableHeaderTradeAgreement")
    _party(_ram(agreement, "SellerTradeParty"), doc.seller)
    _party(_ram(agreement, "BuyerTradeParty"), doc.buyer)
    _ram(transaction, "ApplicableHeaderTradeDelivery")
    _settlement(_ram(transaction, "ApplicableHeaderTradeSettlement"), doc, profile)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _document(parent: ET.Element, doc: InvoiceDocument) -> None:
    _ram(parent, "ID", doc.number)
    _ram(parent, "TypeCode", CREDIT_NOTE if doc.credit else INVOICE)
    _date(_ram(parent, "IssueDateTime"), doc.issue_date.strftime("%Y%m%d"))


def _party(parent: ET.Element, party: Party | None) -> None:
    # invoice_document made sure both parties have a name
    assert party is not None
    assert party.name is not None
    _ram(parent, "Name", party.name)
    if party.country:
        _ram(_ram(parent, "PostalTradeAddress"), "CountryID", party.country)
    if party.vat_id:
        _ram(_ram(parent, "SpecifiedTaxRegistration"), "ID", party.vat_id).set("schemeID", "VA")


def _settlement(parent: ET.Element, doc: InvoiceDocument, profile: str) -> None:
    _ram(parent, "InvoiceCurrencyCode", doc.currency)
    if profile == BASIC_WL:
        assert doc.tax is not None
        tax = _ram(parent, "ApplicableTradeTax")
        _ram(tax, "CalculatedAmount", amount_text(doc.tax))
        _ram(tax, "TypeCode", "VAT")
        _ram(tax, "BasisAmount", amount_text(doc.net))
        _ram(tax, "CategoryCode", "S")
        if doc.due_date is not None:
            terms = _ram(parent, "SpecifiedTradePaymentTerms")
            _date(_ram(terms, "DueDateDateTime"), doc.due_date.strftime("%Y%m%d"))
    _summation(_ram(parent, "SpecifiedTradeSettlementHeaderMonetarySummation"), doc, profile)


def _summation(parent: ET.Element, doc: InvoiceDocument, profile: str) -> None:
    if profile == BASIC_WL:
        _ram(parent, "LineTotalAmount", amount_text(doc.net))
    _ram(parent, "TaxBasisTotalAmount", amount_text(doc.net))
    if doc.tax is not None:
        _ram(parent, "TaxTotalAmount", amount_text(doc.tax)).set("currencyID", doc.currency)
    _ram(parent, "GrandTotalAmount", amount_text(doc.total))
    _ram(parent, "DuePayableAmount", amount_text(doc.total))


def _date(parent: ET.Element, yyyymmdd: str) -> None:
    element = ET.SubElement(parent, f"{{{UDT}}}DateTimeString", format="102")
    element.text = yyyymmdd


def _ram(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{RAM}}}{name}")
    if text is not None:
        element.text = text
    return element
