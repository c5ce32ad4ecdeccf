"""Stress layouts for round 5 rules: amounts printed per rate or across a column gap.

Written for these tests (``tests/support/layouts.py`` says how): a German VAT breakdown
table with a row per rate and no overall net or tax line; a French totals block whose
"Total HT" and "Total TTC" rows also print the quantity column's sum, one column gap left of the amount
("3" and "450,00": not "3 450,00"); a US contractor's invoice that prints no dollar
sign, American by its Oregon addresses and "Sales Tax": "08/03/2014" is August 3; an
Indian tax invoice with CGST and SGST halves and no net line; a receipt whose masked card
number is printed under the total.
"""

from __future__ import annotations

import pytest

from tests.support.layouts import Layout, cases, expected

VAT_BREAKDOWN_TABLE = Layout(
    "de-vat-breakdown-table-only",
    [
        (20, 18, "Feinkost Albrecht GmbH", 13),
        (20, 25, "Marktplatz 4 · 97070 Würzburg · USt-IdNr. DE287654321", 8),
        (20, 45, "Hotel Zum Löwen", 10),
        (20, 50, "Bahnhofstraße 9", 10),
        (20, 55, "97072 Würzburg", 10),
        (20, 75, "Rechnung", 16),
        (120, 75, "Rechnungsnr.", 8),
        (160, 75, "R-24-0315", 9),
        (120, 80, "Datum", 8),
        (160, 80, "15.03.2024", 9),
        (20, 95, "Artikel", 8),
        (110, 95, "Menge", 8),
        (140, 95, "MwSt.", 8),
        (175, 95, "Betrag", 8),
        (20, 101, "Weinpräsent Franken", 9),
        (110, 101, "2", 9),
        (140, 101, "19 %", 9),
        (175, 101, "100,00", 9),
        (20, 107, "Spargel, 5 kg", 9),
        (110, 107, "1", 9),
        (140, 107, "7 %", 9),
        (175, 107, "50,00", 9),
        (20, 125, "MwSt.-Satz", 8),
        (70, 125, "Netto", 8),
        (110, 125, "MwSt.", 8),
        (150, 125, "Brutto", 8),
        (20, 131, "19 %", 9),
        (70, 131, "100,00", 9),
        (110, 131, "19,00", 9),
        (150, 131, "119,00", 9),
        (20, 137, "7 %", 9),
        (70, 137, "50,00", 9),
        (110, 137, "3,50", 9),
        (150, 137, "53,50", 9),
        (110, 147, "Gesamtbetrag", 10),
        (175, 147, "172,50 €", 10),
        (20, 160, "Zahlbar bis 29.03.2024 ohne Abzug.", 9),
    ],
    expected(
        "R-24-0315",
        "2024-03-15",
        "2024-03-29",
        "172.50",
        "150.00",
        "22.50",
        "EUR",
        "Feinkost Albrecht GmbH",
    ),
)

QUANTITY_BESIDE_NET = Layout(
    "fr-quantity-sum-beside-net",
    [
        (20, 18, "Atelier Moreau SARL", 13),
        (20, 25, "12 rue des Tanneurs, 69002 Lyon · SIRET 812 345 678 00019", 8),
        (120, 45, "Client", 8),
        (120, 50, "Boulangerie Petit", 10),
        (20, 60, "FACTURE", 16),
        (20, 70, "Facture n°", 8),
        (50, 70, "F2024-0088", 9),
        (20, 75, "Date", 8),
        (50, 75, "04/03/2024", 9),
        (20, 90, "Désignation", 8),
        (140, 90, "Qté", 8),
        (175, 90, "Montant HT", 8),
        (20, 96, "Réglage du four", 9),
        (140, 96, "2", 9),
        (175, 96, "300,00", 9),
        (20, 102, "Pièces détachées", 9),
        (140, 102, "1", 9),
        (175, 102, "150,00", 9),
        (100, 115, "Total HT", 9),
        (140, 115, "3", 9),
        (175, 115, "450,00", 9),
        (100, 121, "TVA 20 %", 9),
        (175, 121, "90,00", 9),
        (100, 127, "Total TTC", 10),
        (140, 127, "3", 10),
        (175, 127, "540,00 €", 10),
        (20, 140, "Échéance : 03/04/2024", 9),
    ],
    expected(
        "F2024-0088",
        "2024-03-04",
        "2024-04-03",
        "540.00",
        "450.00",
        "90.00",
        "EUR",
        "Atelier Moreau SARL",
    ),
)

US_NO_DOLLAR_SIGN = Layout(
    "us-contractor-no-dollar-sign",
    [
        (20, 18, "Cascade Fence & Deck Inc.", 13),
        (20, 25, "1450 NE Sandy Blvd, Portland, OR 97232", 8),
        (120, 45, "Bill To", 8),
        (120, 50, "Hillside Condominium Assn.", 10),
        (120, 55, "22 Terrace Dr, Lake Oswego, OR 97034", 9),
        (20, 45, "INVOICE", 16),
        (20, 55, "Invoice No.", 8),
        (50, 55, "4471", 9),
        (20, 60, "Date", 8),
        (50, 60, "08/03/2014", 9),
        (20, 65, "Terms", 8),
        (50, 65, "Net 30", 9),
        (20, 80, "Description", 8),
        (175, 80, "Amount", 8),
        (20, 86, "Cedar fence, 120 ft, installed", 9),
        (175, 86, "4,800.00", 9),
        (130, 100, "Subtotal", 9),
        (175, 100, "4,800.00", 9),
        (130, 106, "Sales Tax", 9),
        (175, 106, "0.00", 9),
        (130, 112, "Total", 10),
        (175, 112, "4,800.00", 10),
        (20, 125, "Payment due September 2 , 2014. Thank you for your business!", 9),
    ],
    expected(
        "4471",
        "2014-08-03",
        "2014-09-02",
        "4800.00",
        "4800.00",
        "0.00",
        "USD",
        "Cascade Fence & Deck Inc.",
    ),
)

INDIAN_GST = Layout(
    "in-gst-cgst-sgst-no-net-line",
    [
        (20, 18, "Shree Ganesh Traders", 13),
        (20, 25, "14 MG Road, Pune 411001 · GSTIN 27ABCDE1234F1Z5", 8),
        (120, 40, "Bill To", 8),
        (120, 45, "Sai Krupa Caterers", 10),
        (20, 40, "TAX INVOICE", 16),
        (20, 55, "Invoice No.", 8),
        (55, 55, "SGT/24-25/0091", 9),
        (20, 60, "Invoice Date", 8),
        (55, 60, "18/04/2024", 9),
        (20, 75, "Description", 8),
        (110, 75, "HSN", 8),
        (175, 75, "Amount", 8),
        (20, 81, "Stainless steel vessels", 9),
        (110, 81, "7323", 9),
        (175, 81, "4,000.00", 9),
        (120, 95, "CGST @ 9%", 9),
        (175, 95, "360.00", 9),
        (120, 101, "SGST @ 9%", 9),
        (175, 101, "360.00", 9),
        (120, 109, "Grand Total", 10),
        (175, 109, "Rs. 4,720.00", 10),
        (20, 120, "Amount in words: Four Thousand Seven Hundred Twenty Rupees Only", 8),
    ],
    expected(
        "SGT/24-25/0091",
        "2024-04-18",
        None,
        "4720.00",
        None,
        "720.00",
        "INR",
        "Shree Ganesh Traders",
    ),
)

PAID_BY_CARD = Layout(
    "us-paid-by-masked-card",
    [
        (20, 18, "Brightline Print Shop LLC", 13),
        (20, 25, "301 Elm St, Austin, TX 78701", 8),
        (20, 40, "RECEIPT", 16),
        (20, 50, "Receipt #", 8),
        (55, 50, "R-55120", 9),
        (20, 55, "Date", 8),
        (55, 55, "March 7, 2024", 9),
        (20, 70, "Business cards, 500", 9),
        (175, 70, "$60.00", 9),
        (130, 85, "Subtotal", 9),
        (175, 85, "$60.00", 9),
        (130, 91, "Sales Tax", 9),
        (175, 91, "$4.95", 9),
        (130, 100, "Amount charged", 10),
        (175, 106, "**** 6012", 9),
        (175, 112, "$64.95", 10),
    ],
    expected(
        "R-55120",
        "2024-03-07",
        None,
        "64.95",
        "60.00",
        "4.95",
        "USD",
        "Brightline Print Shop LLC",
    ),
)

LAYOUTS = [VAT_BREAKDOWN_TABLE, QUANTITY_BESIDE_NET, US_NO_DOLLAR_SIGN, INDIAN_GST, PAID_BY_CARD]

# Layouts with fields still extracted wrong, and which.
OPEN: dict[str, str] = {}


@pytest.mark.parametrize("layout", cases(LAYOUTS, OPEN))
def test_layout(layout: Layout) -> None:
    assert layout.wrong() == {}
