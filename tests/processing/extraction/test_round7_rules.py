"""Round 7's rules, each on a small page written here: Canadian sales taxes, a "$" that a
page names as another dollar, a utility bill's carried balance, customer block and base
charge, Italian "entro il", Finnish labels, and Indian (lakh) digit grouping."""

from __future__ import annotations

from decimal import Decimal

from ocr_gateway.processing import normalize
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.candidates import amount_candidates
from ocr_gateway.processing.extraction.carried_balance import carried
from ocr_gateway.processing.extraction.locale import PageLocale
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.extraction.page_carry import continues
from ocr_gateway.processing.extraction.vat_country import vat_currency
from tests.support.pages import page_of


def fields(*rows: object) -> dict[str, str]:
    return extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]


def test_quebec_gst_and_qst_are_one_tax_in_french_and_english() -> None:
    for gst, qst in (("GST 5 %", "QST 9,975 %"), ("TPS 5 %", "TVQ 9,975 %")):
        found = fields(
            [(60, "Facture no"), (400, "AB-104")],
            [(600, "Sous-total"), (1000, "1 200,00 $")],
            [(600, gst), (1000, "60,00 $")],
            [(600, qst), (1000, "119,70 $")],
            [(600, "Total"), (1000, "1 379,70 $")],
        )
        assert (found.get("subtotal"), found.get("tax"), found.get("total")) == (
            "1200.00",
            "179.70",
            "1379.70",
        )


def test_a_bare_dollar_is_the_dollar_the_page_names_by_its_code() -> None:
    named = fields(
        [(60, "Invoice"), (400, "LPH-55")],
        [(600, "HST 13%"), (1000, "13.00")],
        [(600, "Amount Due (CAD)"), (1000, "$113.00")],
    )
    assert named.get("currency") == "CAD"
    peso = fields(
        [(60, "Moneda"), (400, "Pesos mexicanos")],
        [(60, "Comprobante en MXN")],
        [(600, "Total"), (1000, "$1,160.00")],
    )
    assert peso.get("currency") == "MXN"


def test_a_page_that_also_writes_usd_keeps_the_us_dollar() -> None:
    found = fields(
        [(600, "Total (CAD equivalent shown below)"), (1000, "$100.00")],
        [(600, "Amount billed in USD")],
    )
    assert found.get("currency") == "USD"


def test_a_carried_balance_is_read_off_its_line() -> None:
    page = page_of(
        [
            [(60, "Previous Balance"), (1000, "$64.20")],
            [(60, "Balance forward"), (1000, "$0.00")],
            [(60, "Past due amount"), (1000, "$64.20")],
            [(60, "Brought forward from page 1"), (1000, "$500.00")],  # a page's carry
        ]
    )
    text = PageText.of(page)
    amounts = list(amount_candidates(text, PageLocale(".", True, "en", ("USD",))))
    assert carried(text, amounts) == {Decimal("64.20")}


def test_the_amount_due_with_a_carried_balance_is_not_the_bills_total() -> None:
    found = fields(
        [(60, "Invoice No."), (400, "W-2404-118")],
        [(60, "Past Due Amount"), (1000, "$64.20")],
        [(60, "Water usage"), (1000, "$68.00")],
        [(60, "Base charge"), (1000, "$12.00")],
        [(60, "Current Charges"), (1000, "$80.00")],
        [(60, "Total Amount Due"), (1000, "$144.20")],
    )
    assert found.get("total") == "80.00"


def test_a_base_charge_is_a_line_not_a_tax_base() -> None:
    found = fields(
        [(60, "Water usage"), (1000, "$68.00")],
        [(60, "Base charge"), (1000, "$12.00")],
        [(60, "Total"), (1000, "$80.00")],
    )
    assert (found.get("total"), found.get("subtotal")) == ("80.00", None)


def test_german_saldo_vormonat_is_a_carried_balance() -> None:
    found = fields(
        [(60, "Rechnungsnummer"), (400, "2024-77")],
        [(60, "Saldo Vormonat"), (1000, "40,00 €")],
        [(60, "Rechnungsbetrag"), (1000, "119,00 €")],
        [(60, "Gesamtbetrag"), (1000, "159,00 €")],
    )
    assert found.get("total") == "119.00"


def test_a_cleared_previous_balance_leaves_the_total_alone() -> None:
    found = fields(
        [(60, "Previous balance"), (1000, "£45.00")],
        [(60, "Payment received - thank you"), (1000, "-£45.00")],
        [(60, "Total charges this month"), (1000, "£60.00")],
        [(60, "Amount to pay"), (1000, "£60.00")],
    )
    assert found.get("total") == "60.00"


def test_service_for_heads_the_customer_not_the_seller() -> None:
    found = fields(
        [(60, "Pacific Valley Power")],
        [(60, "Service for")],
        [(60, "Maria Gonzalez")],
        [(600, "Total Amount Due"), (1000, "$126.69")],
    )
    assert found.get("vendorName") == "Pacific Valley Power"


def test_italian_bonifico_entro_il_is_the_due_date() -> None:
    found = fields(
        [(60, "Fattura n. 88")],
        [(60, "Catania, 3 aprile 2024")],
        [(600, "Totale fattura"), (1000, "€ 1.403,00")],
        [(60, "Pagamento: bonifico entro il 3 maggio 2024")],
    )
    assert found.get("dueDate") == "2024-05-03"


def test_finnish_lasku() -> None:
    found = fields(
        [(60, "LASKU")],
        [(60, "Laskun numero"), (400, "1047")],
        [(60, "Laskun päivämäärä"), (400, "12.04.2024")],
        [(60, "Eräpäivä"), (400, "26.04.2024")],
        [(60, "Viitenumero"), (400, "10474")],
        [(600, "Veroton yhteensä"), (1000, "5 000,00")],
        [(600, "ALV 24 %"), (1000, "1 200,00")],
        [(600, "Yhteensä"), (1000, "6 200,00")],
    )
    assert (found.get("invoiceNumber"), found.get("invoiceDate"), found.get("dueDate")) == (
        "1047",
        "2024-04-12",
        "2024-04-26",
    )
    assert (found.get("subtotal"), found.get("tax"), found.get("total")) == (
        "5000.00",
        "1200.00",
        "6200.00",
    )
    assert found.get("currency") == "EUR"  # a Finnish page without a sign is in euros


def test_lakh_grouping_is_one_amount() -> None:
    read = [f.normalized for f in normalize.find_amounts("Grand Total Rs. 1,26,000.00")]
    assert read == ["126000.00"]
    assert [f.normalized for f in normalize.find_amounts("12,34,567.89")] == ["1234567.89"]
    assert [f.normalized for f in normalize.find_amounts("1,234.50 and 12,50")] == [
        "1234.50",
        "12.50",
    ]


def test_the_currency_of_the_country_of_the_pages_vat_numbers() -> None:
    def currency(*rows: str) -> str | None:
        return vat_currency(PageText.of(page_of(list(rows))))

    assert currency("Redbrick Ltd · VAT GB 233 9811 04") == "GBP"
    assert currency("UID-Nr. ATU12345678", "Kunde: USt-IdNr. DE298765432") == "EUR"
    assert currency("CHE-123.456.789 MWST") == "CHF"
    assert currency("VAT Reg No GB 284 5512 90", "Customer VAT DE298765432") is None
    assert currency("Flight GB 2245 6789 01") is None  # no VAT word on the line


def test_a_page_without_a_currency_is_in_that_of_its_sellers_vat_number() -> None:
    found = fields(
        [(60, "Redbrick Print & Signs Ltd · VAT GB 233 9811 04")],
        [(60, "Invoice"), (400, "RPS-7781")],
        [(600, "Totals"), (1000, "1,160.00")],
    )
    assert found.get("currency") == "GBP"


def test_a_page_that_carries_its_sum_to_the_next_page_has_no_totals() -> None:
    def carries(*rows: str) -> bool:
        return continues(PageText.of(page_of(list(rows))))

    assert carries("Page 1 of 2", "Net 464.00", "Carried forward 464.00")
    assert carries("Seite 1 von 3", "Übertrag 1.240,00")
    assert carries("Page 1/2", "À reporter 980,00")
    assert not carries("Seite 2 von 2", "Übertrag von Seite 1 1.240,00")  # the last page
    assert not carries("Carried forward 464.00")  # no page number: maybe the only page
    found = fields(
        [(60, "Invoice No"), (400, "TCS-118")],
        [(60, "Page"), (400, "1 of 2")],
        [(600, "Net"), (1000, "222.00")],
        [(600, "Carried forward"), (1000, "464.00")],
    )
    assert "total" not in found
    assert "subtotal" not in found


def test_spanish_cuota_is_the_tax_of_a_tax_table() -> None:
    found = fields(
        [(60, "TOTAL (IVA incluido)"), (1000, "24,20 €")],
        [(60, "Base"), (400, "% IVA"), (700, "Cuota")],
        [(60, "20,00"), (400, "21"), (700, "4,20")],
    )
    assert (found.get("subtotal"), found.get("tax")) == ("20.00", "4.20")
