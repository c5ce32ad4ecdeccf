"""Whole invoices as real PDF text layers (made here with reportlab, read with PDFium)."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import ExtractionResult, extract_fields
from ocr_gateway.processing.pdf import open_pdf
from tests.support.pdfs import TextItem, text_pdf


def extraction_of(items: list[TextItem]) -> ExtractionResult:
    with open_pdf(text_pdf([items])) as pdf:
        result = pdf.text(0)
    assert result is not None
    return extract_fields(result, GENERIC_INVOICE_TEMPLATE)


def fields_of(items: list[TextItem]) -> dict[str, str | None]:
    return extraction_of(items).values()


def test_a_german_invoice() -> None:
    items: list[TextItem] = [
        (20, 20, "Kraxi GmbH", 20),
        (130, 30, "Flugzeugallee 17", 10),
        (130, 35, "12345 Papierfeld", 10),
        (20, 48, "Kraxi GmbH · Flugzeugallee 17 · 12345 Papierfeld", 7),
        (20, 55, "Papierflieger-Vertriebs-GmbH", 10),
        (20, 60, "Rabattstr. 25", 10),
        (20, 65, "34567 Osterhausen", 10),
        (20, 90, "Rechnungsnummer: 2014-03", 10),
        (110, 90, "Rechnungsdatum: 11. Juli 2014", 10),
        (110, 96, "Kundennummer: 987-654", 10),
        (20, 120, "Pos.  Artikelbeschreibung", 10),
        (120, 120, "Menge", 10),
        (160, 120, "Betrag", 10),
        (20, 128, "1  Superdrachen", 10),
        (120, 128, "2", 10),
        (160, 128, "40,00", 10),
        (110, 150, "Rechnungssumme netto", 10),
        (170, 150, "845,00", 10),
        (110, 157, "zuzüglich 19% MwSt.", 10),
        (170, 157, "160,55", 10),
        (110, 164, "Rechnungssumme brutto", 10),
        (170, 164, "1.005,55", 10),
        (20, 180, "Zahlbar bis 10.08.2014 ohne Abzug.", 10),
        (20, 280, "Kraxi GmbH   Sitz der Gesellschaft München   Geschäftsführer Paul Kraxi", 7),
    ]
    assert fields_of(items) == {
        "invoiceNumber": "2014-03",
        "invoiceDate": "2014-07-11",
        "dueDate": "2014-08-10",
        "total": "1005.55",
        "subtotal": "845.00",
        "tax": "160.55",
        "currency": "EUR",
        "vendorName": "Kraxi GmbH",
    }


def test_a_french_invoice() -> None:
    items: list[TextItem] = [
        (20, 15, "Au bon moulin SARL - 1242 chemin de l'olive - 84340 Malaucène", 8),
        (20, 30, "Facture FA-2017-0010", 16),
        (110, 45, "Ma jolie boutique", 10),
        (110, 50, "35 rue de la République", 10),
        (20, 70, "Date de facture", 10),
        (60, 70, "13/11/2017", 10),
        (20, 77, "Date d'échéance", 10),
        (60, 77, "13/12/2017", 10),
        (20, 100, "Nougat de l'Abbaye 250g", 10),
        (150, 100, "81,90 €", 10),
        (120, 130, "Total HT", 10),
        (165, 130, "624,90 €", 10),
        (120, 137, "Total TVA", 10),
        (165, 137, "46,25 €", 10),
        (120, 144, "Total TTC", 10),
        (165, 144, "671,15 €", 10),
        (120, 151, "Solde à payer", 10),
        (165, 151, "470,15 €", 10),
    ]
    assert fields_of(items) == {
        "invoiceNumber": "FA-2017-0010",
        "invoiceDate": "2017-11-13",
        "dueDate": "2017-12-13",
        "total": "671.15",
        "subtotal": "624.90",
        "tax": "46.25",
        "currency": "EUR",
        "vendorName": "Au bon moulin SARL",
    }


def test_an_english_saas_invoice() -> None:
    items: list[TextItem] = [
        (150, 15, "Invoice", 24),
        (15, 40, "Netlify, Inc.", 10),
        (120, 40, "Invoice Number:", 10),
        (160, 40, "INV04789023", 10),
        (15, 46, "512 2nd Street, Suite 200", 10),
        (120, 46, "Invoice Date:", 10),
        (160, 46, "Nov 13, 2023", 10),
        (15, 60, "Bill To:", 10),
        (15, 66, "SimFin Analytics GmbH", 10),
        (130, 200, "Subtotal:", 10),
        (165, 200, "$75.87", 10),
        (130, 206, "Tax:", 10),
        (165, 206, "$0.00", 10),
        (130, 212, "Total:", 10),
        (165, 212, "$75.87", 10),
        (130, 218, "Invoice Balance:", 10),
        (165, 218, "$0.00", 10),
    ]
    assert fields_of(items) == {
        "invoiceNumber": "INV04789023",
        "invoiceDate": "2023-11-13",
        "total": "75.87",
        "subtotal": "75.87",
        "tax": "0.00",
        "currency": "USD",
        "vendorName": "Netlify, Inc.",
    }


def test_an_italian_professionals_invoice_with_a_withholding_tax() -> None:
    items: list[TextItem] = [
        (20, 20, "Studio Legale Neri", 18),
        (20, 28, "Via Roma 12 · 20121 Milano · P.IVA IT01234567890", 9),
        (120, 45, "Spett.le Bianchi S.p.A.", 10),
        (120, 51, "Via Garibaldi 5 · 10121 Torino", 10),
        (20, 70, "FATTURA N. 12/2024 del 05/02/2024", 12),
        (20, 90, "Descrizione", 10),
        (160, 90, "Importo", 10),
        (20, 98, "Assistenza stragiudiziale", 10),
        (160, 98, "1.000,00", 10),
        (20, 104, "Cassa previdenza forense 4%", 10),
        (160, 104, "40,00", 10),
        (110, 125, "Imponibile", 10),
        (160, 125, "1.040,00", 10),
        (110, 131, "IVA 22%", 10),
        (160, 131, "228,80", 10),
        (110, 137, "Ritenuta d'acconto 20%", 10),
        (160, 137, "-200,00", 10),
        (110, 145, "Totale da pagare", 11),
        (160, 145, "1.068,80 €", 11),
        (20, 170, "Pagamento: bonifico bancario entro il 06/03/2024", 10),
    ]
    extraction = extraction_of(items)
    assert extraction.values() == {
        "invoiceNumber": "12/2024",
        "invoiceDate": "2024-02-05",
        "dueDate": "2024-03-06",
        "total": "1068.80",
        "subtotal": "1040.00",
        "tax": "228.80",
        "currency": "EUR",
        "vendorName": "Studio Legale Neri",
    }
    assert extraction.adjustments == {"withheld": "200.00"}
