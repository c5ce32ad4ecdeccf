"""A receipt's brand line over its legal name line, legal forms alone, a cut-off "SDN",
a registration number glued to the name."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.extraction.vendor_brand import (
    above_legal_name,
    before_registration,
    below_header,
    brand_over_name,
    completed,
    forms_only,
)
from tests.support.pages import Row, page_of

_ADDRESS = [
    "NO 12 JALAN MELATI 3",
    "43000 KAJANG SELANGOR",
    "TEL: 03-8734 1122",
    "TAX INVOICE",
    "DATE: 02/03/2018",
    "TOTAL 12.50",
]


def vendor(*rows: str) -> str | None:
    found = extract_fields(page_of([*rows, *_ADDRESS]), GENERIC_INVOICE_TEMPLATE).values()
    return found.get("vendorName")


def test_a_brand_above_a_legal_name_of_its_own_is_not_joined_to_it() -> None:
    assert vendor("KOPI DAUN", "MELATIMAX (M) SDN. BHD.", "(123456-A)") == (
        "MELATIMAX (M) SDN. BHD."
    )


def test_a_persons_name_above_the_shops_name_is_not_joined_to_it() -> None:
    assert vendor("LIM AH KOW", "SINARJAYA ENTERPRISE", "(JM0123456)") == "SINARJAYA ENTERPRISE"


def test_a_business_word_before_the_form_still_completes_the_line_above() -> None:
    assert vendor("NORTH SOUTHERN", "HARDWARE SDN. BHD", "(765432-K)") == (
        "NORTH SOUTHERN HARDWARE SDN. BHD"
    )


def test_an_ocr_fragment_before_the_form_still_completes_the_line_above() -> None:
    assert brand_over_name(["KEDAI BUKU", "CP. (M) SDN BHD"]) is False


def test_an_open_bracket_leads_into_the_line_below() -> None:
    assert brand_over_name(["ANGSANA HARDWARE (SETIA", "ALAM) SDN BHD"]) is False
    assert brand_over_name(["ANGSANA HARDWARE", "MELATIMAX SDN BHD"]) is True


def test_a_letterhead_in_mixed_case_is_left_to_the_other_rules() -> None:
    assert brand_over_name(["Muster Versand", "Kaufmax Handel GmbH"]) is False


def test_a_line_of_legal_forms_alone_is_no_vendor() -> None:
    assert forms_only(["BHD"])
    assert forms_only(["(M)", "SDN", "BHD"])
    assert not forms_only(["KEDAI", "BHD"])
    assert vendor("CASH RECEIPT", "BHD", "TERIMA KASIH") is None


def test_a_name_cut_after_sdn_gets_its_bhd_back() -> None:
    assert completed("CAHAYA HEALTH SDN") == "CAHAYA HEALTH SDN BHD"
    assert completed("CAHAYA HEALTH SDN BHD") == "CAHAYA HEALTH SDN BHD"
    assert completed("Sdn") == "Sdn"
    assert vendor("SIMPLIFIED TAX INVOICE", "ZZ FARMASI", "CAHAYA HEALTH SDN", "9988776-K") == (
        "CAHAYA HEALTH SDN BHD"
    )


def test_a_registration_number_glued_to_the_name_ends_it() -> None:
    assert before_registration("KEDAIKU RETAIL SB(306111-X) FKA OLD SHOPS SB") == (
        "KEDAIKU RETAIL SB"
    )
    assert before_registration("KEDAIKU RETAIL SB") == "KEDAIKU RETAIL SB"
    assert vendor("KEDAIKU RETAIL SB(306111-X) FKA OLD SHOPS SB") == "KEDAIKU RETAIL SB"


def test_a_shop_sign_above_the_legal_name_is_not_the_vendor() -> None:
    rows = [
        Row("MAJU MART", height=48),
        "PUTRAJAYA RESOURCES SDN BHD (383999-D)",
        *_ADDRESS,
    ]
    found = extract_fields(page_of(rows), GENERIC_INVOICE_TEMPLATE).values()
    assert found.get("vendorName") == "PUTRAJAYA RESOURCES SDN BHD"


def test_the_legal_name_below_wins_over_the_brand_of_the_footers_site() -> None:
    rows = [
        "KEDAIMAJU",
        "PUTRAJAYA RESOURCES SDN BHD (383999-D)",
        *_ADDRESS,
        *(f"ITEM {n} 1.00" for n in range(12)),
        Row("SHOP ONLINE AT WWW.KEDAIMAJU.COM.MY", y=1700),
    ]
    found = extract_fields(page_of(rows), GENERIC_INVOICE_TEMPLATE).values()
    assert found.get("vendorName") == "PUTRAJAYA RESOURCES SDN BHD"


def test_a_shop_name_above_a_weak_form_line_keeps_its_chance() -> None:
    weak = PageText.of(page_of(["KEDAIMAJU", "SINAR TRADING"]))
    strong = PageText.of(page_of(["KEDAIMAJU", "SINAR SDN BHD"]))
    assert above_legal_name(["KEDAIMAJU"], weak, 0) == 0.0
    assert above_legal_name(["KEDAIMAJU"], strong, 0) > 0.0


def test_a_line_that_starts_with_an_ampersand_goes_on_from_the_line_above() -> None:
    assert vendor("THE NOODLE HOUSE", "& DIM SUM (M) SDN. BHD.", "(445566-H)") == (
        "THE NOODLE HOUSE & DIM SUM (M) SDN. BHD."
    )


def test_a_company_below_the_receipts_header_and_title_is_the_customer() -> None:
    rows = [
        "KEDAI RUNCIT AH SENG",
        "NO 8 JALAN BUNGA 2",
        "81200 JOHOR BAHRU",
        "TEL : 07-355 1234",
        "SIMPLIFIED TAX INVOICE",
        "CAHAYA ENGINEERING (M) SDN BHD",
        "DATE: 02/03/2018",
        "TOTAL 12.50",
    ]
    found = extract_fields(page_of(rows), GENERIC_INVOICE_TEMPLATE).values()
    assert found.get("vendorName") == "KEDAI RUNCIT AH SENG"


def test_a_title_before_the_header_leaves_the_shop_below_it() -> None:
    page = PageText.of(page_of(["TAX INVOICE", "CAHAYA SDN BHD", "81200 JOHOR BAHRU", "TEL 07"]))
    assert below_header(page, 1) == 0.0
    headed = PageText.of(
        page_of(["AH SENG", "81200 JOHOR BAHRU", "TEL 07", "TAX INVOICE", "CAHAYA"])
    )
    assert below_header(headed, 4) > 0.0
