"""Rules the stress layouts asked for, each on snippets written for it (en, de, fr, es, ...).

Every test here fails without its rule; the layouts themselves are in ``test_layouts_*.py``.
"""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from tests.support.pages import page_of


def values(*rows: object) -> dict[str, str | None]:
    return extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]


def amounts(*rows: object) -> tuple[str | None, str | None, str | None]:
    found = values(*rows)
    return found.get("subtotal"), found.get("tax"), found.get("total")


# -- a tax included in the total -----------------------------------------------------------


@pytest.mark.parametrize(
    ("gross", "included"),
    [
        ("Total (inc GST)", "GST included in total"),
        ("Gesamtbetrag", "MwSt. enthalten im Gesamtbetrag"),
        # The total label first: right before the rule too, and to stay so ("includes" is
        # no "incl." modifier that would make the total the head).
        ("Total", "Total includes 10% GST"),
        ("Total TTC", "dont TVA 20 %"),
    ],
)
def test_a_tax_included_in_the_total_is_the_tax(gross: str, included: str) -> None:
    assert amounts(
        [(600, gross), (1000, "330.00")],
        [(600, included), (1000, "30.00")],
    ) == ("300.00", "30.00", "330.00")


# -- a local dollar --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("firm", "code"), [("Kookaburra Pty Ltd", "AUD"), ("Merlion Trading Pte Ltd", "SGD")]
)
def test_a_bare_dollar_is_the_dollar_of_the_firms_country(firm: str, code: str) -> None:
    assert values(firm, [(600, "Total"), (1000, "$110.00")])["currency"] == code


def test_a_page_that_writes_us_dollars_keeps_them() -> None:
    rows = ["Kookaburra Pty Ltd", [(600, "Total"), (1000, "$110.00")], "All prices in USD"]
    assert values(*rows)["currency"] == "USD"


# -- "excl. VAT" and "incl. VAT" heading their columns --------------------------------------


@pytest.mark.parametrize(
    ("net", "tax", "gross"),
    [
        ("excl. VAT", "VAT", "incl. VAT"),
        ("ohne MwSt.", "MwSt.", "inkl. MwSt."),
        ("hors TVA", "TVA", "TVA incluse"),
    ],
)
def test_a_totals_row_under_qualified_tax_headers(net: str, tax: str, gross: str) -> None:
    assert amounts(
        [(500, net), (750, tax), (1000, gross)],
        [(60, "Invoice total"), (500, "50.40"), (750, "9.58"), (1000, "59.98")],
    ) == ("50.40", "9.58", "59.98")


def test_excl_vat_beside_a_value_is_the_net_total() -> None:
    assert amounts(
        [(600, "excl. VAT"), (1000, "200.00")],
        [(600, "VAT 20%"), (1000, "40.00")],
        [(600, "Total"), (1000, "240.00")],
    ) == ("200.00", "40.00", "240.00")


def test_incl_vat_beside_a_value_stays_the_tax_it_contains() -> None:
    # A German receipt: "inkl. 19 % MwSt." beside the tax it names.
    assert amounts(
        [(600, "Summe"), (1000, "19,99")],
        [(600, "inkl. MwSt."), (1000, "3,19")],
    )[1:] == ("3.19", "19.99")


# -- two labels joined: the value is both -----------------------------------------------------


@pytest.mark.parametrize(
    "label",
    ["Invoice date / Delivery date", "Rechnungsdatum / Lieferdatum", "Factuurdatum / Leverdatum"],
)
def test_a_date_under_joined_labels_is_the_invoice_date(label: str) -> None:
    found = values([(60, label), (700, "05.03.2024")], [(60, "Order date"), (700, "03.03.2024")])
    assert found["invoiceDate"] == "2024-03-05"


# -- a tax row with its rate and base in the label's cell is no sentence --------------------


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("zzgl. 7 % USt. auf 100,00 €", "zzgl. 19 % USt. auf 200,00 €"),
        ("plus VAT at 5 % on € 100,00", "plus VAT at 20 % on € 200,00"),
    ],
)
def test_tax_rows_with_rate_and_base_in_one_cell(low: str, high: str) -> None:
    assert amounts(
        [(500, "Summe netto"), (1000, "300,00 €")],
        [(500, low), (1000, "7,00 €")],
        [(500, high), (1000, "38,00 €")],
        [(500, "Gesamtbetrag"), (1000, "345,00 €")],
    ) == ("300.00", "45.00", "345.00")
