"""Stress layouts for round 6, third part: credit notes, balances, rate tables, parties.

Written for these tests (``tests/support/layouts.py`` says how): a credit note that also
prints the number of the invoice it credits ("Original invoice"); an invoice whose balance
due is what is left after a part payment; an Italian rate table with "Totale imponibile /
IVA / fattura"; Spanish amounts with the code before ("EUR 495,00"); a French "Montant de
l'avoir TTC"; a Portuguese "Base tributável"; a German letter whose buyer block, unlabelled
and printed larger but going on with its purchasing department, stands left of the seller's;
payment terms with a Skonto period before the net period, "Due on receipt", and "45 jours
fin de mois" (counted from the month's end: no due date derived).
"""

from __future__ import annotations

import pytest

from tests.support.layouts import Layout, cases, expected

EN_CREDIT_NOTE_ORIGINAL_INVOICE = Layout(
    "en-credit-note-minus-before-sign",
    [
        (20, 18, "Orbit Cloud Services Ltd", 13),
        (20, 25, "12 King Street, Manchester M2 4WU", 8),
        (20, 45, "Credit to", 8),
        (20, 50, "Lumen Analytics", 10),
        (20, 65, "Credit Note", 16),
        (120, 65, "Number", 8),
        (160, 65, "CN-2024-031", 9),
        (120, 70, "Date", 8),
        (160, 70, "22/03/2024", 9),
        (120, 75, "Original invoice", 8),
        (160, 75, "INV-2024-288", 9),
        (20, 85, "Service credit, March outage", 9),
        (175, 85, "-£50.00", 9),
        (130, 100, "Subtotal", 9),
        (175, 100, "-£50.00", 9),
        (130, 106, "VAT 20%", 9),
        (175, 106, "-£10.00", 9),
        (130, 114, "Total", 10),
        (175, 114, "-£60.00", 10),
    ],
    expected(
        "CN-2024-031",
        "2024-03-22",
        None,
        "60.00",
        "50.00",
        "10.00",
        "GBP",
        "Orbit Cloud Services Ltd",
    ),
)

EN_ALREADY_PAID_BALANCE_DUE = Layout(
    "en-balance-due-already-paid",
    [
        (20, 18, "Greenway Landscaping Ltd", 13),
        (20, 25, "5 Park Lane, York YO1 7HH · VAT No. GB 123 4567 89", 8),
        (20, 45, "Mrs A. Patel", 10),
        (20, 65, "INVOICE", 16),
        (120, 65, "Invoice number", 8),
        (160, 65, "GL-2207", 9),
        (120, 70, "Invoice date", 8),
        (160, 70, "06/03/2024", 9),
        (20, 85, "Garden redesign", 9),
        (175, 85, "1,500.00", 9),
        (130, 100, "Total net", 9),
        (175, 100, "1,500.00", 9),
        (130, 106, "Total VAT", 9),
        (175, 106, "300.00", 9),
        (130, 112, "Invoice amount", 10),
        (175, 112, "1,800.00", 10),
        (130, 118, "Already paid", 9),
        (175, 118, "800.00", 9),
        (130, 126, "Balance due", 11),
        (175, 126, "£1,000.00", 11),
    ],
    expected(
        "GL-2207",
        "2024-03-06",
        None,
        "1800.00",
        "1500.00",
        "300.00",
        "GBP",
        "Greenway Landscaping Ltd",
    ),
)

IT_TWO_RATES_TOTALE_FATTURA = Layout(
    "it-two-rates-totale-fattura",
    [
        (20, 18, "Alimentari Ferri S.n.c.", 13),
        (20, 25, "Corso Italia 40 · 50123 Firenze · P.IVA 04455667788", 8),
        (120, 45, "Spett.le", 8),
        (120, 50, "Trattoria da Gino", 10),
        (20, 65, "FATTURA", 16),
        (120, 65, "Numero", 8),
        (150, 65, "118/A", 9),
        (120, 70, "Data", 8),
        (150, 70, "11/03/2024", 9),
        (20, 85, "Pasta fresca", 9),
        (175, 85, "200,00", 9),
        (20, 91, "Vino rosso", 9),
        (175, 91, "300,00", 9),
        (20, 105, "Aliquota", 8),
        (60, 105, "Imponibile", 8),
        (110, 105, "Imposta", 8),
        (20, 111, "10%", 9),
        (60, 111, "200,00", 9),
        (110, 111, "20,00", 9),
        (20, 117, "22%", 9),
        (60, 117, "300,00", 9),
        (110, 117, "66,00", 9),
        (120, 130, "Totale imponibile", 9),
        (175, 130, "500,00", 9),
        (120, 136, "Totale IVA", 9),
        (175, 136, "86,00", 9),
        (120, 144, "Totale fattura", 10),
        (175, 144, "€ 586,00", 10),
    ],
    expected(
        "118/A",
        "2024-03-11",
        None,
        "586.00",
        "500.00",
        "86.00",
        "EUR",
        "Alimentari Ferri S.n.c.",
    ),
)

ES_EUR_CODE_BEFORE = Layout(
    "es-eur-before-subtotal-iva",
    [
        (20, 18, "Hostelería Costa Brava S.L.", 13),
        (20, 25, "Passeig Marítim 3 · 17250 Platja d'Aro · CIF B17654321", 8),
        (20, 45, "Agencia Viajes Sol", 10),
        (20, 65, "Factura", 16),
        (120, 65, "Nº", 8),
        (150, 65, "CB-2024-0412", 9),
        (120, 70, "Fecha", 8),
        (150, 70, "09/03/2024", 9),
        (20, 85, "Alojamiento 3 noches", 9),
        (175, 85, "EUR 450,00", 9),
        (130, 100, "Subtotal", 9),
        (175, 100, "EUR 450,00", 9),
        (130, 106, "IVA (10%)", 9),
        (175, 106, "EUR 45,00", 9),
        (130, 114, "TOTAL", 10),
        (175, 114, "EUR 495,00", 10),
    ],
    expected(
        "CB-2024-0412",
        "2024-03-09",
        None,
        "495.00",
        "450.00",
        "45.00",
        "EUR",
        "Hostelería Costa Brava S.L.",
    ),
)

FR_MONTANT_DE_L_AVOIR = Layout(
    "fr-avoir-ttc-label-order",
    [
        (20, 18, "Librairie Dumas", 13),
        (20, 25, "40 rue Nationale, 37000 Tours · SIRET 423 456 789 00012", 8),
        (20, 45, "Collège Jean Moulin", 10),
        (20, 65, "Facture d'avoir", 14),
        (120, 65, "N°", 8),
        (150, 65, "AV24-017", 9),
        (120, 70, "Le", 8),
        (150, 70, "25/03/2024", 9),
        (20, 85, "Retour de 10 manuels", 9),
        (175, 85, "200,00 €", 9),
        (120, 100, "Total HT", 9),
        (175, 100, "200,00 €", 9),
        (120, 106, "TVA 5,5 %", 9),
        (175, 106, "11,00 €", 9),
        (120, 114, "Montant de l'avoir TTC", 10),
        (175, 114, "211,00 €", 10),
    ],
    expected(
        "AV24-017",
        "2024-03-25",
        None,
        "211.00",
        "200.00",
        "11.00",
        "EUR",
        "Librairie Dumas",
    ),
)

PT_BASE_TRIBUTAVEL = Layout(
    "pt-fatura-total-iva-base",
    [
        (20, 18, "Oficina Auto Minho, S.A.", 13),
        (20, 25, "Rua do Souto 22 · 4700-329 Braga · NIPC 503 456 789", 8),
        (120, 45, "Cliente", 8),
        (120, 50, "Transportes Lima", 10),
        (120, 55, "NIF 507 111 222", 9),
        (20, 65, "Fatura n.º FT 1A/2024/318", 13),
        (20, 73, "Data: 2024-03-18", 9),
        (20, 78, "Vencimento: 2024-04-17", 9),
        (20, 90, "Revisão camião", 9),
        (175, 90, "600,00", 9),
        (20, 96, "Pneus", 9),
        (175, 96, "400,00", 9),
        (120, 110, "Base tributável", 9),
        (175, 110, "1.000,00", 9),
        (120, 116, "Total IVA (23%)", 9),
        (175, 116, "230,00", 9),
        (120, 124, "Total (EUR)", 10),
        (175, 124, "1.230,00", 10),
    ],
    expected(
        "FT 1A/2024/318",
        "2024-03-18",
        "2024-04-17",
        "1230.00",
        "1000.00",
        "230.00",
        "EUR",
        "Oficina Auto Minho, S.A.",
    ),
)

DE_UNLABELLED_BUYER_LEFT = Layout(
    "de-buyer-left-seller-right-block",
    [
        (20, 20, "Stadtwerke Musterstadt GmbH", 12),
        (20, 26, "Einkauf", 9),
        (20, 31, "Postfach 1020", 9),
        (20, 36, "12345 Musterstadt", 9),
        (130, 20, "Kühn Messtechnik", 11),
        (130, 26, "Inh. Petra Kühn", 8),
        (130, 30, "Sensorweg 5", 8),
        (130, 34, "12347 Musterstadt", 8),
        (130, 38, "USt-IdNr. DE301234567", 8),
        (20, 60, "Rechnung", 16),
        (130, 60, "Rechnungsnr.: 2024-0091", 9),
        (130, 65, "Datum: 13.03.2024", 9),
        (20, 80, "Kalibrierung Durchflussmesser", 9),
        (175, 80, "900,00", 9),
        (120, 95, "Nettobetrag", 9),
        (175, 95, "900,00", 9),
        (120, 101, "MwSt. 19 %", 9),
        (175, 101, "171,00", 9),
        (120, 109, "Bruttobetrag", 10),
        (175, 109, "1.071,00", 10),
        (20, 125, "Zahlbar bis 27.03.2024", 9),
    ],
    expected(
        "2024-0091",
        "2024-03-13",
        "2024-03-27",
        "1071.00",
        "900.00",
        "171.00",
        "EUR",
        "Kühn Messtechnik",
    ),
)

DE_SKONTO_THEN_TAGE_NETTO = Layout(
    "de-zahlungsziel-tage-netto-skonto",
    [
        (20, 18, "Holzhandel Brandt GmbH", 13),
        (20, 25, "Sägewerkstraße 1 · 34117 Kassel", 8),
        (20, 45, "Zimmerei Roth", 10),
        (20, 65, "Rechnung", 16),
        (120, 65, "Rechnungsnummer", 8),
        (160, 65, "HB-7731", 9),
        (120, 70, "Rechnungsdatum", 8),
        (160, 70, "04.03.2024", 9),
        (20, 80, "Kantholz 10x10", 9),
        (175, 80, "800,00", 9),
        (120, 95, "Netto", 9),
        (175, 95, "800,00", 9),
        (120, 101, "USt 19%", 9),
        (175, 101, "152,00", 9),
        (120, 109, "Gesamt", 10),
        (175, 109, "952,00", 10),
        (20, 125, "Zahlungsbedingungen: 10 Tage 2 % Skonto,", 9),
        (20, 130, "30 Tage netto", 9),
    ],
    expected(
        "HB-7731",
        "2024-03-04",
        "2024-04-03",
        "952.00",
        "800.00",
        "152.00",
        "EUR",
        "Holzhandel Brandt GmbH",
    ),
)

EN_DUE_ON_RECEIPT = Layout(
    "en-due-upon-receipt",
    [
        (20, 18, "Sparrow Web Design", 13),
        (20, 25, "sparrowweb.co.uk", 8),
        (20, 45, "Bill to", 8),
        (20, 50, "Fenwick Dental", 10),
        (20, 65, "Invoice", 16),
        (120, 65, "Invoice #", 8),
        (160, 65, "0042", 9),
        (120, 70, "Date", 8),
        (160, 70, "2 March 2024", 9),
        (120, 75, "Terms", 8),
        (160, 75, "Due on receipt", 9),
        (20, 85, "Website maintenance", 9),
        (175, 85, "£300.00", 9),
        (130, 100, "Total", 10),
        (175, 100, "£300.00", 10),
    ],
    expected(
        "0042",
        "2024-03-02",
        None,
        "300.00",
        None,
        None,
        "GBP",
        "Sparrow Web Design",
    ),
)

FR_JOURS_FIN_DE_MOIS = Layout(
    "fr-45-jours-fin-de-mois",
    [
        (20, 18, "Transports Mercier SARL", 13),
        (20, 25, "ZI Nord, 59000 Lille · SIRET 401 234 567 00018", 8),
        (120, 45, "Client", 8),
        (120, 50, "Brasserie du Nord", 10),
        (20, 65, "FACTURE N° TM-24-211", 14),
        (20, 73, "Lille, le 29/02/2024", 9),
        (20, 85, "Transport palettes", 9),
        (175, 85, "500,00", 9),
        (120, 100, "Total HT", 9),
        (175, 100, "500,00", 9),
        (120, 106, "TVA 20 %", 9),
        (175, 106, "100,00", 9),
        (120, 114, "Total TTC", 10),
        (175, 114, "600,00", 10),
        (20, 130, "Règlement à 45 jours fin de mois", 9),
    ],
    expected(
        "TM-24-211",
        "2024-02-29",
        None,
        "600.00",
        "500.00",
        "100.00",
        "EUR",
        "Transports Mercier SARL",
    ),
)

LAYOUTS = [
    EN_CREDIT_NOTE_ORIGINAL_INVOICE,
    EN_ALREADY_PAID_BALANCE_DUE,
    IT_TWO_RATES_TOTALE_FATTURA,
    ES_EUR_CODE_BEFORE,
    FR_MONTANT_DE_L_AVOIR,
    PT_BASE_TRIBUTAVEL,
    DE_UNLABELLED_BUYER_LEFT,
    DE_SKONTO_THEN_TAGE_NETTO,
    EN_DUE_ON_RECEIPT,
    FR_JOURS_FIN_DE_MOIS,
]

# Layouts with fields still extracted wrong, and which.
OPEN: dict[str, str] = {}


@pytest.mark.parametrize("layout", cases(LAYOUTS, OPEN))
def test_layout(layout: Layout) -> None:
    assert layout.wrong() == {}
