"""Invoice numbers and dates: labels in seven languages, titles, layout, and null over garbage."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from tests.support.pages import Row, page_of


def values(*rows: object) -> dict[str, str | None]:
    return extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "label",
    [
        "Rechnungsnummer:",
        "Facture n°",
        "Factuurnummer",
        "Número de factura",
        "Numero fattura",
        "Número da fatura",
        "Invoice No.",
    ],
)
def test_a_labelled_invoice_number(label: str) -> None:
    assert values([(700, label), (1000, "FA-2017-0010")])["invoiceNumber"] == "FA-2017-0010"


def test_a_number_under_a_title_without_a_label() -> None:
    found = values(Row("INVOICE", height=40), "INV/2023/03/0008", "Bill to: Contoso")
    assert found["invoiceNumber"] == "INV/2023/03/0008"


def test_a_number_right_after_a_title() -> None:
    assert values(Row("Facture FA-2017-0010", height=40))["invoiceNumber"] == "FA-2017-0010"
    assert values("Handelsrechnung (380) Nr. 471102 vom 05.03.2018")["invoiceNumber"] == "471102"


def test_other_numbers_are_not_the_invoice_number() -> None:
    found = values(
        [(700, "Kundennummer:"), (1000, "K0100077603")],
        [(700, "USt-IdNr.:"), (1000, "DE199952957")],
        [(700, "Rechnungsnummer:"), (1000, "R0005532486")],
    )
    assert found["invoiceNumber"] == "R0005532486"


def test_no_convincing_number_is_null_not_garbage() -> None:
    assert "invoiceNumber" not in values("Thank you 4x7k2 for shopping", "Qty 3 A17")


@pytest.mark.parametrize(
    ("label", "value", "iso"),
    [
        ("Rechnungsdatum:", "05.03.2013", "2013-03-05"),
        ("Date de facture", "13/11/2017", "2017-11-13"),
        ("Factuurdatum", "3-4-2024", "2024-04-03"),
        ("Fecha de factura", "5 de marzo de 2024", "2024-03-05"),
        ("Data fattura", "03/10/2023", "2023-10-03"),
        ("Data de emissão", "07/07/2024", "2024-07-07"),
        ("Date Issued:", "Dec 28, 2022", "2022-12-28"),
    ],
)
def test_a_labelled_invoice_date(label: str, value: str, iso: str) -> None:
    assert values([(700, label), (1000, value)])["invoiceDate"] == iso


@pytest.mark.parametrize(
    ("label", "value", "iso"),
    [
        ("Fälligkeitsdatum:", "22.01.2016", "2016-01-22"),
        ("Date d'échéance", "13/12/2017", "2017-12-13"),
        ("Vervaldatum", "31-01-2024", "2024-01-31"),
        ("Fecha de vencimiento", "31/01/2024", "2024-01-31"),
        ("Scadenza", "31/01/2024", "2024-01-31"),
        ("Payment due", "Jan 31, 2024", "2024-01-31"),
    ],
)
def test_a_labelled_due_date(label: str, value: str, iso: str) -> None:
    found = values([(700, "Invoice date"), (1000, "01.01.2024")], [(700, label), (1000, value)])
    assert (found["invoiceDate"], found["dueDate"]) == ("2024-01-01", iso)


def test_a_receipt_date_beside_the_cashier_and_without_a_label() -> None:
    found = values("ABC HO TRADING", "CASHIER: 01 09/01/2019 8:01:11 PM", "TOTAL RM 31.00")
    assert found["invoiceDate"] == "2019-01-09"


def test_a_malaysian_receipt_reads_day_first() -> None:
    assert values("DATE: 02/01/2019", "TOTAL RM 27.35")["invoiceDate"] == "2019-01-02"


def test_an_american_invoice_reads_month_first() -> None:
    assert values("Invoice Date: 02/01/2019", "Total $27.35")["invoiceDate"] == "2019-02-01"


def test_a_period_is_not_the_invoice_date() -> None:
    found = values("Billing period 01.01.2016 - 31.01.2016", [(700, "Datum"), (1000, "03.02.2016")])
    assert found["invoiceDate"] == "2016-02-03"


def test_other_dates_do_not_answer() -> None:
    found = values([(700, "Date Paid:"), (1000, "Dec 28, 2022")])
    assert "dueDate" not in found
    assert "invoiceDate" not in found


def test_a_number_the_text_layer_split_after_a_hyphen() -> None:
    assert values("Invoice number 76253815- 0004")["invoiceNumber"] == "76253815-0004"


def test_a_number_after_a_title_with_a_bracketed_aside() -> None:
    found = values("Gutschrift (Selbst ausgestellte Rechnung) (389) Nr. 47110818 vom 31.10.2018")
    assert found["invoiceNumber"] == "47110818"


def test_the_date_on_the_title_line_beats_a_version_date() -> None:
    found = values(
        "ZUGFeRD-Version: 2.1 vom 24.03.2020",
        Row("Handelsrechnung Nr. 47110815 vom 31.10.2018", height=28),
    )
    assert found["invoiceDate"] == "2018-10-31"


def test_a_german_transfer_by_date_is_the_due_date() -> None:
    found = values(
        "Rechnung # RE-20190121/507 von 21.01.2019", "Bitte überweisen Sie bis zum 11.02.2019."
    )
    assert (found["invoiceDate"], found["dueDate"]) == ("2019-01-21", "2019-02-11")


def test_whole_amounts_with_a_dash_for_the_cents() -> None:
    found = values(
        [(60, "Schmidt KG")],
        [(60, "Rechnung 2024/001 vom 12. März 2024")],
        [(600, "Nettobetrag"), (1000, "1.000,-")],
        [(600, "MwSt. 19 %"), (1000, "190,-")],
        [(600, "Rechnungsbetrag"), (1000, "1.190,- EUR")],
    )
    assert (found["subtotal"], found["tax"], found["total"]) == ("1000.00", "190.00", "1190.00")
