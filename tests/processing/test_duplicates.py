"""The duplicate-invoice rules: what is normalised away, what makes two invoices one."""

from __future__ import annotations

from typing import Any

import pytest

from ocr_gateway.processing.duplicates import (
    DuplicateKeys,
    keys_of,
    matches,
    normalize_date,
    normalize_number,
    normalize_total,
    normalize_vendor,
)


def invoice(**fields: str | None) -> dict[str, Any]:
    """Invoice data as a job stores it: field -> {value, normalizedValue, ...}."""
    return {
        name: {"name": name, "value": value, "normalizedValue": value, "confidence": 0.9}
        for name, value in fields.items()
    }


ACME = invoice(
    vendorName="ACME Trading GmbH",
    invoiceNumber="INV-2024/001",
    invoiceDate="2024-03-01",
    total="1005.50",
    currency="EUR",
)


def same(first: DuplicateKeys, second: DuplicateKeys) -> bool:
    return matches(first, second)


@pytest.mark.parametrize(
    ("printed", "folded"),
    [
        ("INV-2024/001", "inv2024001"),
        ("inv 2024 001", "inv2024001"),
        ("#INV2024001", "inv2024001"),
        ("Nr. 0042", "nr0042"),
        ("FA_2017.0010", "fa20170010"),
        ("\uff29\uff4e\uff56\uff0d\uff17", "inv7"),  # full-width forms
    ],
)
def test_invoice_numbers_ignore_case_spaces_and_punctuation(printed: str, folded: str) -> None:
    assert normalize_number(printed) == folded


def test_invoice_numbers_keep_every_digit() -> None:
    assert normalize_number("INV-0042") != normalize_number("INV-42")
    assert normalize_number("2024-001") != normalize_number("2024-0010")


@pytest.mark.parametrize("printed", ["INVOICE", "n/a", "---", "", None])
def test_a_number_without_a_digit_is_no_number(printed: str | None) -> None:
    assert normalize_number(printed) is None


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("ACME Trading GmbH", "acmetrading"),
        ("Acme-Trading", "acmetrading"),
        ("Müller GmbH & Co. KG", "muller"),
        ("MULLER", "muller"),
        ("Straße Bau AG", "strassebau"),
        ("Boulangerie Martin S.A.R.L.", "boulangeriemartin"),
        ("Boulangerie Martin SARL", "boulangeriemartin"),
        ("Société Générale S.A.", "societegenerale"),
        ("Northwind Traders Ltd.", "northwindtraders"),
        ("Northwind Traders Limited", "northwindtraders"),
        ("Kedai Runcit Ah Seng Sdn. Bhd.", "kedairuncitahseng"),
        ("Lion Foods Pte Ltd", "lionfoods"),
        ("Globex Inc", "globex"),
        ("Globex, Incorporated", "globex"),
        ("Van Dijk Installatietechniek B.V.", "vandijkinstallatietechniek"),
        ("Ferramenta Rossi S.r.l.", "ferramentarossi"),
        ("Distribuciones López S.L.", "distribucioneslopez"),
        ("Padaria Lisboa Lda", "padarialisboa"),
        ("Nordic Ventures AB", "nordicventures"),
        ("Kowalski Sp. z o.o.", "kowalski"),
        ("McDonald's", "mcdonalds"),
    ],
)
def test_vendors_fold_case_accents_punctuation_and_legal_forms(name: str, folded: str) -> None:
    assert normalize_vendor(name) == folded


@pytest.mark.parametrize(("name", "folded"), [("SA", "sa"), ("GmbH", "gmbh"), ("Co", "co")])
def test_a_name_that_is_only_a_legal_form_is_kept(name: str, folded: str) -> None:
    assert normalize_vendor(name) == folded


def test_different_vendors_stay_different() -> None:
    assert normalize_vendor("ACME Trading GmbH") != normalize_vendor("ACME Logistics GmbH")


@pytest.mark.parametrize("name", ["", "  ", "---", None])
def test_a_blank_vendor_is_no_vendor(name: str | None) -> None:
    assert normalize_vendor(name) is None


def test_dates_compare_as_dates_and_garbage_is_none() -> None:
    assert normalize_date("2024-03-01") == "2024-03-01"
    assert normalize_date("2024-02-30") is None
    assert normalize_date("01/03/2024") is None


@pytest.mark.parametrize(
    ("value", "canonical"),
    [("105.50", "105.5"), ("105.5", "105.5"), ("100.00", "100"), ("-12", "-12")],
)
def test_totals_compare_as_decimals(value: str, canonical: str) -> None:
    assert normalize_total(value) == canonical


@pytest.mark.parametrize("value", ["0.00", "abc", "NaN", None])
def test_a_zero_or_unreadable_total_proves_nothing(value: str | None) -> None:
    assert normalize_total(value) is None


def test_the_same_vendor_and_number_match_however_printed() -> None:
    rescan = invoice(vendorName="Acme-Trading", invoiceNumber="inv 2024 001", total="999.00")
    assert same(keys_of(rescan), keys_of(ACME))


def test_the_same_vendor_date_and_total_match_without_a_number() -> None:
    other = invoice(vendorName="ACME TRADING", invoiceDate="2024-03-01", total="1005.5")
    assert same(keys_of(other), keys_of(ACME))


def test_the_same_number_from_another_vendor_is_no_match() -> None:
    other = invoice(vendorName="Globex Inc", invoiceNumber="INV-2024/001", total="1005.50")
    assert not same(keys_of(other), keys_of(ACME))


def test_a_different_currency_is_no_match_on_the_total() -> None:
    usd = invoice(
        vendorName="ACME Trading", invoiceDate="2024-03-01", total="1005.50", currency="USD"
    )
    assert not same(keys_of(usd), keys_of(ACME))
    unknown = invoice(vendorName="ACME Trading", invoiceDate="2024-03-01", total="1005.50")
    assert same(keys_of(unknown), keys_of(ACME))  # one side without a currency: may be one


def test_a_different_date_or_total_is_no_match_without_the_number() -> None:
    later = invoice(vendorName="ACME Trading", invoiceDate="2024-04-01", total="1005.50")
    more = invoice(vendorName="ACME Trading", invoiceDate="2024-03-01", total="1005.51")
    assert not same(keys_of(later), keys_of(ACME))
    assert not same(keys_of(more), keys_of(ACME))


def test_without_a_vendor_the_number_alone_never_matches() -> None:
    first = keys_of(invoice(invoiceNumber="1001"))
    second = keys_of(invoice(invoiceNumber="1001"))
    assert first == DuplicateKeys(None, None, None)
    assert not same(first, second)
    with_total = invoice(invoiceNumber="1001", total="49.00")
    assert keys_of(with_total).keys == ()  # nor number + total: round fees recur


def test_without_a_vendor_number_date_and_total_match() -> None:
    receipt = invoice(invoiceNumber="R-1001", invoiceDate="2024-03-01", total="27.35")
    again = invoice(
        invoiceNumber="r 1001", invoiceDate="2024-03-01", total="27.350", currency="MYR"
    )
    assert same(keys_of(again), keys_of(receipt))
    in_usd = invoice(
        invoiceNumber="R-1001", invoiceDate="2024-03-01", total="27.35", currency="USD"
    )
    assert not same(keys_of(in_usd), keys_of(again))


def test_a_corrected_field_is_read_like_an_extracted_one() -> None:
    data = {
        **ACME,
        "invoiceNumber": {
            "value": "INV-2024/002",
            "normalizedValue": "INV-2024/002",
            "method": "manual",
            "extracted": ACME["invoiceNumber"],
        },
    }
    assert keys_of(data).number == "v:acmetrading|n:inv2024002"


def test_a_field_corrected_to_nothing_has_no_value() -> None:
    data = {**ACME, "vendorName": {"value": None, "normalizedValue": None, "method": "manual"}}
    keys = keys_of(data)
    assert keys.number == "n:inv2024001|d:2024-03-01|t:1005.5"  # the keys of no vendor
    assert keys.amount is None


def test_a_vendors_number_on_another_day_with_another_total_is_another_invoice() -> None:
    # A company registration number printed on every receipt, read as the invoice number.
    monday = invoice(
        vendorName="Popular Shop", invoiceNumber="113825-W", invoiceDate="2024-03-04", total="9.90"
    )
    tuesday = invoice(
        vendorName="Popular Shop", invoiceNumber="113825-W", invoiceDate="2024-03-05", total="30.10"
    )
    assert not same(keys_of(tuesday), keys_of(monday))


@pytest.mark.parametrize(
    ("day", "total"), [("2024-03-01", "1105.50"), ("2024-04-01", "1005.50"), (None, "1.00")]
)
def test_a_resent_invoice_keeping_its_date_or_its_total_still_matches(
    day: str | None, total: str
) -> None:
    resent = invoice(
        vendorName="ACME Trading", invoiceNumber="INV 2024 001", invoiceDate=day, total=total
    )
    assert same(keys_of(resent), keys_of(ACME))
    assert same(keys_of(ACME), keys_of(resent))
