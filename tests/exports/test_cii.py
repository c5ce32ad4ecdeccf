"""CII (Factur-X) export: valid against the Factur-X schemas of the profile it names."""

from __future__ import annotations

import pytest
from lxml import etree

from ocr_gateway.exports import ExportIncomplete, Party
from ocr_gateway.exports.cii import BASIC_WL, MINIMUM, to_cii
from tests.exports.factories import complete_data, export_job, field
from tests.exports.schemas import CII, assert_valid, assert_valid_cii, schema

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
SUMS = SETTLEMENT + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/"


def text(root: etree._Element, path: str) -> str | None:
    found = root.find(path, NS)
    return None if found is None else found.text


def test_a_complete_invoice_with_vat_is_basic_wl() -> None:
    profile, root = assert_valid_cii(to_cii(export_job()))
    assert profile == BASIC_WL
    assert text(root, "rsm:ExchangedDocument/ram:ID") == "RE-2024-0042"
    assert text(root, "rsm:ExchangedDocument/ram:TypeCode") == "380"
    issued = root.find("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", NS)
    assert issued is not None
    assert (issued.text, issued.get("format")) == ("20240131", "102")
    assert text(root, AGREEMENT + "ram:SellerTradeParty/ram:Name") == "Müller & Söhne GmbH"
    assert text(root, AGREEMENT + "ram:BuyerTradeParty/ram:Name") == "Acme Buying Ltd"
    assert text(root, SETTLEMENT + "ram:InvoiceCurrencyCode") == "EUR"
    assert text(root, SETTLEMENT + "ram:ApplicableTradeTax/ram:CalculatedAmount") == "190.00"
    due = SETTLEMENT + "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"
    assert text(root, due) == "20240229"
    assert text(root, SUMS + "TaxBasisTotalAmount") == "1000.00"
    assert text(root, SUMS + "GrandTotalAmount") == "1190.00"
    assert text(root, SUMS + "DuePayableAmount") == "1190.00"


def test_a_zero_tax_stays_minimum() -> None:
    # No VAT category can be told from a zero tax (exempt, zero-rated, reverse charge...).
    data = complete_data(tax=field("0.00"), total=field("1000.00"))
    profile, root = assert_valid_cii(to_cii(export_job(data)))
    assert profile == MINIMUM
    assert text(root, SUMS + "TaxTotalAmount") == "0.00"


def test_without_a_tax_amount_it_is_minimum_and_leaves_tax_and_due_date_out() -> None:
    data = complete_data(tax=None, total=field("1000.00"))
    profile, root = assert_valid_cii(to_cii(export_job(data)))
    assert profile == MINIMUM
    assert root.find(SUMS + "TaxTotalAmount", NS) is None
    assert root.find(SETTLEMENT + "ram:SpecifiedTradePaymentTerms", NS) is None
    assert text(root, SUMS + "TaxBasisTotalAmount") == "1000.00"


def test_minimum_is_refused_by_the_basic_wl_schema_so_the_profile_matters() -> None:
    data = complete_data(tax=None, total=field("1000.00"))
    document = to_cii(export_job(data))
    root = etree.fromstring(document)
    assert not schema(CII[BASIC_WL]).validate(root)
    assert_valid(CII[MINIMUM], document)


def test_the_buyer_comes_from_the_document_before_the_group() -> None:
    data = complete_data(buyerName=field("Käufer GmbH"), buyerVatId=field("DE123456789"))
    _profile, root = assert_valid_cii(to_cii(export_job(data)))
    assert text(root, AGREEMENT + "ram:BuyerTradeParty/ram:Name") == "Käufer GmbH"
    vat = root.find(AGREEMENT + "ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", NS)
    assert vat is not None
    assert (vat.text, vat.get("schemeID")) == ("DE123456789", "VA")


def test_seller_and_buyer_names_are_required() -> None:
    with pytest.raises(ExportIncomplete) as caught:
        to_cii(export_job(complete_data(vendorName=None), buyer=None))
    named = {p.field: p.message for p in caught.value.problems}
    assert set(named) == {"vendorName", "buyerName"}
    assert "metadata.buyer.name" in named["buyerName"]


def test_a_group_buyer_without_a_name_does_not_count() -> None:
    with pytest.raises(ExportIncomplete, match="buyerName"):
        to_cii(export_job(buyer=Party(None, "DE", "DE123456789")))


def test_a_negative_total_is_a_credit_note_with_positive_amounts() -> None:
    data = complete_data(total=field("-59.50"), subtotal=field("-50.00"), tax=field("-9.50"))
    profile, root = assert_valid_cii(to_cii(export_job(data)))
    assert profile == BASIC_WL
    assert text(root, "rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert text(root, SUMS + "GrandTotalAmount") == "59.50"


def test_amounts_of_mixed_signs_are_refused() -> None:
    data = complete_data(total=field("-10.00"), subtotal=field("10.00"), tax=None)
    with pytest.raises(ExportIncomplete, match="signs disagree"):
        to_cii(export_job(data))
