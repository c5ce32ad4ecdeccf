"""UBL 2.1 export: valid against the OASIS schemas, carrying only what the job's data say."""

from __future__ import annotations

import pytest
from lxml import etree

from ocr_gateway.exports import ExportIncomplete, Party
from ocr_gateway.exports.ubl import to_ubl
from tests.exports.factories import complete_data, export_job, field
from tests.exports.schemas import assert_valid_ubl

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def text(root: etree._Element, path: str) -> str | None:
    found = root.find(path, NS)
    return None if found is None else found.text


def test_a_complete_invoice_is_valid_ubl_with_every_field() -> None:
    root = assert_valid_ubl(to_ubl(export_job()))
    assert etree.QName(root).localname == "Invoice"
    assert text(root, "cbc:ID") == "RE-2024-0042"
    assert text(root, "cbc:IssueDate") == "2024-01-31"
    assert text(root, "cbc:DueDate") == "2024-02-29"
    assert text(root, "cbc:InvoiceTypeCode") == "380"
    assert text(root, "cbc:DocumentCurrencyCode") == "EUR"
    supplier = "cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name"
    assert text(root, supplier) == "Müller & Söhne GmbH"
    customer = "cac:AccountingCustomerParty/cac:Party/"
    assert text(root, customer + "cac:PartyName/cbc:Name") == "Acme Buying Ltd"
    assert text(root, customer + "cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "GB"
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "190.00"
    totals = "cac:LegalMonetaryTotal/cbc:"
    assert text(root, totals + "TaxExclusiveAmount") == "1000.00"
    assert text(root, totals + "TaxInclusiveAmount") == "1190.00"
    assert text(root, totals + "PayableAmount") == "1190.00"
    amounts = root.findall(".//*[@currencyID]")
    assert {a.get("currencyID") for a in amounts} == {"EUR"}


def test_no_peppol_customization_is_claimed() -> None:
    root = assert_valid_ubl(to_ubl(export_job()))
    assert root.find("cbc:CustomizationID", NS) is None
    assert root.find("cbc:ProfileID", NS) is None


def test_fields_the_document_did_not_provide_are_left_out() -> None:
    data = complete_data(dueDate=None, tax=None, vendorName=None)
    root = assert_valid_ubl(to_ubl(export_job(data, buyer=None)))
    assert root.find("cbc:DueDate", NS) is None
    assert root.find("cac:TaxTotal", NS) is None
    assert root.find("cac:AccountingSupplierParty/cac:Party", NS) is None
    assert root.find("cac:AccountingCustomerParty/cac:Party", NS) is None
    assert text(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == "1000.00"


def test_the_net_amount_is_derived_from_total_and_tax_when_not_printed() -> None:
    root = assert_valid_ubl(to_ubl(export_job(complete_data(subtotal=None))))
    assert text(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount") == "1000.00"
    assert text(root, "cac:InvoiceLine/cbc:LineExtensionAmount") == "1000.00"


def test_missing_required_fields_are_all_named_and_no_xml_is_made() -> None:
    data = complete_data(
        invoiceNumber=None, invoiceDate=None, currency=None, subtotal=None, tax=None
    )
    with pytest.raises(ExportIncomplete) as caught:
        to_ubl(export_job(data))
    named = {p.field for p in caught.value.problems}
    assert named == {"invoiceNumber", "invoiceDate", "currency", "subtotal"}
    assert "UBL 2.1" in caught.value.message
    assert caught.value.extensions["code"] == "BAD_USER_INPUT"


def test_unreadable_values_are_refused_with_the_field_named() -> None:
    data = complete_data(invoiceDate=field("31/02/2024", "2024-02-31"), currency=field("Euro"))
    with pytest.raises(ExportIncomplete) as caught:
        to_ubl(export_job(data))
    messages = {p.field: p.message for p in caught.value.problems}
    assert "is not a date" in messages["invoiceDate"]
    assert "ISO 4217" in messages["currency"]


def test_totals_that_do_not_add_up_are_refused() -> None:
    with pytest.raises(ExportIncomplete, match=r"subtotal 1000.00 \+ tax 190.00 is not the total"):
        to_ubl(export_job(complete_data(total=field("1200.00"))))


@pytest.mark.parametrize(
    ("key", "total", "why"),
    [
        ("withheld", "1000.00", r"less 190.00 withheld at source, which an EN 16931"),
        ("surcharge", "1200.00", r"plus a tip or service charge of 10.00"),
    ],
)
def test_a_total_after_a_withholding_or_a_tip_is_refused_saying_so(
    key: str, total: str, why: str
) -> None:
    amount = "190.00" if key == "withheld" else "10.00"
    data = complete_data(total={**field(total), key: amount})
    with pytest.raises(ExportIncomplete, match=why):
        to_ubl(export_job(data))


def test_a_negative_total_makes_a_valid_credit_note_with_positive_amounts() -> None:
    data = complete_data(total=field("-119.00"), subtotal=field("-100.00"), tax=field("-19.00"))
    root = assert_valid_ubl(to_ubl(export_job(data)))
    assert etree.QName(root).localname == "CreditNote"
    assert text(root, "cbc:CreditNoteTypeCode") == "381"
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == "119.00"
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "19.00"
    assert text(root, "cac:CreditNoteLine/cbc:LineExtensionAmount") == "100.00"


def test_an_invoice_after_a_credit_note_is_an_invoice_again() -> None:
    credit = complete_data(total=field("-119.00"), subtotal=field("-100.00"), tax=field("-19.00"))
    to_ubl(export_job(credit))
    root = assert_valid_ubl(to_ubl(export_job()))
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"


def test_non_ascii_and_markup_in_names_survive_as_text() -> None:
    vendor = field("Société Générale <Paris> & Fils — 東京")
    data = complete_data(vendorName=vendor, vendorVatId=field("FR40303265045"))
    root = assert_valid_ubl(to_ubl(export_job(data, buyer=Party("Ørsted A/S", "DK", "DK36213728"))))
    party = "cac:AccountingSupplierParty/cac:Party/"
    assert text(root, party + "cac:PartyName/cbc:Name") == "Société Générale <Paris> & Fils — 東京"
    assert text(root, party + "cac:PartyTaxScheme/cbc:CompanyID") == "FR40303265045"
    buyer = "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
    assert text(root, buyer) == "DK36213728"


def test_control_characters_are_refused_not_written() -> None:
    with pytest.raises(ExportIncomplete, match="control characters") as caught:
        to_ubl(export_job(complete_data(vendorName=field("ACME\x01 Ltd"))))
    assert [p.field for p in caught.value.problems] == ["vendorName"]


def test_whole_amounts_get_two_decimals() -> None:
    data = complete_data(total=field("119"), subtotal=field("100"), tax=field("19"))
    root = assert_valid_ubl(to_ubl(export_job(data)))
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == "119.00"
