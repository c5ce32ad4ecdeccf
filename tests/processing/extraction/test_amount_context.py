"""What the rest of the page says about its amounts: balances, zero tax, credit notes."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import ExtractionResult, extract_fields
from ocr_gateway.processing.invoice import PageFields, assemble_invoice
from tests.support.pages import page_of


def extract(*rows: object) -> ExtractionResult:
    return extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE)  # type: ignore[arg-type]


def amounts(*rows: object) -> tuple[str | None, str | None, str | None]:
    found = extract(*rows).values()
    return found.get("subtotal"), found.get("tax"), found.get("total")


# -- the balance after a prepayment is not the gross total ---------------------------------


@pytest.mark.parametrize(
    ("prepaid", "due"),
    [
        ("Erhaltene Anzahlungen", "Zahlbetrag"),
        ("Deposit received", "Amount due"),
        ("Acompte", "Net à payer"),
        ("Aanbetaling", "Te betalen"),
        ("Anticipo", "Total a pagar"),
        ("Acconto", "Netto a pagare"),
    ],
)
def test_a_page_with_only_the_balance_after_a_prepayment_has_no_total(
    prepaid: str, due: str
) -> None:
    assert amounts(
        [(600, prepaid), (1000, "-500,00")],
        [(600, due), (1000, "521,91")],
    ) == (None, None, None)


def test_the_gross_total_beats_the_balance_below_the_prepayment() -> None:
    assert amounts(
        [(600, "Total HT"), (1000, "858,75 €")],
        [(600, "TVA 19 %"), (1000, "163,16 €")],
        [(600, "Total TTC"), (1000, "1 021,91 €")],
        [(600, "Acompte versé"), (1000, "-500,00 €")],
        [(600, "Net à payer"), (1000, "521,91 €")],
    ) == ("858.75", "163.16", "1021.91")


def test_a_balance_without_a_prepayment_above_it_is_still_a_total() -> None:
    assert amounts([(600, "Amount due"), (1000, "$75.00")])[2] == "75.00"


def test_across_pages_the_gross_total_wins_over_the_last_pages_balance() -> None:
    first = extract(
        [(600, "Rechnungssumme ohne USt."), (1000, "858,75")],
        [(600, "Steuerbetrag"), (1000, "163,16")],
        [(600, "Bruttosumme"), (1000, "1021,91")],
    )
    last = extract(
        [(600, "Erhaltene Anzahlungen"), (1000, "-500,00")],
        [(600, "Zahlbetrag"), (1000, "521,91")],
    )
    invoice = assemble_invoice([PageFields(1, first.to_dict()), PageFields(2, last.to_dict())])
    assert invoice.fields["total"]["normalizedValue"] == "1021.91"


# -- a tax of zero -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "Tax to be paid on reverse charge basis",
        "Steuerschuldnerschaft des Leistungsempfängers",
        "Autoliquidation",
        "Btw verlegd",
        "Inversión del sujeto pasivo",
        "Inversione contabile",
        "IVA autoliquidação",
    ],
)
def test_a_reverse_charge_with_the_net_equal_to_the_total_is_a_zero_tax(note: str) -> None:
    result = extract(
        [(600, "Subtotal"), (1000, "€99.00")],
        [(600, "Total"), (1000, "€99.00")],
        [(60, note)],
    )
    assert result.values()["tax"] == "0.00"
    assert result.fields["tax"].method == "arithmetic"


def test_a_zero_rate_in_the_tax_column_is_a_zero_tax() -> None:
    assert amounts(
        [(60, "Description"), (500, "Qty"), (700, "Tax"), (1000, "Amount")],
        [(60, "Entry"), (500, "1"), (700, "0%"), (1000, "€99.00")],
        [(600, "Subtotal"), (1000, "€99.00")],
        [(600, "Total"), (1000, "€99.00")],
    ) == ("99.00", "0.00", "99.00")


def test_equal_net_and_total_on_a_page_that_prints_no_tax_give_no_tax() -> None:
    assert amounts(
        [(600, "Subtotal"), (1000, "$299.00")],
        [(600, "Total"), (1000, "$299.00")],
    ) == ("299.00", None, "299.00")


def test_a_tax_printed_as_zero_leaves_the_net_equal_to_the_total() -> None:
    result = extract(
        [(600, "VAT (19%)"), (1000, "0.00")],
        [(600, "TOTAL AT CHECKOUT"), (1000, "119.95")],
        [(60, "No VAT charged. The customer may be responsible for VAT.")],
    )
    assert (result.values()["subtotal"], result.values()["tax"]) == ("119.95", "0.00")
    assert result.fields["subtotal"].method == "arithmetic"


# -- credit notes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "net", "tax", "total"),
    [
        ("Avoir AV-2017-0005", "Total HT", "Total TVA", "Total TTC"),
        ("Credit note CN-0042", "Net total", "VAT", "Total"),
        ("Gutschrift GS-0042", "Summe netto", "MwSt.", "Gesamtbetrag"),
        ("Nota de crédito NC-0042", "Base imponible", "IVA", "Total factura"),
        ("Nota di credito NC-0042", "Imponibile", "IVA", "Totale documento"),
        ("Creditnota CN-0042", "Totaal excl. btw", "BTW", "Totaal incl. btw"),
    ],
)
def test_a_credit_note_states_its_amounts_as_positive(
    title: str, net: str, tax: str, total: str
) -> None:
    assert amounts(
        [(60, title)],
        [(600, net), (1000, "-218,48")],
        [(600, tax), (1000, "-14,99")],
        [(600, total), (1000, "-233,47")],
    ) == ("218.48", "14.99", "233.47")


def test_a_corrective_invoice_keeps_its_negative_amounts() -> None:
    assert amounts(
        [(60, "Rechnungskorrektur 2024-17")],
        [(600, "Summe netto"), (1000, "-7,67")],
        [(600, "MwSt. 19 %"), (1000, "-1,12")],
        [(600, "Gesamtbetrag"), (1000, "-8,79")],
    ) == ("-7.67", "-1.12", "-8.79")


def test_an_invoice_that_refers_to_a_credit_note_is_no_credit_note() -> None:
    assert amounts(
        [(60, "Invoice INV-0042")],
        [(60, "Credit note CN-0007 applied")],
        [(600, "Net total"), (1000, "-100.00")],
        [(600, "VAT"), (1000, "-20.00")],
        [(600, "Total"), (1000, "-120.00")],
    ) == ("-100.00", "-20.00", "-120.00")


def test_a_credit_note_says_so_in_a_warning() -> None:
    result = extract(
        [(60, "Avoir AV-2017-0005")],
        [(600, "Total HT"), (1000, "-218,48 €")],
        [(600, "Total TVA"), (1000, "-14,99 €")],
        [(600, "Total TTC"), (1000, "-233,47 €")],
    )
    assert [w.code for w in result.warnings] == ["credit_note"]
    assert result.values()["total"] == "233.47"


def test_an_invoice_has_no_credit_note_warning() -> None:
    result = extract([(60, "Facture FA-1")], [(600, "Total TTC"), (1000, "233,47 €")])
    assert result.warnings == ()


# -- a tax withheld at source, a tip ---------------------------------------------------------


@pytest.mark.parametrize(
    ("net_label", "tax_label", "withheld_label", "total_label"),
    [
        ("Imponibile", "IVA 22%", "Ritenuta d'acconto 20%", "Totale da pagare"),
        ("Base imponible", "IVA 21%", "Retención IRPF 15%", "Total factura"),
        ("Valor tributável", "IVA 23%", "Retenção na fonte IRS 25%", "Total a pagar"),
        ("Net amount", "VAT 20%", "Withholding tax 10%", "Amount payable"),
    ],
)
def test_a_total_less_a_tax_withheld_at_source_adds_up(
    net_label: str, tax_label: str, withheld_label: str, total_label: str
) -> None:
    result = extract(
        [(600, net_label), (1000, "1.000,00")],
        [(600, tax_label), (1000, "200,00")],
        [(600, withheld_label), (1000, "-150,00")],
        [(600, total_label), (1000, "1.050,00")],
    )
    assert (result.values()["subtotal"], result.values()["tax"]) == ("1000.00", "200.00")
    assert result.values()["total"] == "1050.00"
    assert all(f.confidence >= 0.8 for f in result.fields.values() if f.type == "amount")
    assert [w.code for w in result.warnings] == ["withholding_tax"]
    assert result.adjustments == {"withheld": "150.00"}
    invoice = assemble_invoice([PageFields(1, result.to_dict())])
    assert invoice.warnings == ()
    assert invoice.fields["total"]["withheld"] == "150.00"
    assert not invoice.fields["total"]["needsReview"]


def test_ritenuta_d_acconto_is_no_prepayment() -> None:
    # "acconto" alone is a prepayment: the total below it would be a balance, and dropped.
    assert amounts(
        [(600, "Imponibile"), (1000, "1.040,00")],
        [(600, "IVA 22%"), (1000, "228,80")],
        [(600, "Ritenuta d'acconto 20%"), (1000, "-200,00")],
        [(600, "Totale da pagare"), (1000, "1.068,80")],
    ) == ("1040.00", "228.80", "1068.80")


def test_the_document_total_above_the_withholding_beats_the_amount_payable() -> None:
    result = extract(
        [(600, "Imponibile"), (1000, "1.040,00")],
        [(600, "IVA 22%"), (1000, "228,80")],
        [(600, "Totale documento"), (1000, "1.268,80")],
        [(600, "Ritenuta d'acconto 20%"), (1000, "200,00")],
        [(600, "Netto a pagare"), (1000, "1.068,80")],
    )
    assert result.values()["total"] == "1268.80"
    assert result.warnings == ()
    assert result.adjustments == {}


def test_a_withholding_below_the_total_does_not_explain_it() -> None:
    result = extract(
        [(600, "Base imponible"), (1000, "1.000,00")],
        [(600, "IVA 21%"), (1000, "210,00")],
        [(600, "Total factura"), (1000, "1.060,00")],
        [(600, "Retención IRPF 15%"), (1000, "-150,00")],
    )
    assert result.adjustments == {}
    assert "withholding_tax" not in [w.code for w in result.warnings]


def test_a_total_off_by_other_than_the_withholding_still_mismatches() -> None:
    result = extract(
        [(600, "Base imponible"), (1000, "1.000,00")],
        [(600, "IVA 21%"), (1000, "210,00")],
        [(600, "Retención IRPF 15%"), (1000, "-150,00")],
        [(600, "Total factura"), (1000, "1.070,00")],
    )
    assert result.adjustments == {}
    assert "withholding_tax" not in [w.code for w in result.warnings]
    assert "withheld" not in result.to_dict()


@pytest.mark.parametrize(
    ("before", "label"),
    [
        ("Total", "Tip"),
        ("Amount", "Gratuity"),
        (None, "Service Charge 10%"),
        ("Summe", "Trinkgeld"),
        ("Total", "Pourboire"),
        ("Total", "Propina"),
    ],
)
def test_a_tip_or_service_charge_above_the_total_adds_up(before: str | None, label: str) -> None:
    rows: list[object] = [
        [(600, "Subtotal"), (1000, "16.98")],
        [(600, "Tax"), (1000, "1.36")],
    ]
    if before is not None:
        rows.append([(600, before), (1000, "18.34")])
    rows += [[(600, label), (1000, "3.00")], [(600, "Total"), (1000, "21.34")]]
    result = extract(*rows)
    assert (result.values()["subtotal"], result.values()["tax"]) == ("16.98", "1.36")
    assert result.values()["total"] == "21.34"  # what was paid, the tip with it
    assert [w.code for w in result.warnings] == ["surcharge"]
    assert result.adjustments == {"surcharge": "3.00"}
    invoice = assemble_invoice([PageFields(1, result.to_dict())])
    assert invoice.warnings == ()
    assert invoice.fields["total"]["surcharge"] == "3.00"


def test_a_suggested_tip_below_the_total_changes_nothing() -> None:
    result = extract(
        [(600, "Subtotal"), (1000, "16.98")],
        [(600, "Tax"), (1000, "1.36")],
        [(600, "Total"), (1000, "18.34")],
        [(600, "Tip"), (1000, "3.30")],
    )
    assert result.values()["total"] == "18.34"
    assert result.warnings == ()
    assert result.adjustments == {}
