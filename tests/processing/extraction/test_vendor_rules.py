"""Vendor rules of PDF invoices: the footer's web address, row labels, legal notices and
buyer labels in es, it, pt, nl, de."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from tests.support.pages import Row, page_of


def vendor(*rows: object) -> str | None:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("vendorName")


def test_the_footers_https_www_address_names_the_seller_not_the_buyer() -> None:
    assert (
        vendor(
            [(800, "Tax Invoice")],
            [(80, "Analytica Beispiel GmbH"), (640, "Billing Contact:")],
            [(80, "Pfälzer Ufer 4"), (640, "Jane Doe")],
            [(80, "Germany"), (640, "jane@analytica.example")],
            Row([(60, "Kanguru Pty Ltd, Level 6, 341 George St, Sydney NSW 2000")], y=1540),
            Row([(60, "https://www.kanguru.example/contact")], y=1620),
        )
        == "Kanguru Pty Ltd"
    )


def test_a_table_rows_label_before_its_amount_is_no_vendor() -> None:
    # A last page of charges and the balance: nothing on it names a company.
    assert (
        vendor(
            [(100, "Verpackung und Versand"), (1000, "-500,00")],
            [(622, "Zahlbetrag"), (1000, "521,91")],
        )
        is None
    )


def test_a_name_in_a_column_beside_a_labelled_amount_is_still_a_name() -> None:
    assert (
        vendor(
            [(60, "Calendo LLC"), (760, "Invoice Amount— $144.00 (USD)")],
            [(60, "88 N Avondale Rd, #603")],
        )
        == "Calendo LLC"
    )


@pytest.mark.parametrize(
    "notice",
    [
        "Muster Werke. Société anonyme au capital de 10.000 EUROS",
        "Muster Software & Media GmbH  Sitz der Gesellschaft Berlin",
        "Kaufmann Elektro Geschäftsführer Hans Muster",
    ],
)
def test_a_legal_notice_sentence_is_no_name(notice: str) -> None:
    assert vendor(Row([(60, notice)], y=1640)) is None


@pytest.mark.parametrize(
    "label", ["Cobrar a", "Spett.le", "Faturado a", "Exmo.(s) Sr.(s)", "Factuur aan", "Herrn"]
)
def test_a_buyer_label_in_es_it_pt_nl_de_excludes_its_block(label: str) -> None:
    assert (
        vendor(
            "Rossi Forniture",
            "Via Roma 1",
            "20121 Milano",
            Row(label, y=500),
            "Acquirente Esempio S.p.A.",
            "Calle Mayor 5",
        )
        == "Rossi Forniture"
    )


def test_a_buyer_label_a_column_away_does_not_label_the_seller_on_its_line() -> None:
    # "Klant" heads the left column; the seller's letterhead sits on its line, far right.
    assert (
        vendor(
            [(60, "Klant"), (760, "Installatiebedrijf Jansen B.V.")],
            [(60, "Bakkerij De Molen B.V."), (760, "BTW NL812345678B01")],
            [(60, "Dorpsstraat 8, 3421 AB Oudewater")],
            [(60, "FACTUUR")],
        )
        == "Installatiebedrijf Jansen B.V."
    )


def test_a_buyer_label_right_before_a_name_still_labels_it() -> None:
    assert (
        vendor(
            [(60, "Kraxi Software GmbH")],
            [(60, "Bill to:"), (200, "Northwind Traders Inc.")],
            [(60, "INVOICE")],
        )
        == "Kraxi Software GmbH"
    )


def test_the_payee_of_checks_is_the_seller_over_a_logo() -> None:
    assert (
        vendor(
            Row([(60, "BLUE HARBOR")], height=60),
            [(60, "INVOICE")],
            [(60, "Bill to"), (600, "Lakeside Yacht Club")],
            [(600, "Total"), (1000, "$980.00")],
            [(60, "Make checks payable to Blue Harbor Marine Services LLC")],
        )
        == "Blue Harbor Marine Services LLC"
    )


@pytest.mark.parametrize("title", ["Your bill", "Ihre Rechnung", "Votre facture"])
def test_a_title_that_addresses_the_reader_is_no_vendor(title: str) -> None:
    assert (
        vendor(
            [(60, title), (800, "Skyline Mobile")],
            [(60, "Invoice number"), (400, "SM-0987654")],
            [(600, "Total"), (1000, "£60.00")],
        )
        == "Skyline Mobile"
    )


def test_a_vendor_label_with_a_name_beside_it_names_no_line_below() -> None:
    # "Name MRS TAN" is the customer's name on an order slip; the menu lines under it are
    # no vendor
    rows = (
        Row("SRI MELATI", height=32),
        "12 JALAN MAJU 3, 43000 KAJANG",
        "Order 8554 By 5586",
        "Name MRS TAN",
        "Pickup Time 13:29:55",
        "Qty Menu Price",
        "CWAH AOAI ADI 14.50",
        "Total 14.50",
    )
    assert vendor(*rows) == "SRI MELATI"


def test_a_pizza_shop_s_name_is_a_business_name() -> None:
    rows = (
        "TAX INVOICE",
        "PAPA JOES PIZZA",
        "GST REF NO 001694261248",
        "PAPA JOES PIZZA TAMAN MAJU",
        "30 , Jln Maju 7 Tmn Maju",
        "81300 Skudai Johor",
        "Sub Total 15.60",
        "Thank you for visiting",
        "Owned by",
        "Mamma Food Services Sdn Bhd",
    )
    assert vendor(*rows) == "PAPA JOES PIZZA"


def test_a_column_header_of_vendor_label_words_still_heads_its_column() -> None:
    rows = (
        [(60, "FACTURE N° : F-2024-0031")],
        [(60, "Date : 31/01/2024")],
        [(60, "SELLER TRADE NAME"), (700, "Adresse du Client")],
        [(60, "LE VENDEUR SOLEIL"), (700, "")],
        [(60, "12 rue des Lilas"), (700, "MAISON CLIENTE")],
        [(60, "75011 PARIS, FR"), (700, "4 avenue du Port")],
    )
    assert vendor(*rows) == "LE VENDEUR SOLEIL"
