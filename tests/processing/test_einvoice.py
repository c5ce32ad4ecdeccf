"""Embedded e-invoices: CII and UBL read exactly, unsafe XML refused, XML set beside print."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ocr_gateway.processing.einvoice import (
    EInvoiceError,
    embedded_job_invoice,
    find_embedded,
    parse_invoice_xml,
    reconcile,
)
from ocr_gateway.processing.pdf import open_pdf
from tests.support.einvoices import Invoice, attach, cii_xml, printed_items, ubl_xml
from tests.support.pdfs import text_pdf

EXPECTED = {
    "invoiceNumber": "FX-2026-0042",
    "invoiceDate": "2026-03-14",
    "dueDate": "2026-04-13",
    "vendorName": "Boulangerie Martin SARL",
    "currency": "EUR",
    "subtotal": "100.00",
    "tax": "20.00",
    "total": "120.00",
}
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:x">&lol3;</rsm:CrossIndustryInvoice>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&secret;</Invoice>"""


def values(xml: bytes) -> dict[str, str | None]:
    found = parse_invoice_xml(xml)
    assert found is not None
    return {name: f.normalized_value for name, f in found.fields.items()}


def test_cii_fields_are_read_exactly_in_the_invoice_currency() -> None:
    assert values(cii_xml()) == EXPECTED


def test_ubl_fields_are_read_exactly() -> None:
    assert values(ubl_xml()) == EXPECTED


def test_every_embedded_field_is_exact() -> None:
    found = parse_invoice_xml(cii_xml())
    assert found is not None
    assert {f.method for f in found.fields.values()} == {"embedded_xml"}
    assert {f.confidence for f in found.fields.values()} == {1.0}
    assert found.fields["total"].value == "120.00"


def test_amounts_keep_their_printed_precision_in_value() -> None:
    invoice = replace(Invoice(), net="1234.5", tax="246.9", gross="1481.4")
    assert values(cii_xml(invoice))["total"] == "1481.40"


def test_the_e_invoice_is_found_among_other_attachments_in_a_pdf() -> None:
    pdf = text_pdf([printed_items()])
    pdf = attach(pdf, "delivery-note.pdf", pdf)
    pdf = attach(pdf, "factur-x.xml", cii_xml())
    with open_pdf(pdf) as document:
        found = find_embedded(document.attachments(), max_bytes=1 << 20)
    assert found is not None
    assert (found.name, found.syntax) == ("factur-x.xml", "cii")


def test_xml_that_is_no_invoice_is_ignored() -> None:
    assert parse_invoice_xml(b"<?xml version='1.0'?><order><id>1</id></order>") is None


@pytest.mark.parametrize(("xml", "word"), [(BILLION_LAUGHS, "entities"), (XXE, "entities")])
def test_entities_are_refused_not_expanded(xml: bytes, word: str) -> None:
    with pytest.raises(EInvoiceError, match=word):
        parse_invoice_xml(xml)


def test_an_xml_over_the_size_cap_is_refused() -> None:
    with pytest.raises(EInvoiceError, match="more than 1024"):
        find_embedded([("factur-x.xml", cii_xml())], max_bytes=1024)


def test_malformed_xml_is_an_error() -> None:
    with pytest.raises(EInvoiceError, match="not well-formed"):
        parse_invoice_xml(b"<rsm:CrossIndustryInvoice><unclosed>")


def field(value: str, page: int = 1) -> dict[str, object]:
    return {"value": value, "normalizedValue": value, "confidence": 0.8, "page": page}


def test_a_disagreement_is_reported_and_the_field_marked_for_review() -> None:
    xml = {"total": {**field("120.00"), "confidence": 1.0, "method": "embedded_xml"}}
    printed = {"total": field("210.00", page=2), "tax": field("20.00")}
    fields, discrepancies = reconcile(xml, printed)
    assert fields["total"]["normalizedValue"] == "120.00"
    assert fields["total"]["needsReview"] is True
    assert fields["tax"] == printed["tax"]
    assert discrepancies == [
        {"field": "total", "xmlValue": "120.00", "printedValue": "210.00", "printedPage": 2}
    ]


def test_equal_values_in_other_spellings_are_no_discrepancy() -> None:
    xml = {"total": field("120.00"), "vendorName": field("ACME  GmbH")}
    printed = {"total": field("120.0"), "vendorName": field("Acme GmbH")}
    assert reconcile(xml, printed)[1] == []


class StoredPage:
    def __init__(self, number: int, extracted: dict[str, object]) -> None:
        self.id = f"page{number}"
        self.page_number = number
        self.extracted_fields = extracted


def test_the_job_compares_the_xml_with_the_print_of_every_page() -> None:
    xml_fields = {"total": {**field("120.00"), "method": "embedded_xml", "confidence": 1.0}}
    first = StoredPage(
        1,
        {
            "fields": xml_fields,
            "printedFields": {"invoiceNumber": field("A-1")},
            "embedded": {"fields": xml_fields},
        },
    )
    last = StoredPage(2, {"fields": {"total": field("121.00", page=2)}})
    result = embedded_job_invoice([first, last])
    assert result is not None
    fields, discrepancies = result
    assert fields["invoiceNumber"]["normalizedValue"] == "A-1"
    assert fields["total"]["normalizedValue"] == "120.00"
    assert (fields["total"]["page"], fields["total"]["pageId"]) == (1, "page1")
    assert discrepancies == [
        {"field": "total", "xmlValue": "120.00", "printedValue": "121.00", "printedPage": 2}
    ]


def test_a_job_without_an_e_invoice_is_assembled_as_usual() -> None:
    assert embedded_job_invoice([StoredPage(1, {"fields": {"total": field("1.00")}})]) is None
