"""Stress layouts where the buyer is easier to take for the seller than the seller is.

Written for these tests (``tests/support/layouts.py`` says how): the buyer's block first on
the page and in a bigger font than the seller's letterhead, under "Bill To", "Invoice To",
"Rechnungsempfänger", "Facturé à", "Cliente" and "Klant"; the seller known by its VAT id,
IBAN, "From" block or footer company line.
"""

from __future__ import annotations

import pytest

from tests.support.layouts import Layout, cases, expected

BILL_TO_FIRST = Layout(
    "us-bill-to-first-and-bigger",
    [
        (20, 15, "BILL TO", 8),
        (20, 22, "Northwind Traders Inc.", 14),
        (20, 29, "400 Market St, San Francisco, CA 94105", 8),
        (130, 15, "FROM", 8),
        (130, 22, "Pixel Forge LLC", 10),
        (130, 27, "88 Pine Ave, Portland, OR 97204", 8),
        (130, 32, "EIN 93-1234567", 8),
        (20, 50, "INVOICE", 16),
        (20, 60, "Invoice #", 8),
        (60, 60, "PF-1042", 9),
        (20, 65, "Invoice Date", 8),
        (60, 65, "03/14/2024", 9),
        (20, 70, "Due Date", 8),
        (60, 70, "04/13/2024", 9),
        (20, 85, "Description", 8),
        (175, 85, "Amount", 8),
        (20, 91, "Website redesign", 9),
        (175, 91, "$2,400.00", 9),
        (130, 105, "Subtotal", 9),
        (175, 105, "$2,400.00", 9),
        (130, 111, "Sales Tax (8.5%)", 9),
        (175, 111, "$204.00", 9),
        (130, 117, "Total", 10),
        (175, 117, "$2,604.00", 10),
    ],
    expected(
        "PF-1042",
        "2024-03-14",
        "2024-04-13",
        "2604.00",
        "2400.00",
        "204.00",
        "USD",
        "Pixel Forge LLC",
    ),
)

RECIPIENT_LETTERHEAD = Layout(
    "de-recipient-bigger-than-seller",
    [
        (20, 15, "Rechnungsempfänger", 8),
        (20, 22, "Stadtwerke Nordhafen GmbH", 15),
        (20, 29, "Hafenstraße 1, 26382 Wilhelmshaven", 8),
        (20, 45, "Rechnung", 16),
        (20, 55, "Rechnungsnummer", 8),
        (65, 55, "2024-0117", 9),
        (20, 60, "Rechnungsdatum", 8),
        (65, 60, "05.02.2024", 9),
        (20, 75, "Wartung Pumpstation, Februar", 9),
        (175, 75, "1.200,00", 9),
        (120, 90, "Nettobetrag", 9),
        (175, 90, "1.200,00", 9),
        (120, 96, "USt. 19 %", 9),
        (175, 96, "228,00", 9),
        (120, 102, "Gesamtbetrag", 10),
        (175, 102, "1.428,00 €", 10),
        (20, 115, "Zahlbar bis 19.02.2024.", 9),
        (20, 270, "Krause Pumpentechnik GmbH · Deichweg 12 · 26384 Wilhelmshaven", 7),
        (20, 275, "USt-IdNr. DE298765432 · IBAN DE12 2825 0110 0001 2345 67", 7),
    ],
    expected(
        "2024-0117",
        "2024-02-05",
        "2024-02-19",
        "1428.00",
        "1200.00",
        "228.00",
        "EUR",
        "Krause Pumpentechnik GmbH",
    ),
)

FACTURE_A = Layout(
    "fr-facture-a-first",
    [
        (20, 15, "Facturé à", 8),
        (20, 22, "Hôtel des Alpes SAS", 14),
        (20, 29, "3 place du Marché, 74000 Annecy", 8),
        (130, 15, "Émetteur", 8),
        (130, 22, "Nettoyage Savoie SARL", 10),
        (130, 27, "TVA FR12345678901", 8),
        (20, 45, "FACTURE", 16),
        (20, 55, "Facture n°", 8),
        (55, 55, "NS-2024-031", 9),
        (20, 60, "Date", 8),
        (55, 60, "11/03/2024", 9),
        (20, 75, "Nettoyage mensuel", 9),
        (175, 75, "800,00", 9),
        (120, 90, "Total HT", 9),
        (175, 90, "800,00", 9),
        (120, 96, "TVA 20 %", 9),
        (175, 96, "160,00", 9),
        (120, 102, "Total TTC", 10),
        (175, 102, "960,00 €", 10),
    ],
    expected(
        "NS-2024-031",
        "2024-03-11",
        None,
        "960.00",
        "800.00",
        "160.00",
        "EUR",
        "Nettoyage Savoie SARL",
    ),
)

CLIENTE_BIG = Layout(
    "es-cliente-bigger-seller-by-cif",
    [
        (20, 15, "Cliente", 8),
        (20, 22, "Grupo Hostelero Mediterráneo S.L.", 14),
        (20, 29, "Av. del Puerto 20, 46023 Valencia", 8),
        (20, 45, "FACTURA", 16),
        (20, 55, "Nº factura", 8),
        (55, 55, "2024/118", 9),
        (20, 60, "Fecha", 8),
        (55, 60, "07/03/2024", 9),
        (20, 75, "Mantenimiento cámaras frigoríficas", 9),
        (175, 75, "500,00", 9),
        (120, 90, "Base imponible", 9),
        (175, 90, "500,00", 9),
        (120, 96, "IVA 21 %", 9),
        (175, 96, "105,00", 9),
        (120, 102, "Total factura", 10),
        (175, 102, "605,00 €", 10),
        (20, 270, "Frío Industrial Turia S.L. · CIF B98765432 · Calle Mayor 5, 46100 Burjassot", 7),
    ],
    expected(
        "2024/118",
        "2024-03-07",
        None,
        "605.00",
        "500.00",
        "105.00",
        "EUR",
        "Frío Industrial Turia S.L.",
    ),
)

KLANT_FIRST = Layout(
    "nl-klant-first",
    [
        (20, 15, "Klant", 8),
        (20, 22, "Bakkerij De Molen B.V.", 14),
        (20, 29, "Dorpsstraat 8, 3421 AB Oudewater", 8),
        (130, 15, "Installatiebedrijf Jansen B.V.", 10),
        (130, 20, "BTW NL812345678B01", 8),
        (130, 25, "IBAN NL91 ABNA 0417 1643 00", 8),
        (20, 45, "FACTUUR", 16),
        (20, 55, "Factuurnummer", 8),
        (60, 55, "2024-0042", 9),
        (20, 60, "Factuurdatum", 8),
        (60, 60, "12-03-2024", 9),
        (20, 75, "Onderhoud ovens", 9),
        (175, 75, "300,00", 9),
        (120, 90, "Subtotaal", 9),
        (175, 90, "300,00", 9),
        (120, 96, "BTW 21 %", 9),
        (175, 96, "63,00", 9),
        (120, 102, "Totaal", 10),
        (175, 102, "€ 363,00", 10),
    ],
    expected(
        "2024-0042",
        "2024-03-12",
        None,
        "363.00",
        "300.00",
        "63.00",
        "EUR",
        "Installatiebedrijf Jansen B.V.",
    ),
)

LAYOUTS = [BILL_TO_FIRST, RECIPIENT_LETTERHEAD, FACTURE_A, CLIENTE_BIG, KLANT_FIRST]

# Layouts with fields still extracted wrong, and which.
OPEN: dict[str, str] = {}


@pytest.mark.parametrize("layout", cases(LAYOUTS, OPEN))
def test_layout(layout: Layout) -> None:
    assert layout.wrong() == {}
