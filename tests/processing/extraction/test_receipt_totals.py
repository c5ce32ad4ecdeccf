"""A receipt's total among the lines around it: a total that says it includes the tax, and
the amounts that are not the total."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from tests.support.pages import page_of


def fields(*rows: str) -> dict[str, str]:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return {k: str(v) for k, v in found.items()}


def test_a_total_tax_label_with_incl_after_it_is_the_total() -> None:
    rows = ("KEDAI MAJU SDN BHD", "SUBTOTAL", "9.54", "TOTAL (GST INCL)", "9.54", "CASH", "10.00")
    found = fields(*rows)
    assert found.get("total") == "9.54"
    assert found.get("tax") != "9.54"


def test_total_vat_inclusive_beside_its_value_is_the_total() -> None:
    assert fields("Kiosk Aurora", "Total VAT inclusive 24.60", "Cash 30.00")["total"] == "24.60"


def test_total_gst_included_stays_the_tax() -> None:
    rows = ("KEDAI MAJU SDN BHD", "TOTAL 21.20", "TOTAL GST INCLUDED 1.20")
    found = fields(*rows)
    assert found["total"] == "21.20"
    assert found["tax"] == "1.20"


def test_the_amount_under_a_rounding_label_after_the_adjustment_is_the_rounded_total() -> None:
    rows = ("KEDAI MAJU", "TOTAL SALES 18.67", "ROUNDING ADJUSTMENT .03", "ROUNDING 18.70")
    assert fields(*rows)["total"] == "18.70"


def test_a_rounded_total_in_a_column_read_block() -> None:
    rows = (
        "KEDAI MAJU",
        "TOTAL SALES RM",
        "ROUNDING ADJ RM",
        "ROUNDING RM",
        "CREDIT RM",
        "27.28",
        ".02",
        "27.30",
        "27.30",
    )
    assert fields(*rows)["total"] == "27.30"


def test_an_amount_sharing_the_adjustment_s_label_is_no_rounded_total() -> None:
    # "ROUNDING" names the -0.03 beneath it; the 9.10 after is a payment line
    rows = ("KEDAI MAJU", "TOTAL", "RM9.13", "ROUNDING", "-0.03", "RM9.10", "CASH")
    assert fields(*rows)["total"] == "9.13"


def test_due_alone_labels_the_total() -> None:
    rows = ("KEDAI MAJU", "ROUNDING ADJ 0.00", "DUE 6.30", "TOTAL INCLUDED GST 6% 0.36")
    assert fields(*rows)["total"] == "6.30"


def test_pay_less_change_is_the_amount_paid() -> None:
    # the "1.08" inside the total is labelled with a total word; the payment decides
    rows = (
        "KEDAI MAJU",
        "QTY 3",
        "19.08",
        "PAY 20.00",
        "CHANGE 0.92",
        "(TOTAL INCLUDED GST",
        "1.08)",
    )
    assert fields(*rows)["total"] == "19.08"


def test_a_total_a_cent_off_below_a_one_cent_rounding_is_the_rounded_total() -> None:
    rows = (
        "KEDAI MAJU SDN BHD",
        "TOTAL (EXCLUDING GST): 20.67",
        "GST PAYABLE: 1.24",
        "TOTAL (INCLUSIVE OF GST): 21.91",
        "ROUNDING ADJ: -0.01",
        "TOTAL : 21.90",
    )
    assert fields(*rows)["total"] == "21.90"


def test_a_net_total_that_is_net_plus_tax_plus_rounding_is_the_total() -> None:
    # "NET TOTAL" on a till: the sum paid, after the tax and the rounding
    rows = (
        "RESTORAN SELERA",
        "SUBTOTAL",
        "179.00",
        "GST @6%:",
        "10.74",
        "ROUNDING ADJ",
        "0.01",
        "NET TOTAL",
        "189.75",
    )
    assert fields(*rows)["total"] == "189.75"


def test_amt_paid_incl_gst_is_the_total() -> None:
    rows = (
        "KEDAI MAJU SDN BHD",
        "AMT PAID INCL. GST : RM78.30",
        "AMT PAID EXCL. GST :RM 73.87",
        "GST AMT : RM4.43",
        "TOTAL QTY : 10",
    )
    found = fields(*rows)
    assert (found["subtotal"], found["tax"], found["total"]) == ("73.87", "4.43", "78.30")


def test_a_cash_label_after_a_rounded_total_label_is_no_qualifier_of_it() -> None:
    # OCR read two label cells and their values as one line: "CASH" is the cash's label,
    # and the cash less the change is the total paid
    rows = (
        "KEDAI MAJU SDN BHD",
        "TOTAL 24,42",
        "ROUNDING ADJUSTMENT",
        "TOTAL ROUNDED CASH 24.20 RM 24.40 RM 50.00",
        "CHANGE RM 25.60",
    )
    assert fields(*rows)["total"] == "24.40"
