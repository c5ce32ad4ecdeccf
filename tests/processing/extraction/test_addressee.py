"""The addressee's block: a name going on with an attention or department line."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.addressee import heads_addressee_block
from ocr_gateway.processing.extraction.page import PageText
from tests.support.pages import Row, page_of


def heads(rows: list[str | list[tuple[int, str]]], line: int = 0) -> bool:
    page = PageText.of(page_of(rows))
    first = page.lines[line]
    return heads_addressee_block(line, first.box_of(0, len(first.words)), page)


@pytest.mark.parametrize(
    "below", ["z. Hd. Frau Berg", "Attn: Accounts Payable", "Einkauf", "c/o Harbour Office"]
)
def test_an_attention_or_department_line_below(below: str) -> None:
    assert heads(["Nordwerk Logistik GmbH", below, "Hafenstraße 3"])


def test_an_address_below_is_no_attention_line() -> None:
    assert not heads(["Nordwerk Logistik GmbH", "Hafenstraße 3", "20457 Hamburg"])


def test_an_attention_line_in_another_column_is_not_the_names() -> None:
    assert not heads([[(60, "Nordwerk Logistik")], [(60, "Hafenstraße 3"), (800, "Einkauf")]])


def test_the_seller_wins_over_a_larger_buyer_that_names_its_department() -> None:
    page = page_of(
        [
            Row([(60, "Nordwerk Logistik GmbH"), (760, "Wendt Kältetechnik")], height=34),
            [(60, "Einkauf"), (760, "Inh. Ole Wendt")],
            [(60, "Hafenstraße 3"), (760, "Kai 9, 20457 Hamburg")],
            "Rechnung Nr. 2024-17",
            "Datum 04.03.2024",
            [(60, "Gesamtbetrag"), (900, "119,00 €")],
        ]
    )
    vendor = extract_fields(page, GENERIC_INVOICE_TEMPLATE).fields["vendorName"]
    assert vendor.normalized_value == "Wendt Kältetechnik"
