"""A credit note stated with positive amounts (its title, or its e-invoice's document type,
says what it is) is followed from the page to the exports: the amount fields of the job's
invoice data carry ``creditNote``, UBL makes a CreditNote, CII type 381, CSV/JSON say
``documentType: credit_note``, also after a person corrected the total."""

from __future__ import annotations

from typing import Any

from lxml import etree

from ocr_gateway.exports import to_cii, to_ubl
from ocr_gateway.exports.tabular import row
from ocr_gateway.processing.corrections import apply_corrections
from ocr_gateway.processing.einvoice import parse_invoice_xml
from ocr_gateway.processing.lifecycle import assemble_invoice
from tests.exports.factories import complete_data, export_job, field
from tests.exports.schemas import assert_valid_cii, assert_valid_ubl
from tests.support.einvoices import Invoice, cii_xml, ubl_xml

UBL = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
CII = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def credited(**overrides: Any) -> dict[str, Any]:
    data = complete_data(**overrides)
    for name in ("total", "subtotal", "tax"):
        data[name] = {**data[name], "creditNote": True}
    return data


def test_a_credit_note_with_positive_amounts_makes_a_ubl_credit_note() -> None:
    root = assert_valid_ubl(to_ubl(export_job(credited())))
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=UBL) == "381"
    payable = root.findtext("{*}LegalMonetaryTotal/cbc:PayableAmount", namespaces=UBL)
    assert payable == "1190.00"


def test_a_credit_note_with_positive_amounts_makes_cii_type_381() -> None:
    _profile, root = assert_valid_cii(to_cii(export_job(credited())))
    assert root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=CII) == "381"
    grand = root.findtext(".//ram:GrandTotalAmount", namespaces=CII)
    assert grand == "1190.00"


def test_the_tables_say_which_rows_are_credit_notes() -> None:
    assert row(export_job(credited()), ["total"])["documentType"] == "credit_note"
    assert row(export_job(), ["total"])["documentType"] == "invoice"
    negative = complete_data(total=field("-119.00"), subtotal=field("-100.00"), tax=field("-19.00"))
    assert row(export_job(negative), ["total"])["documentType"] == "credit_note"


def test_a_corrected_total_keeps_the_document_a_credit_note() -> None:
    correction = {
        "field": "total",
        "type": "amount",
        "value": "1190.00",
        "normalizedValue": "1190.00",
        "correctedBy": "ap-clerk",
        "correctedAt": "2026-12-02T06:00:00+00:00",
    }
    data = apply_corrections(credited(), [correction])
    data["subtotal"] = {k: v for k, v in data["subtotal"].items() if k != "creditNote"}
    data["tax"] = {k: v for k, v in data["tax"].items() if k != "creditNote"}
    assert export_job(data).credit_note  # from what extraction said, under ``extracted``


def test_an_embedded_e_invoice_of_a_credit_note_type_is_one() -> None:
    credit = parse_invoice_xml(cii_xml(Invoice(), type_code="381"))
    invoice = parse_invoice_xml(cii_xml(Invoice()))
    assert credit is not None
    assert credit.credit_note
    assert invoice is not None
    assert not invoice.credit_note
    ubl = parse_invoice_xml(ubl_xml(Invoice()))
    assert ubl is not None
    assert not ubl.credit_note
    assert credit.to_dict()["creditNote"] is True


class StoredPage:
    def __init__(self, number: int, extracted: dict[str, Any]) -> None:
        self.page_number = number
        self.extracted_fields = extracted
        self.id = f"page{number}"


def test_the_job_of_a_page_titled_a_credit_note_marks_its_amounts() -> None:
    fields = {
        "total": field("119.00"),
        "subtotal": field("100.00"),
        "tax": field("19.00"),
        "invoiceNumber": field("AV-7"),
    }
    warning = {"field": "total", "code": "credit_note", "message": "titled as a credit note"}
    pages = [StoredPage(1, {"fields": fields, "warnings": [warning]})]
    data = assemble_invoice(pages, review_threshold=0.5)  # type: ignore[arg-type]
    assert {name for name, entry in data.items() if entry.get("creditNote")} == {
        "total",
        "subtotal",
        "tax",
    }
    plain = assemble_invoice([StoredPage(1, {"fields": fields})], review_threshold=0.5)  # type: ignore[list-item]
    assert not any(entry.get("creditNote") for entry in plain.values())
