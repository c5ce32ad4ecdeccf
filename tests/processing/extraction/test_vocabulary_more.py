"""Labels in Czech, Polish, Swedish, Norwegian, Danish and Malay (``vocabulary_more.py``), as printed."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from tests.support.pages import page_of


def fields(*rows: object) -> dict[str, str]:
    return extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]


def test_czech_invoice_with_duzp_and_kc() -> None:
    found = fields(
        [(60, "Faktura - daňový doklad")],
        [(60, "Číslo faktury"), (400, "2024000153")],
        [(60, "DUZP"), (400, "12.03.2024")],
        [(60, "Datum vystavení"), (400, "14.03.2024")],
        [(60, "Datum splatnosti"), (400, "28.03.2024")],
        [(600, "Základ daně"), (1000, "6 000,00")],
        [(600, "DPH 21 %"), (1000, "1 260,00")],
        [(600, "Celkem k úhradě"), (1000, "7 260,00 Kč")],
    )
    assert (found.get("invoiceNumber"), found.get("invoiceDate"), found.get("dueDate")) == (
        "2024000153",
        "2024-03-14",
        "2024-03-28",
    )
    assert (found.get("subtotal"), found.get("tax"), found.get("total")) == (
        "6000.00",
        "1260.00",
        "7260.00",
    )
    assert found.get("currency") == "CZK"


def test_polish_termin_platnosci_and_do_zaplaty_in_zloty() -> None:
    found = fields(
        [(60, "Faktura VAT")],
        [(60, "Nr faktury"), (400, "FV/2024/03/117")],
        [(60, "NIP"), (400, "5831234567")],
        [(60, "Data wystawienia"), (400, "08.03.2024")],
        [(60, "Termin płatności"), (400, "22.03.2024")],
        [(600, "Netto"), (1000, "800,00")],
        [(600, "VAT 23%"), (1000, "184,00")],
        [(600, "Do zapłaty"), (1000, "984,00 zł")],
    )
    assert found.get("invoiceNumber") == "FV/2024/03/117"
    assert found.get("dueDate") == "2024-03-22"
    assert (found.get("total"), found.get("currency")) == ("984.00", "PLN")


def test_norwegian_kr_is_nok_and_danish_kr_is_dkk() -> None:
    norwegian = fields(
        [(60, "Fakturadato"), (400, "11.03.2024")],
        [(60, "Forfallsdato"), (400, "25.03.2024")],
        [(600, "Sum eks. mva"), (1000, "4 000,00")],
        [(600, "MVA 25 %"), (1000, "1 000,00")],
        [(600, "Å betale"), (1000, "kr 5 000,00")],
    )
    danish = fields(
        [(60, "Fakturadato"), (400, "06.03.2024")],
        [(60, "Forfaldsdato"), (400, "20.03.2024")],
        [(600, "Moms 25 %"), (1000, "500,00")],
        [(600, "Total inkl. moms"), (1000, "2.500,00 kr.")],
    )
    assert (norwegian.get("dueDate"), norwegian.get("total"), norwegian.get("currency")) == (
        "2024-03-25",
        "5000.00",
        "NOK",
    )
    assert (danish.get("dueDate"), danish.get("tax"), danish.get("currency")) == (
        "2024-03-20",
        "500.00",
        "DKK",
    )


def test_swedish_att_betala_and_forfallodatum() -> None:
    found = fields(
        [(60, "Förfallodatum"), (400, "2024-04-04")],
        [(60, "Org.nr"), (400, "556123-4567")],
        [(600, "Moms 25 %"), (1000, "3 000,00")],
        [(600, "Att betala"), (1000, "15 000,00 kr")],
    )
    assert (found.get("dueDate"), found.get("total"), found.get("currency")) == (
        "2024-04-04",
        "15000.00",
        "SEK",
    )
    assert found.get("invoiceNumber") != "556123-4567"


def test_a_tax_code_that_folds_like_sro_is_no_legal_form() -> None:
    # "SR-0" folds to "sro" (OCR's "0" read as "o"), the Czech "s.r.o.": a code, not a name.
    found = fields(
        [(60, "KEDAI MAKAN SETIA")],
        [(60, "TAX INVOICE")],
        [(60, "TAX CODE SR-0")],
        [(600, "TOTAL"), (1000, "12.50")],
    )
    assert found.get("vendorName") == "KEDAI MAKAN SETIA"


def test_a_czech_legal_form_ends_the_sellers_name() -> None:
    found = fields(
        [(60, "Odběratel"), (700, "Stavebniny Horák s.r.o.")],
        [(60, "Truhlářství Novák"), (700, "IČ 27654321")],
        [(60, "Faktura")],
    )
    assert found.get("vendorName") == "Stavebniny Horák s.r.o."


def test_malay_receipt_jumlah_cukai_tunai_baki() -> None:
    found = fields(
        "KEDAI MAKAN SELERA",
        "RESIT",
        "TARIKH 12/03/2024",
        "JUMLAH KECIL 20.00",
        "CUKAI 1.20",
        "JUMLAH 21.20",
        "TUNAI 50.00",
        "BAKI 28.80",
    )
    assert (found.get("subtotal"), found.get("tax"), found.get("total")) == (
        "20.00",
        "1.20",
        "21.20",
    )
    assert found.get("invoiceDate") == "2024-03-12"


def test_malay_cash_less_change_is_the_total_paid() -> None:
    # no total label OCR could read: TUNAI (cash) less BAKI (change)
    found = fields(
        "KEDAI MAKAN SELERA", "NASI LEMAK 7.50", "J0MLAH 12.40", "TUNAI 20.00", "BAKI 7.60"
    )
    assert found.get("total") == "12.40"
