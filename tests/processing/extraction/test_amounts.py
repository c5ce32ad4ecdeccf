"""Total, net and tax: chosen together by labels in seven languages and by arithmetic."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import ExtractionResult, extract_fields
from ocr_gateway.processing.extraction.candidates import amount_candidates
from ocr_gateway.processing.extraction.locale import PageLocale
from ocr_gateway.processing.extraction.page import PageText
from tests.support.pages import page_of


def extract(*rows: object) -> ExtractionResult:
    return extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE)  # type: ignore[arg-type]


def amounts(*rows: object) -> tuple[str | None, str | None, str | None]:
    found = extract(*rows).values()
    return found.get("subtotal"), found.get("tax"), found.get("total")


def test_french_total_ttc_not_the_first_total() -> None:
    assert amounts(
        [(700, "Total HT"), (1000, "46,68 €")],
        [(700, "TVA 20%"), (1000, "9,34 €")],
        [(700, "Total TTC"), (1000, "56,02 €")],
    ) == ("46.68", "9.34", "56.02")


def test_a_total_quantity_is_not_the_total() -> None:
    assert amounts([(60, "Total Qty:"), (400, "25,80")], [(60, "TOTAL"), (400, "27.35")])[2] == (
        "27.35"
    )


def test_german_netto_mwst_brutto() -> None:
    assert amounts(
        [(600, "Rechnungssumme netto"), (1000, "845,00")],
        [(600, "zuzüglich 19% MwSt."), (1000, "160,55")],
        [(600, "Rechnungssumme brutto"), (1000, "1.005,55")],
    ) == ("845.00", "160.55", "1005.55")


def test_a_net_label_with_tax_words_in_brackets() -> None:
    assert amounts(
        [(400, "Rechnungssumme Netto (excl. USt.)"), (1000, "198,00")],
        [(400, "Steuerbasisbetrag USt. 19%"), (850, "198,00"), (1000, "37,62")],
        [(400, "Rechnungssumme Brutto (inkl. USt.)"), (1000, "235,62")],
    ) == ("198.00", "37.62", "235.62")


def test_dutch_spanish_italian_portuguese() -> None:
    assert amounts(
        [(600, "Totaal excl. BTW"), (1000, "100,00")],
        [(600, "BTW 21%"), (1000, "21,00")],
        [(600, "Totaal incl. BTW"), (1000, "121,00")],
    ) == ("100.00", "21.00", "121.00")
    assert amounts(
        [(600, "Base imponible"), (1000, "1.419,00")],
        [(600, "IVA 21%"), (1000, "297,99")],
        [(600, "Total factura"), (1000, "1.716,99")],
    ) == ("1419.00", "297.99", "1716.99")
    assert amounts(
        [(600, "Imponibile"), (1000, "50,00")],
        [(600, "IVA 22%"), (1000, "11,00")],
        [(600, "Totale documento"), (1000, "61,00")],
    ) == ("50.00", "11.00", "61.00")
    assert amounts(
        [(600, "Total sem IVA"), (1000, "80,00")],
        [(600, "IVA 23%"), (1000, "18,40")],
        [(600, "Total a pagar"), (1000, "98,40")],
    ) == ("80.00", "18.40", "98.40")


def test_a_garbled_net_label() -> None:
    assert amounts(
        [(600, "Net Tota]"), (1000, "10.00")],
        [(600, "VAT"), (1000, "2.00")],
        [(600, "Total"), (1000, "12.00")],
    ) == ("10.00", "2.00", "12.00")


def test_the_arithmetic_picks_the_gross_total_over_the_amount_still_due() -> None:
    found = amounts(
        [(700, "Total HT"), (1000, "624,90 €")],
        [(700, "Total taxes"), (1000, "46,25 €")],
        [(700, "Total TTC"), (1000, "671,15 €")],
        [(700, "Solde à payer"), (1000, "470,15 €")],
    )
    assert found == ("624.90", "46.25", "671.15")


def test_amounts_that_do_not_add_up_are_less_confident() -> None:
    good = extract(
        [(600, "Subtotal"), (1000, "$10.00")],
        [(600, "Tax"), (1000, "$1.00")],
        [(600, "Total"), (1000, "$11.00")],
    )
    bad = extract(
        [(600, "Subtotal"), (1000, "$10.00")],
        [(600, "Tax"), (1000, "$1.00")],
        [(600, "Total"), (1000, "$12.00")],
    )
    assert bad.fields["total"].confidence < good.fields["total"].confidence
    assert [w.code for w in bad.warnings] == ["totals_mismatch"]


def test_a_tax_printed_only_per_rate_is_derived() -> None:
    result = extract(
        [(600, "Gesamtbetrag netto"), (1000, "473,00")],
        [(600, "USt 7%"), (1000, "19,25")],
        [(600, "USt 19%"), (1000, "37,62")],
        [(600, "Gesamtbetrag brutto"), (1000, "529,87")],
    )
    assert result.values()["tax"] == "56.87"
    assert result.fields["tax"].method == "arithmetic"
    assert result.fields["tax"].box is None


def test_the_total_below_a_rounding_adjustment_is_the_rounded_one() -> None:
    assert (
        amounts(
            [(60, "Total Amount"), (500, "24.10")],
            [(60, "Rounding Adj"), (500, "0.30")],
            [(60, "TOTAL"), (500, "RM 24.40")],
            [(60, "CASH"), (500, "30.40")],
            [(60, "CHANGE"), (500, "6.00")],
        )[2]
        == "24.40"
    )


def test_cash_and_change_are_not_totals() -> None:
    assert (
        amounts(
            [(60, "TOTAL :"), (500, "31.00")],
            [(60, "CASH :"), (500, "101.00")],
            [(60, "CHANGE :"), (500, "70.00")],
        )[2]
        == "31.00"
    )


def test_values_under_column_headers() -> None:
    assert amounts(
        [(500, "TOTAL HT"), (700, "TOTAL TVA"), (900, "TOTAL TTC")],
        [(500, "100,00"), (700, "10,00"), (900, "110,00")],
    ) == ("100.00", "10.00", "110.00")


def test_a_receipt_subtotal_including_tax_is_the_total() -> None:
    assert amounts([(60, "Item 2 SubTotal Incl GST"), (500, "41.20")])[2] == "41.20"


def test_no_amount_without_evidence() -> None:
    assert amounts("Widget 12.50", "Gadget 7.00") == (None, None, None)


def test_a_net_total_only_implied_by_the_total_and_its_tax() -> None:
    result = extract(
        [(100, "vierteljährlicher Beitrag inklusive 19 % Versicherungsteuer"), (1000, "220,00 €")],
        [(100, "in diesem Beitrag enthaltene Versicherungsteuer"), (1000, "(35,13 €)")],
    )
    assert result.values()["tax"] == "35.13"  # in brackets: an aside, not a negative
    assert result.values()["subtotal"] == "184.87"
    assert result.fields["subtotal"].method == "arithmetic"


def test_a_currency_sign_read_as_a_digit_is_repaired_in_the_choice() -> None:
    result = extract(
        [(600, "Subtotal"), (1000, "$1,992.00")],
        [(600, "Sales Tax (8.25%)"), (1000, "9164.34")],
        [(600, "Total"), (1000, "$2,156.34")],
    )
    assert result.values()["tax"] == "164.34"
    assert result.fields["tax"].method == "reconciled"


def test_a_decimal_point_misread_as_an_apostrophe() -> None:
    assert amounts([(60, "TOTAL:"), (500, "65 ' 55")])[2] == "65.55"


def test_the_grand_total_row_of_a_tax_table() -> None:
    header = [
        (100, "Warenwert"),
        (300, "Nettobetrag"),
        (500, "MwSt-Betrag"),
        (700, "MwSt-%"),
        (900, "Endbetrag"),
    ]
    assert amounts(
        header,
        [(100, "326,50"), (300, "321,40"), (500, "61,07"), (700, "19,0"), (900, "382,47")],
        [(100, "130,70"), (300, "127,59"), (500, "8,93"), (700, "7,0"), (900, "136,52")],
        [(100, "457,20"), (300, "448,99"), (500, "70,00"), (700, "EUR"), (900, "518,99")],
    ) == ("448.99", "70.00", "518.99")


def test_a_number_after_a_rate_label_is_a_rate() -> None:
    page = PageText.of(
        page_of(["Frachtbetrag MwSt.-% 19,0 3,00", "Versicherungsteuer 19 % 9,50 €"])
    )
    found = [c.normalized for c in amount_candidates(page, PageLocale(",", True, "de", ()))]
    assert found == ["3.00", "9.50"]


def test_a_column_read_block_pairs_labels_and_values_in_order() -> None:
    # A receipt read column by column: all the labels, then all the values. The line right
    # above the first value is the block's last label ("RÜCKGELD"), not its header.
    assert (
        amounts(
            "SUMME INKL. MWST",
            "BAR",
            "RÜCKGELD",
            "42,50",
            "50,00",
            "7,50",
        )[2]
        == "42.50"
    )
    assert (
        amounts(
            "TOTAL TTC",
            "ESPECES",
            "RENDU",
            "18,20",
            "20,00",
            "1,80",
        )[2]
        == "18.20"
    )


def test_a_garbled_label_keeps_its_place_in_a_column_read_block() -> None:
    assert (
        amounts(
            "SUB-TOTAL",
            "DISCOUNT",
            "T0TL",
            "CASH",
            "CHANGE",
            "12.60",
            "0.00",
            "12.60",
            "20.00",
            "7.40",
        )[2]
        == "12.60"
    )


def test_the_cash_tendered_less_the_change_confirms_the_total() -> None:
    # Two amounts labelled as totals; the payment says which one was paid.
    assert (
        amounts(
            [(60, "Total Items Value"), (900, "31.40")],
            [(60, "Net Total"), (900, "29.90")],
            [(60, "Cash"), (900, "50.00")],
            [(60, "Change"), (900, "20.10")],
        )[2]
        == "29.90"
    )


def test_an_unlabelled_amount_equal_to_cash_less_change_is_the_total() -> None:
    found = extract(
        [(60, "T0TL"), (900, "8.40")],
        [(60, "Efectivo entregado"), (900, "10.00")],
        [(60, "Cambio"), (900, "1.60")],
    ).fields["total"]
    assert (found.normalized_value, found.method) == ("8.40", "arithmetic")


def test_the_total_after_rounding_beats_the_unrounded_one_that_adds_up() -> None:
    assert amounts(
        [(60, "Total excl. tax:"), (900, "40.00")],
        [(60, "Service tax 6%:"), (900, "2.42")],
        [(60, "Total incl. tax:"), (900, "42.42")],
        [(60, "Rounding adj:"), (900, "-0.02")],
        [(60, "Total:"), (900, "42.40")],
    ) == ("40.00", "2.42", "42.40")


def test_a_rounded_total_with_a_service_charge_between() -> None:
    # Net + service charge + tax = 33.55; rounded, 33.55 is kept (no adjustment printed).
    assert (
        amounts(
            [(60, "Total (excluding tax):"), (900, "28.80")],
            [(60, "Serv. charge (10%):"), (900, "2.88")],
            [(60, "Tax payable:"), (900, "1.90")],
            [(60, "Total (inclusive of tax):"), (900, "33.58")],
            [(60, "Rounding adj:"), (900, "-0.03")],
            [(60, "Total:"), (900, "33.55")],
        )[2]
        == "33.55"
    )


def test_a_split_excluding_label_stays_a_net_total() -> None:
    assert amounts(
        [(60, "Tota| (Exc luding GST)"), (900, "41.50")],
        [(60, "GST 6%"), (900, "2.49")],
        [(60, "Tota/ Rounded"), (900, "43.99")],
    ) == ("41.50", "2.49", "43.99")


def test_a_rounded_net_total_on_a_receipt_is_what_is_paid() -> None:
    assert (
        amounts(
            [(60, "NET TOTAL (MYR):"), (900, "18.00")],
            [(60, "ROUNDING ADJ.:"), (900, "0.00")],
            [(60, "NET TOTAL ROUNDED (MYR):"), (900, "18.00")],
        )[2]
        == "18.00"
    )
    assert amounts([(60, "Summe netto gerundet"), (900, "7,50")])[2] == "7.50"


def test_an_unlabelled_amount_equal_to_net_plus_tax_is_the_total() -> None:
    found = extract(
        [(60, "Total excl. VAT"), (900, "50.00")],
        [(60, "VAT 20%"), (900, "10.00")],
        [(60, "Thank you"), (900, "60.00")],
    ).fields
    assert (found["total"].normalized_value, found["total"].method) == ("60.00", "arithmetic")


def test_a_labelled_total_beats_net_plus_tax_with_a_service_charge_between() -> None:
    assert (
        amounts(
            [(60, "Sous-total HT"), (900, "100,00")],
            [(60, "Service 10%"), (900, "10,00")],
            [(60, "TVA 10%"), (900, "11,00")],
            [(60, "Total TTC"), (900, "121,00")],
            [(60, "Merci"), (900, "110,00")],
        )[2]
        == "121.00"
    )


def test_a_negative_number_under_the_payment_is_not_the_cash_tendered() -> None:
    assert (
        amounts(
            [(60, "SUBTOTAL"), (900, "23.50")],
            [(60, "TOTAL"), (900, "23 0 50")],
            [(60, "CASH"), (900, "50.00")],
            [(60, "CHANGE"), (900, "26.50")],
            [(60, "12/05/19 13:54 #OO"), (900, "-11056240")],
        )[2]
        == "23.50"
    )


def test_a_nett_total_below_the_rounding_is_the_rounded_total() -> None:
    # "NETT TOTAL" under a rounding adjustment: the total +- the adjustment, not a net.
    assert (
        amounts(
            [(60, "TOTAL AMOUNT:"), (900, "RM12.38")],
            [(60, "SST @0%:"), (900, "RM0.00")],
            [(60, "ROUNDING:"), (900, "RM0.02")],
            [(60, "NETT TOTAL:"), (900, "RM12.40")],
        )[2]
        == "12.40"
    )


def test_a_rounding_adjustment_does_not_make_an_earlier_total_add_up() -> None:
    # The unrounded total printed above the adjustment is not "net + tax - rounding".
    assert (
        amounts(
            [(60, "Sub Total"), (900, "20.03")],
            [(60, "Total"), (900, "20.03")],
            [(60, "Rounding"), (900, "0.02")],
            [(60, "Total Rounded"), (900, "20.05")],
        )[2]
        == "20.05"
    )


def test_the_grand_total_of_per_rate_totals() -> None:
    assert (
        amounts(
            [(60, "TOTAL 6% SUPPLIES (EXCL. SST):"), (900, "20.00")],
            [(60, "SST:"), (900, "1.20")],
            [(60, "TOTAL 6% SUPPLIES (INC. SST):"), (900, "21.20")],
            [(60, "TOTAL 0% SUPPLIES:"), (900, "8.30")],
            [(60, "TOTAL PAYABLE:"), (900, "29.50")],
        )[2]
        == "29.50"
    )
    assert (
        amounts(
            [(60, "Netto 19%"), (900, "50,00")],
            [(60, "MwSt. 19%"), (900, "9,50")],
            [(60, "Summe 19% inkl. MwSt."), (900, "59,50")],
            [(60, "Summe 7% inkl. MwSt."), (900, "21,40")],
            [(60, "Gesamtbetrag"), (900, "80,90")],
        )[2]
        == "80.90"
    )


def test_a_total_that_adds_up_is_kept_when_no_later_total_sums_it() -> None:
    assert amounts(
        [(60, "Total HT"), (900, "100,00")],
        [(60, "TVA 20%"), (900, "20,00")],
        [(60, "Total TTC"), (900, "120,00")],
        [(60, "Acompte"), (900, "50,00")],
        [(60, "Total"), (900, "170,00")],  # not labelled as well as a gross total
    ) == ("100.00", "20.00", "120.00")


def test_a_net_total_alone_is_the_total_to_review() -> None:
    found = extract(
        [(60, "Zwischensumme"), (900, "18,40")], [(60, "Vielen Dank"), (900, "")]
    ).fields
    assert (found["total"].normalized_value, found["total"].method) == ("18.40", "arithmetic")
    assert found["total"].needs_review


def test_a_net_total_with_a_tax_on_it_is_not_the_total() -> None:
    found = extract([(60, "Subtotal"), (900, "50.00")], [(60, "VAT 20%"), (900, "10.00")])
    assert found.values().get("total") != "50.00"


def test_a_credit_notes_grand_total_is_its_most_negative_sum() -> None:
    header = [(60, "Nettobetrag"), (400, "MwSt.-Betrag"), (800, "Endbetrag")]
    assert amounts(
        "RECHNUNGSKORREKTUR",
        header,
        [(60, "-10,00"), (400, "-1,90"), (800, "-11,90")],
        [(60, "-5,00"), (400, "-0,35"), (800, "-5,35")],
        [(60, "-15,00"), (400, "-2,25"), (800, "-17,25")],
    ) == ("-15.00", "-2.25", "-17.25")
