"""A receipt's totals block read column by column (``column_pairs.py``): labels on lines of
their own, values on other lines, paired again where the receipt's arithmetic agrees."""

from __future__ import annotations

from decimal import Decimal

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.column_pairs import arithmetic, column_pairs
from ocr_gateway.processing.extraction.extract import _read_page
from ocr_gateway.processing.template import Template
from tests.support.pages import page_of

TEMPLATE = Template.from_dict(GENERIC_INVOICE_TEMPLATE)


def fields(*rows: str) -> dict[str, str]:
    found = extract_fields(page_of(list(rows)), TEMPLATE).values()
    return {k: str(v) for k, v in found.items()}


def pairs(*rows: str) -> dict[str, str]:
    """Each paired value's text and its label's phrase."""
    page = _read_page(page_of(list(rows)), TEMPLATE, ())
    paired = column_pairs(page.page, page.hits, page.amounts).labels
    by_key = {a.key: a.text for a in page.amounts}
    return {by_key[key]: hit.label.phrase for key, hit in paired.items()}


def D(text: str) -> Decimal:
    return Decimal(text)


def test_cash_less_change_equal_to_the_total_supports_an_alignment() -> None:
    assert arithmetic([("total", D("13.60")), ("tendered", D("20.00")), ("change", D("6.40"))]) == (
        2,
        0,
    )


def test_change_above_the_cash_contradicts_an_alignment() -> None:
    _, contradictions = arithmetic(
        [("total", D("6.40")), ("tendered", D("13.60")), ("change", D("20.00"))]
    )
    assert contradictions > 0


def test_a_rounding_adjustment_between_two_totals_supports_an_alignment() -> None:
    found = arithmetic([("total", D("13.58")), ("rounding", D("0.02")), ("rounding", D("13.60"))])
    assert found == (2, 0)


def test_net_plus_tax_equal_to_the_total_supports_an_alignment() -> None:
    assert arithmetic([("subtotal", D("9.25")), ("tax", D("0.74")), ("total", D("9.99"))]) == (2, 0)


def test_values_read_after_a_gst_summary_get_their_labels_back() -> None:
    rows = (
        "KEDAI RUNCIT MAJU",
        "TOTAL SALES (INCLUSIVE GST) RM",
        "ROUNDING ADJUSTMENT RM",
        "ROUNDING RM",
        "CASH RM",
        "CHANGE RM",
        "GST SUMMARY",
        "S = 6%",
        "12.25",
        "0.73",
        "THANK YOU",
        "12.98",
        ".02",
        "13.00",
        "20.00",
        "7.00",
    )
    assert fields(*rows)["total"] == "13.00"
    paired = pairs(*rows)
    assert paired["20.00"] == "cash"
    assert paired["7.00"] == "change"


def test_malay_jumlah_tunai_baki_read_as_two_columns() -> None:
    rows = (
        "KEDAI MAKAN SELERA",
        "JUMLAH",
        "TUNAI",
        "BAKI",
        ":",
        ":",
        ":",
        "23.50",
        "50.00",
        "26.50",
    )
    assert fields(*rows)["total"] == "23.50"
    assert pairs(*rows) == {"23.50": "jumlah", "50.00": "tunai", "26.50": "baki"}


def test_the_value_column_read_before_its_labels() -> None:
    rows = (
        "PASAR MINI SENTOSA",
        "2.33",
        "6.99",
        "16.31",
        "-0.01",
        "16.30",
        "17.00",
        "0.70",
        "TOTAL :",
        "ROUNDING ADJ :",
        "BALANCE DUE :",
        "PAYMENT (CASH) :",
        "CHANGE (CASH) :",
    )
    assert fields(*rows)["total"] == "16.30"
    assert pairs(*rows)["0.70"] == "change"


def test_a_value_column_holding_item_prices_first_is_aligned_at_its_end() -> None:
    rows = (
        "BURGER HOUSE",
        "TAKEOUT TOTAL",
        "CASH TENDERED",
        "CHANGE",
        "4.50",
        "3.20",
        "7.70",
        "10.00",
        "2.30",
    )
    assert fields(*rows)["total"] == "7.70"
    assert pairs(*rows) == {"7.70": "total", "10.00": "cash tendered", "2.30": "change"}


def test_a_pairing_the_arithmetic_contradicts_is_not_made() -> None:
    rows = (
        "KEDAI RUNCIT MAJU",
        "TOTAL",
        "CASH",
        "CHANGE",
        "GST SUMMARY",
        "S = 6%",
        "THANK YOU",
        "10.00",
        "5.00",
        "8.00",
    )
    assert pairs(*rows) == {}


def test_a_us_register_receipt_with_subtotal_tax_total_cash_change() -> None:
    rows = (
        "CORNER DELI",
        "SUBTOTAL",
        "SALES TAX",
        "TOTAL",
        "CASH",
        "CHANGE",
        "THANK YOU FOR SHOPPING",
        "$9.25",
        "$0.74",
        "$9.99",
        "$20.00",
        "$10.01",
    )
    found = fields(*rows)
    assert (found["subtotal"], found["tax"], found["total"]) == ("9.25", "0.74", "9.99")


def test_a_german_receipt_summe_bar_rueckgeld() -> None:
    rows = ("Bäckerei Sonnenschein", "SUMME", "BAR", "RÜCKGELD", "EUR", "12,40", "20,00", "7,60")
    assert fields(*rows)["total"] == "12.40"
    assert pairs(*rows)["7,60"] == "rückgeld"


def test_a_french_receipt_total_ttc_especes_rendu_after_the_vat_line() -> None:
    rows = (
        "Boulangerie du Marché",
        "TOTAL TTC",
        "ESPECES",
        "RENDU",
        "TVA 5,5% incluse",
        "18,90",
        "20,00",
        "1,10",
    )
    assert fields(*rows)["total"] == "18.90"


def test_a_rate_line_inside_a_label_block_holds_no_place() -> None:
    rows = (
        "RESTORAN SELERA",
        "TOTAL (EXCLUDING GST) :",
        "(@ 6%)",
        "GST PAYABLE (6%) :",
        "TOTAL (INCLUSIVE OF GST) :",
        "1.20",
        "TOTAL :",
        "59.31",
        "3.49",
        "62.80",
        "62.80",
    )
    found = fields(*rows)
    assert (found["subtotal"], found["tax"], found["total"]) == ("59.31", "3.49", "62.80")


def test_equal_totals_around_a_zero_rounding_pair_a_whole_block() -> None:
    rows = (
        "THAI EXPRESS CORNER",
        "TOTAL AMOUNT :",
        "ROUNDING ADJ :",
        "TOTAL AMOUNT :",
        "TOTAL :",
        "TYPE 2",
        "8.90",
        "17.80",
        "FR01",
        "30.70",
        "0.00",
        "30.70",
        "RM 30.70",
    )
    assert pairs(*rows)["0.00"] == "rounding adj"
    assert fields(*rows)["total"] == "30.70"


def test_a_net_moved_by_the_rounding_to_the_total_confirms_a_block() -> None:
    rows = (
        "FARMASI SEJAHTERA",
        "SUBTOTAL:",
        "ROUNDING ADJ :",
        "TOTAL INCLUSIVE GST:",
        "VISA",
        "191.22",
        "-0.02",
        "191.20",
        "191.20",
    )
    assert fields(*rows)["total"] == "191.20"
    assert pairs(*rows)["0.02"] == "rounding adj"


def test_labels_glued_to_their_currency_sign_read_as_a_block() -> None:
    rows = (
        "YIN HUA TRADING",
        "NO OF ITEMS: 3",
        "TOTAL INCL. GST:RM",
        "CASH:RM",
        "CHANGE:RM",
        "SERVED BY COUNTER 2",
        "10.90 S",
        "21.80 S",
        "32.70",
        "50.00",
        "17.30",
    )
    assert fields(*rows)["total"] == "32.70"
    assert pairs(*rows)["17.30"] == "change"


def test_the_values_right_below_a_payment_block_beat_a_run_above_it() -> None:
    # cash 43.90 less "change" 41.42 would be the 2.48 of tax printed further down: the
    # nearer values after the block are its own
    rows = (
        "PIE CORNER SDN BHD",
        "SUBTOTAL:",
        "TOTAL:",
        "TOTAL (EXCLUDING GST)",
        "6%GST",
        "43.90",
        "43.90",
        "41.42",
        "2.48",
        "PAYMENT DETAILS",
        "CASH",
        "CASH CHANGE",
        "100.00",
        "56.10",
        "GST SUMMARY",
        "41.42",
        "2.48",
    )
    assert pairs(*rows)["56.10"] == "change"
    assert fields(*rows)["total"] == "43.90"


def test_the_payment_backs_the_rounded_total_of_a_column_read_block() -> None:
    rows = (
        "KEDAI RUNCIT MAJU",
        "RM2.11 S",
        "TOTAL SALES (INCLUSIVE GST) RM",
        "ROUNDING ADJUSTMENT RM",
        "ROUNDING RM",
        "CASH RM",
        "CHANGE RM",
        "2.11",
        "-.01",
        "2.10",
        "2.20",
        ".10",
    )
    assert fields(*rows)["total"] == "2.10"
