"""E-invoice XML written by the tests (CII as Factur-X / ZUGFeRD 2.x write it, UBL 2.1) and
attached to a PDF with PDFium, the way invoicing software embeds ``factur-x.xml``."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdfium2 as pdfium


@dataclass(frozen=True)
class Invoice:
    number: str = "FX-2026-0042"
    issued: str = "2026-03-14"
    due: str = "2026-04-13"
    seller: str = "Boulangerie Martin SARL"
    currency: str = "EUR"
    net: str = "100.00"
    tax: str = "20.00"
    gross: str = "120.00"


def cii_xml(
    invoice: Invoice = Invoice(), *, other_currency_tax: bool = True, type_code: str = "380"
) -> bytes:
    """A Factur-X (EN 16931) CrossIndustryInvoice. ``other_currency_tax`` adds a second
    TaxTotalAmount in another currency (BT-111), which must not be read as the tax."""
    day = invoice.issued.replace("-", "")
    due = invoice.due.replace("-", "")
    extra = '<ram:TaxTotalAmount currencyID="USD">999.99</ram:TaxTotalAmount>'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
  xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter>
      <ram:ID>urn:cen.eu:en16931:2017</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{invoice.number}</ram:ID>
    <ram:TypeCode>{type_code}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{day}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty><ram:Name>{invoice.seller}</ram:Name></ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Client Example SA</ram:Name></ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>{invoice.currency}</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime><udt:DateTimeString format="102">{due}</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{invoice.net}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>{invoice.net}</ram:TaxBasisTotalAmount>
        {extra if other_currency_tax else ""}
        <ram:TaxTotalAmount currencyID="{invoice.currency}">{invoice.tax}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{invoice.gross}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>{invoice.gross}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()


def ubl_xml(invoice: Invoice = Invoice()) -> bytes:
    """A UBL 2.1 Invoice (as XRechnung UBL or Peppol BIS write it)."""
    c = invoice.currency
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
  <cbc:ID>{invoice.number}</cbc:ID>
  <cbc:IssueDate>{invoice.issued}</cbc:IssueDate>
  <cbc:DueDate>{invoice.due}</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>{c}</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyName><cbc:Name>Trading name</cbc:Name></cac:PartyName>
    <cac:PartyLegalEntity><cbc:RegistrationName>{invoice.seller}</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>Buyer AG</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="{c}">{invoice.tax}</cbc:TaxAmount>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="{c}">{invoice.net}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="{c}">{invoice.net}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="{c}">{invoice.gross}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="{c}">{invoice.gross}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
</Invoice>
""".encode()


def attach(pdf: bytes, name: str, data: bytes) -> bytes:
    """``pdf`` with ``data`` embedded as the file ``name``."""
    document = pdfium.PdfDocument(pdf)
    try:
        document.new_attachment(name).set_data(data)
        out = io.BytesIO()
        document.save(out)
    finally:
        document.close()
    return out.getvalue()


def printed_items(invoice: Invoice = Invoice(), *, printed_total: str | None = None) -> list:
    """What a PDF page prints for ``invoice`` (English labels, the text_pdf item format);
    ``printed_total`` prints another gross total than the XML's."""
    return [
        (20, 20, invoice.seller, 16),
        (20, 35, "INVOICE", 14),
        (20, 50, f"Invoice Number: {invoice.number}", 11),
        (20, 58, f"Invoice Date: {invoice.issued}", 11),
        (20, 66, f"Due Date: {invoice.due}", 11),
        (20, 90, "Description", 11),
        (150, 90, "Amount", 11),
        (20, 100, "Consulting services", 11),
        (150, 100, f"{invoice.net} {invoice.currency}", 11),
        (110, 130, "Subtotal:", 11),
        (150, 130, f"{invoice.net} {invoice.currency}", 11),
        (110, 138, "Tax (20%):", 11),
        (150, 138, f"{invoice.tax} {invoice.currency}", 11),
        (110, 146, "Total:", 11),
        (150, 146, f"{printed_total or invoice.gross} {invoice.currency}", 11),
    ]
