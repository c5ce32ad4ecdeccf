"""Invoice number, dates, due date, net, tax and gross total in en, de, fr, nl, es, it, pt.

The snippets are written for these tests: each language's common wordings of each label,
and a small invoice per language whose fields are all found by their labels.
"""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.labels import Vocabulary, find_labels
from ocr_gateway.processing.extraction.page import PageText
from tests.support.pages import page_of

LABELS = {
    "invoiceNumber": [
        "Invoice no.",
        "Rechnungs-Nr.",
        "N° de facture",
        "Numéro de facture",
        "Factuurnummer",
        "Factuurnr.",
        "Número de factura",
        "Nº factura",
        "Numero fattura",
        "Fattura n.",
        "N. fattura",
        "Fatura nº",
        "Número da fatura",
        "N.º fatura",
    ],
    "invoiceDate": [
        "Invoice date",
        "Rechnungsdatum",
        "Date de facture",
        "Date d'émission",
        "Factuurdatum",
        "Fecha de emisión",
        "Fecha factura",
        "Data fattura",
        "Data di emissione",
        "Data de emissão",
        "Data da fatura",
        "Data do documento",
    ],
    "dueDate": [
        "Due date",
        "Fällig am",
        "Zahlungsziel",
        "Date d'échéance",
        "Échéance",
        "Vervaldatum",
        "Uiterste betaaldatum",
        "Te betalen voor",
        "Fecha de vencimiento",
        "Vencimiento",
        "Data di scadenza",
        "Scadenza pagamento",
        "Data de vencimento",
        "Data limite de pagamento",
    ],
    "subtotal": [
        "Net amount",
        "Nettobetrag",
        "Summe netto",
        "Total HT",
        "Montant HT",
        "Subtotaal",
        "Netto bedrag",
        "Importe neto",
        "Subtotal",
        "Totale imponibile",
        "Totale netto",
        "Total sem IVA",
        "Valor líquido",
        "Total ilíquido",
    ],
    "tax": [
        "VAT",
        "MwSt.",
        "Umsatzsteuer",
        "TVA",
        "Montant TVA",
        "BTW",
        "BTW bedrag",
        "IVA",
        "Cuota IVA",
        "Totale IVA",
        "Imposta",
        "Importo IVA",
        "Valor do IVA",
        "Total IVA",
    ],
    "total": [
        "Total amount",
        "Bruttobetrag",
        "Gesamtbetrag",
        "Total TTC",
        "Montant TTC",
        "Totaal",
        "Factuurbedrag",
        "Total factura",
        "Importe total",
        "Totale fattura",
        "Totale documento",
        "Total a pagar",
        "Valor total",
        "Total do documento",
    ],
}


@pytest.mark.parametrize(
    ("role", "phrase"), [(role, p) for role, phrases in LABELS.items() for p in phrases]
)
def test_each_fields_label_in_seven_languages(role: str, phrase: str) -> None:
    hits = find_labels(PageText.of(page_of([phrase])), Vocabulary.builtin())[0]
    assert [h.role for h in hits] == [role]


INVOICES = {
    "en": ("Invoice no.", "Invoice date", "Due date", "Net amount", "VAT 21%", "Total amount"),
    "de": (
        "Rechnungs-Nr.",
        "Rechnungsdatum",
        "Fällig am",
        "Nettobetrag",
        "MwSt. 21 %",
        "Endbetrag",
    ),
    "fr": ("Facture n°", "Date d'émission", "Échéance", "Montant HT", "Montant TVA", "Montant TTC"),
    "nl": (
        "Factuurnr.",
        "Factuurdatum",
        "Uiterste betaaldatum",
        "Totaal excl. btw",
        "Btw 21%",
        "Totaal incl. btw",
    ),
    "es": (
        "Nº factura",
        "Fecha de emisión",
        "Vencimiento",
        "Base imponible",
        "Cuota IVA",
        "Importe total",
    ),
    "it": (
        "N. fattura",
        "Data emissione",
        "Scadenza pagamento",
        "Totale imponibile",
        "Totale IVA",
        "Totale da pagare",
    ),
    "pt": (
        "N.º fatura",
        "Data do documento",
        "Data limite de pagamento",
        "Total ilíquido",
        "Valor do IVA",
        "Total do documento",
    ),
}


@pytest.mark.parametrize("language", sorted(INVOICES))
def test_a_small_invoice_in_each_language(language: str) -> None:
    number, issued, due, net, tax, gross = INVOICES[language]
    decimal = "." if language == "en" else ","
    rows = [
        [(60, number), (400, "2024-0042")],
        [(60, issued), (400, "12/03/2024")],
        [(60, due), (400, "11/04/2024")],
        [(600, net), (1000, "200.00".replace(".", decimal))],
        [(600, tax), (1000, "42.00".replace(".", decimal))],
        [(600, gross), (1000, "242.00".replace(".", decimal))],
    ]
    found = extract_fields(page_of(rows), GENERIC_INVOICE_TEMPLATE)  # type: ignore[arg-type]
    assert found.values() | {"currency": None} == {
        "invoiceNumber": "2024-0042",
        "invoiceDate": "2024-03-12",
        "dueDate": "2024-04-11",
        "subtotal": "200.00",
        "tax": "42.00",
        "total": "242.00",
        "currency": None,
    }
    assert all(f.method == "label" for f in found.fields.values() if f.name != "currency")


@pytest.mark.parametrize(
    "sentence",
    [
        "Zahlbar ohne Abzug bis 20.04.2024",
        "Bitte zahlen Sie bis 20.04.2024",
        "Zahlbar innerhalb 14 Tagen bis zum 20.04.2024",
        "À régler avant le 20/04/2024",
        "Payable au 20/04/2024",
        "Gelieve te betalen voor 20-04-2024",
        "Betaling uiterlijk 20-04-2024",
        "Pago antes del 20/04/2024",
        "Da pagare entro il 20/04/2024",
        "Pagamento até 20/04/2024",
        "Please pay by 20 April 2024",
    ],
)
def test_a_due_date_in_a_payment_sentence(sentence: str) -> None:
    rows = [[(60, "Invoice 2024-1")], [(60, "Date: 21/03/2024")], [(60, sentence)]]
    found = extract_fields(page_of(rows), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    assert (found.get("invoiceDate"), found.get("dueDate")) == ("2024-03-21", "2024-04-20")


def test_a_cash_discount_date_is_not_the_due_date() -> None:
    rows = [
        [(60, "Rechnung 2024-1")],
        [(60, "Rechnungsdatum: 21.03.2024")],
        [(60, "Zahlbar ohne Abzug bis 20.04.2024")],
        [(60, "Zahlbar mit 2% Skonto bis 31.03.2024")],
    ]
    found = extract_fields(page_of(rows), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    assert found.get("dueDate") == "2024-04-20"
