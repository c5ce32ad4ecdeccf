"""Which labels speak for a value: a word inside a sentence in another cell does not."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from tests.support.pages import page_of


def amounts(*rows: object) -> tuple[str | None, str | None, str | None]:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("subtotal"), found.get("tax"), found.get("total")


def test_a_label_word_ending_a_sentence_beside_the_values_does_not_describe_them() -> None:
    prose = "Les règlements reçus avant la date d'échéance ne donneront pas lieu à escompte."
    assert amounts(
        [(620, "TOTAL HT"), (800, "TOTAL TVA"), (980, "TOTAL TTC")],
        [(20, prose), (620, "100,00"), (800, "10,00"), (980, "110,00")],
    ) == ("100.00", "10.00", "110.00")


def test_a_german_sentence_with_a_discount_word_beside_the_totals() -> None:
    prose = "Bei Zahlung innerhalb von 14 Tagen gewähren wir kein Skonto."
    assert amounts(
        [(620, "Netto"), (800, "MwSt."), (980, "Brutto")],
        [(20, prose), (620, "200,00"), (800, "38,00"), (980, "238,00")],
    ) == ("200.00", "38.00", "238.00")


def test_a_short_label_in_its_own_cell_still_describes_the_value_beside_it() -> None:
    assert amounts(
        [(600, "Rabatt"), (1000, "10,00")],
        [(600, "Gesamtbetrag"), (1000, "119,00")],
    ) == (None, None, "119.00")


@pytest.mark.parametrize(
    "row",
    [
        "VAT 19% on €100.00",
        "zzgl. 19,0% MwSt. aus 100,00 €",
        "USt. 19 % auf 100,00",
        "TVA 19 % sur 100,00 €",
        "BTW 19% over € 100,00",
        "IVA 19% sobre 100,00",
        "IVA 19% su 100,00",
    ],
)
def test_the_base_a_tax_is_computed_on_is_not_the_tax(row: str) -> None:
    found = extract_fields(
        page_of([[(600, "Subtotal"), (1000, "100,00")], [(400, row), (1000, "19,00")]]),
        GENERIC_INVOICE_TEMPLATE,
    )
    assert found.values()["tax"] == "19.00"
    assert found.fields["tax"].confidence >= 0.5


NET_TAX_GROSS = ("100.00", "19.00", "119.00")


def test_a_rate_in_a_column_header_does_not_make_it_a_row_label() -> None:
    assert (
        amounts(
            [(500, "Nettobetrag"), (700, "USt 19 %"), (900, "Rechnungsbetrag")],
            [(500, "100,00 €"), (700, "19,00 €"), (900, "119,00 €")],
        )
        == NET_TAX_GROSS
    )


def test_the_totals_row_of_a_table_takes_each_columns_header() -> None:
    assert (
        amounts(
            [(60, "Description"), (500, "Net"), (700, "VAT"), (900, "Gross")],
            [(60, "Service"), (500, "100.00"), (700, "19.00"), (900, "119.00")],
            [(60, "Total"), (500, "100.00"), (700, "19.00"), (900, "119.00")],
        )
        == NET_TAX_GROSS
    )


@pytest.mark.parametrize(
    "header",
    [
        [(60, "Taux"), (300, "Base HT"), (600, "TVA"), (900, "TTC")],
        [(60, "Tipo"), (300, "Base"), (600, "IVA"), (900, "Total")],
        [(60, "Aliquota"), (300, "Imponibile"), (600, "IVA"), (900, "Totale")],
    ],
)
def test_a_tax_summary_table_with_the_base_column(header: list[tuple[int, str]]) -> None:
    assert (
        amounts(header, [(60, "19 %"), (300, "100,00"), (600, "19,00"), (900, "119,00")])
        == NET_TAX_GROSS
    )
