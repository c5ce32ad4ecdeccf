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
