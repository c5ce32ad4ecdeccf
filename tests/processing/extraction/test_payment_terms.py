"""Payment terms as text: the period they state, and the due date they give."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.extraction.payment_terms import (
    TERMS_CONFIDENCE,
    due_from_terms,
    payment_terms,
)
from tests.support.pages import page_of


def days_of(*rows: str) -> int | None:
    terms = payment_terms(PageText.of(page_of(list(rows))))
    return None if terms is None else terms.days


@pytest.mark.parametrize(
    ("line", "days"),
    [
        ("Terms: Net 30", 30),
        ("Payment terms: NET30", 30),
        ("Payable within 30 days of invoice date", 30),
        ("Zahlbar innerhalb 14 Tagen ohne Abzug", 14),
        ("Zahlungsziel: 30 Tage netto", 30),
        ("Zahlbar innert 30 Tagen", 30),
        ("Conditions de paiement : 45 jours", 45),
        ("Pagamento: bonifico a 60 gg d.f.", 60),
        ("Forma de pago: transferencia a 30 días", 30),
        ("Pagamento a 30 dias", 30),
        ("Betaling binnen 14 dagen", 14),
        ("Maksuehto: 14 päivää netto", 14),
        ("Terms: 2% 10, Net 30", 30),  # a discount period, then the net one
        ("Zahlbar innerhalb 10 Tagen mit 2 % Skonto oder 30 Tage netto", 30),
    ],
)
def test_a_stated_period(line: str, days: int) -> None:
    assert days_of(line) == days


@pytest.mark.parametrize(
    "line",
    [
        "Returns accepted within 30 days",  # no payment
        "Payment 30 days end of month",  # counted from another date
        "30 jours fin de mois",
        "Zahlbar 30 Tage nach Lieferung",
        "Bei Zahlung innerhalb 10 Tagen 2 % Skonto",  # a discount period
        "Payment within 14 days or 30 days",  # two periods on one line
        "Payable within 400 days",  # no payment period that long
    ],
)
def test_no_period(line: str) -> None:
    assert days_of(line) is None


def test_lines_that_disagree_give_none() -> None:
    assert days_of("Terms: Net 30", "Zahlbar innerhalb 14 Tagen") is None
    assert days_of("Terms: Net 30", "Payment terms: 30 days") == 30


def test_the_due_date_is_the_invoice_date_plus_the_days() -> None:
    terms = payment_terms(PageText.of(page_of(["Net 30"])))
    assert terms is not None
    assert due_from_terms("2024-02-15", terms) == "2024-03-16"


def test_extraction_derives_the_due_date_for_review_only_where_none_is_printed() -> None:
    derived = extract_fields(
        page_of(["Invoice No. 4411", "Invoice date: 01/03/2024", "Terms: Net 30"]),
        GENERIC_INVOICE_TEMPLATE,
    ).fields["dueDate"]
    assert (derived.normalized_value, derived.method) == ("2024-03-31", "terms")
    assert derived.confidence == TERMS_CONFIDENCE
    assert derived.needs_review
    printed = extract_fields(
        page_of(["Invoice date: 01/03/2024", "Due date: 15/03/2024", "Terms: Net 30"]),
        GENERIC_INVOICE_TEMPLATE,
    ).fields["dueDate"]
    assert printed.normalized_value == "2024-03-15"


# -- the period's number of days is no amount -----------------------------------------------


@pytest.mark.parametrize(
    "terms",
    ["Terms: Net 30", "Net: 14", "Zahlbar innerhalb 14 Tagen", "Paiement à 30 jours", "60 gg"],
)
def test_a_payment_period_is_not_read_as_an_amount(terms: str) -> None:
    found = extract_fields(
        page_of(
            [
                [(60, "Northwind Ltd")],
                [(60, "Invoice No: 5521")],
                [(60, "Date: 12.04.2024")],
                [(60, terms)],
                [(600, "Total"), (1000, "1.200,00")],
            ]
        ),
        GENERIC_INVOICE_TEMPLATE,  # type: ignore[arg-type]
    ).values()
    assert found["total"] == "1200.00"
    assert "subtotal" not in found
    assert "tax" not in found


def test_a_net_amount_with_decimals_or_a_currency_stays_an_amount() -> None:
    found = extract_fields(
        page_of(
            [
                [(600, "Net"), (1000, "30.00")],
                [(600, "VAT"), (1000, "6.00")],
                [(600, "Total"), (1000, "£36.00")],
            ]
        ),
        GENERIC_INVOICE_TEMPLATE,  # type: ignore[arg-type]
    ).values()
    assert (found["subtotal"], found["tax"], found["total"]) == ("30.00", "6.00", "36.00")
