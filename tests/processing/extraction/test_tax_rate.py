"""A tax printed as included in the total at its rate backs the total it belongs to."""

from __future__ import annotations

from decimal import Decimal

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.tax_rate import included, rates
from tests.support.pages import page_of


def total(rows: list[object]) -> str | None:
    return extract_fields(page_of(rows), GENERIC_INVOICE_TEMPLATE).values().get("total")  # type: ignore[arg-type]


def test_rates_on_a_line() -> None:
    assert rates("GST @6% included in total") == [Decimal("6")]
    assert rates("SR GST 006% 7.17 0.43") == [Decimal("6")]
    assert rates("MwSt. 19,00 % 3.80") == [Decimal("19.00")]
    assert rates("SAVE 50 NOW") == []
    assert rates("DISCOUNT 45%") == []  # no tax rate is above 30 %


def test_the_included_share_to_the_cent() -> None:
    assert included(Decimal("28.00"), Decimal("1.58"), Decimal("6"))
    assert included(Decimal("119.00"), Decimal("19.00"), Decimal("19"))
    assert not included(Decimal("29.00"), Decimal("1.58"), Decimal("6"))
    assert not included(Decimal("1.58"), Decimal("1.58"), Decimal("6"))


def test_a_net_labelled_amount_that_includes_the_tax_is_the_total() -> None:
    rows: list[object] = [
        "KEDAI NASI MAJU SDN BHD",
        [(20, "Total Amount:"), (600, "19.20")],  # OCR read "$9.20" as 19.20
        [(20, "Nett Total:"), (600, "9.20")],
        [(20, "GST @6% included"), (600, "0.52")],
        [(20, "CASH"), (600, "10.00")],
    ]
    assert total(rows) == "9.20"
