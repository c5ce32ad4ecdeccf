"""Stress layouts in Czech, Polish, Swedish, Norwegian and Danish (``vocabulary_more.py``).

Written for these tests (``tests/support/layouts.py`` says how): a Czech "Faktura - daňový
doklad" with DUZP, IČ/DIČ and "Celkem k uhrade" in Kč; a Polish "Faktura VAT" with NIP,
netto / VAT / brutto and "Do zaplaty" in zł; a Swedish faktura with Org.nr, moms and "Att
betala" in kr; a Norwegian one with MVA and "Å betale" in kr; a Danish one with CVR,
moms and "Total inkl. moms" in DKK. The test PDFs' Helvetica lacks the Czech and Polish
letters (č, ř, ł, ś, ...): those layouts print them as OCR often reads them, without their
marks, and their codes (CZK, PLN); ``test_vocabulary_more.py`` has them as printed.
"""

from __future__ import annotations

import pytest

from tests.support.layouts import Layout, cases, expected

CZECH = Layout(
    "cs-faktura-danovy-doklad",
    [
        (20, 18, "Stavebniny Horak s.r.o.", 13),
        (20, 25, "Prumyslova 12, 602 00 Brno · IC 27654321 · DIC CZ27654321", 8),
        (120, 40, "Odberatel", 8),
        (120, 45, "Truhlarstvi Novak", 10),
        (120, 50, "Lipova 3, 664 01 Bilovice", 9),
        (20, 40, "Faktura - danovy doklad", 14),
        (20, 55, "Cislo faktury", 8),
        (60, 55, "2024000153", 9),
        (20, 60, "Datum vystaveni", 8),
        (60, 60, "14.03.2024", 9),
        (20, 65, "DUZP", 8),
        (60, 65, "12.03.2024", 9),
        (20, 70, "Datum splatnosti", 8),
        (60, 70, "28.03.2024", 9),
        (20, 85, "Cement 25 kg, 40 ks", 9),
        (175, 85, "6 000,00", 9),
        (120, 100, "Zaklad dane 21 %", 9),
        (175, 100, "6 000,00", 9),
        (120, 106, "DPH 21 %", 9),
        (175, 106, "1 260,00", 9),
        (120, 112, "Celkem k uhrade", 10),
        (175, 112, "7 260,00 CZK", 10),
    ],
    expected(
        "2024000153",
        "2024-03-14",
        "2024-03-28",
        "7260.00",
        "6000.00",
        "1260.00",
        "CZK",
        "Stavebniny Horak s.r.o.",
    ),
)

POLISH = Layout(
    "pl-faktura-vat",
    [
        (20, 18, "Drukarnia Wisniewski sp. z o.o.", 13),
        (20, 25, "ul. Dluga 8, 80-831 Gdansk · NIP 5831234567", 8),
        (120, 40, "Nabywca", 8),
        (120, 45, "Kawiarnia Pod Lipa", 10),
        (120, 50, "NIP 9571234560", 9),
        (20, 40, "Faktura VAT", 16),
        (20, 55, "Nr faktury", 8),
        (60, 55, "FV/2024/03/117", 9),
        (20, 60, "Data wystawienia", 8),
        (60, 60, "2024-03-08", 9),
        (20, 65, "Termin platnosci", 8),
        (60, 65, "2024-03-22", 9),
        (20, 80, "Ulotki A5, 2000 szt.", 9),
        (175, 80, "800,00", 9),
        (120, 95, "Netto", 9),
        (175, 95, "800,00", 9),
        (120, 101, "VAT 23%", 9),
        (175, 101, "184,00", 9),
        (120, 107, "Brutto", 9),
        (175, 107, "984,00", 9),
        (120, 115, "Do zaplaty", 10),
        (175, 115, "984,00 PLN", 10),
    ],
    expected(
        "FV/2024/03/117",
        "2024-03-08",
        "2024-03-22",
        "984.00",
        "800.00",
        "184.00",
        "PLN",
        "Drukarnia Wisniewski sp. z o.o.",
    ),
)

SWEDISH = Layout(
    "sv-faktura-att-betala",
    [
        (20, 18, "Lindqvist Måleri AB", 13),
        (20, 25, "Storgatan 14, 411 38 Göteborg · Org.nr 556123-4567", 8),
        (120, 40, "Kund", 8),
        (120, 45, "Bostadsrättsföreningen Eken", 10),
        (20, 40, "FAKTURA", 16),
        (20, 55, "Fakturanummer", 8),
        (60, 55, "10234", 9),
        (20, 60, "Fakturadatum", 8),
        (60, 60, "2024-03-05", 9),
        (20, 65, "Förfallodatum", 8),
        (60, 65, "2024-04-04", 9),
        (20, 80, "Målning trapphus", 9),
        (175, 80, "12 000,00", 9),
        (120, 95, "Summa exkl. moms", 9),
        (175, 95, "12 000,00", 9),
        (120, 101, "Moms 25 %", 9),
        (175, 101, "3 000,00", 9),
        (120, 107, "Att betala", 10),
        (175, 107, "15 000,00 kr", 10),
    ],
    expected(
        "10234",
        "2024-03-05",
        "2024-04-04",
        "15000.00",
        "12000.00",
        "3000.00",
        "SEK",
        "Lindqvist Måleri AB",
    ),
)

NORWEGIAN = Layout(
    "no-faktura-a-betale",
    [
        (20, 18, "Fjordservice AS", 13),
        (20, 25, "Strandkaien 3, 5013 Bergen · Org.nr 912 345 678 MVA", 8),
        (120, 40, "Kunde", 8),
        (120, 45, "Bryggen Kafé", 10),
        (20, 40, "FAKTURA", 16),
        (20, 55, "Fakturanr.", 8),
        (60, 55, "24-0311", 9),
        (20, 60, "Fakturadato", 8),
        (60, 60, "11.03.2024", 9),
        (20, 65, "Forfallsdato", 8),
        (60, 65, "25.03.2024", 9),
        (20, 80, "Service kjøleanlegg", 9),
        (175, 80, "4 000,00", 9),
        (120, 95, "Sum eks. mva", 9),
        (175, 95, "4 000,00", 9),
        (120, 101, "MVA 25 %", 9),
        (175, 101, "1 000,00", 9),
        (120, 107, "Å betale", 10),
        (175, 107, "kr 5 000,00", 10),
    ],
    expected(
        "24-0311",
        "2024-03-11",
        "2024-03-25",
        "5000.00",
        "4000.00",
        "1000.00",
        "NOK",
        "Fjordservice AS",
    ),
)

DANISH = Layout(
    "da-faktura-total-inkl-moms",
    [
        (20, 18, "Hansen & Søn ApS", 13),
        (20, 25, "Vestergade 20, 8000 Aarhus C · CVR 12345678", 8),
        (120, 40, "Kunde", 8),
        (120, 45, "Café Åen", 10),
        (20, 40, "FAKTURA", 16),
        (20, 55, "Fakturanummer", 8),
        (60, 55, "7719", 9),
        (20, 60, "Fakturadato", 8),
        (60, 60, "06.03.2024", 9),
        (20, 65, "Forfaldsdato", 8),
        (60, 65, "20.03.2024", 9),
        (20, 80, "Reparation af opvaskemaskine", 9),
        (175, 80, "2.000,00", 9),
        (120, 95, "Subtotal", 9),
        (175, 95, "2.000,00", 9),
        (120, 101, "Moms 25 %", 9),
        (175, 101, "500,00", 9),
        (120, 107, "Total inkl. moms", 10),
        (175, 107, "DKK 2.500,00", 10),
    ],
    expected(
        "7719",
        "2024-03-06",
        "2024-03-20",
        "2500.00",
        "2000.00",
        "500.00",
        "DKK",
        "Hansen & Søn ApS",
    ),
)

LAYOUTS = [CZECH, POLISH, SWEDISH, NORWEGIAN, DANISH]

# Layouts with fields still extracted wrong, and which.
OPEN: dict[str, str] = {}


@pytest.mark.parametrize("layout", cases(LAYOUTS, OPEN))
def test_layout(layout: Layout) -> None:
    assert layout.wrong() == {}
