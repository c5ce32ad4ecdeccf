"""Net and tax printed only per VAT rate (``per_rate.py``), and numbers split by a column gap."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.candidates import amount_candidates
from ocr_gateway.processing.extraction.locale import PageLocale
from ocr_gateway.processing.extraction.page import PageText
from tests.support.pages import page_of

GERMAN = PageLocale(",", True, "de", ())


def amounts(*rows: object) -> tuple[str | None, str | None, str | None]:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("subtotal"), found.get("tax"), found.get("total")


def test_labelled_lines_per_rate_sum_to_the_net_and_tax() -> None:
    assert amounts(
        [(500, "Base imponible 10 %"), (1000, "100,00")],
        [(500, "IVA 10 %"), (1000, "10,00")],
        [(500, "Base imponible 21 %"), (1000, "50,00")],
        [(500, "IVA 21 %"), (1000, "10,50")],
        [(500, "TOTAL"), (1000, "170,50 €")],
    ) == ("150.00", "20.50", "170.50")


def test_a_breakdown_table_row_per_rate() -> None:
    assert amounts(
        [(100, "MwSt-Satz"), (400, "Netto"), (700, "MwSt"), (1000, "Brutto")],
        [(100, "19%"), (400, "100,00"), (700, "19,00"), (1000, "119,00")],
        [(100, "7%"), (400, "50,00"), (700, "3,50"), (1000, "53,50")],
        [(600, "Gesamtbetrag"), (1000, "172,50 EUR")],
    ) == ("150.00", "22.50", "172.50")


def test_per_rate_sums_that_do_not_add_up_to_a_total_are_not_offered() -> None:
    net, tax, total = amounts(
        [(500, "Base imponible 10 %"), (1000, "100,00")],
        [(500, "IVA 10 %"), (1000, "10,00")],
        [(500, "Base imponible 21 %"), (1000, "50,00")],
        [(500, "IVA 21 %"), (1000, "10,50")],
        [(500, "TOTAL"), (1000, "180,00 €")],
    )
    assert total == "180.00"
    assert (net, tax) != ("150.00", "20.50")


def test_a_tax_that_is_not_its_rate_of_the_net_does_not_count() -> None:
    net, tax, _ = amounts(
        [(500, "Base imponible 10 %"), (1000, "100,00")],
        [(500, "IVA 10 %"), (1000, "12,00")],
        [(500, "Base imponible 21 %"), (1000, "50,00")],
        [(500, "IVA 21 %"), (1000, "8,50")],
        [(500, "TOTAL"), (1000, "170,50 €")],
    )
    assert (net, tax) != ("150.00", "20.50")


def test_a_number_split_by_a_column_gap_is_read_cell_by_cell() -> None:
    # "1" ends a quantity column, "234,00" starts the amount column far to its right.
    page = PageText.of(page_of([[(100, "Beratung"), (600, "1"), (1000, "234,00")]]))
    found = [c.normalized for c in amount_candidates(page, GERMAN)]
    assert "234.00" in found
    assert "1234.00" not in found


def test_a_thousands_group_within_one_cell_stays_one_amount() -> None:
    page = PageText.of(page_of([[(100, "Total TTC"), (1000, "1 234,00 €")]]))
    assert [c.normalized for c in amount_candidates(page, GERMAN)] == ["1234.00"]


def test_a_single_rate_row_of_a_breakdown_table() -> None:
    assert amounts(
        [(60, "Leistung"), (1000, "100,00")],
        [(60, "19%"), (400, "100,00"), (700, "19,00"), (1000, "119,00")],
        [(600, "Rechnungsbetrag"), (1000, "119,00 EUR")],
    ) == ("100.00", "19.00", "119.00")
