"""extract_fields with templates: labels in any language, regions, regexes, review, currency."""

from __future__ import annotations

from typing import Any

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from tests.support.pages import page_of


def generic(**options: Any) -> dict[str, Any]:
    return {
        **GENERIC_INVOICE_TEMPLATE,
        "options": {**GENERIC_INVOICE_TEMPLATE["options"], **options},
    }


def one_field(**field: Any) -> dict[str, Any]:
    return {"fields": [{"type": "string", **field}]}


def test_template_labels_add_to_the_builtin_ones() -> None:
    template = one_field(name="invoiceNumber", labels=["Nr faktury"])
    polish = page_of([[(60, "Nr faktury"), (400, "FV/2024/7")]])
    english = page_of([[(60, "Invoice No:"), (400, "A-17")]])
    assert extract_fields(polish, template).values() == {"invoiceNumber": "FV/2024/7"}
    assert extract_fields(english, template).values() == {"invoiceNumber": "A-17"}


def test_template_labels_can_replace_the_builtin_ones() -> None:
    template = one_field(name="invoiceNumber", labels=["Nr faktury"], builtinLabels=False)
    english = page_of([[(60, "Invoice No:"), (400, "A-17")]])
    assert extract_fields(english, template).values() == {}


def test_a_region_restricts_a_role_field() -> None:
    page = page_of([[(60, "Total"), (300, "$1.00")], [(700, "Total"), (1000, "$2.00")]])
    region = {"x": 0.5, "y": 0, "width": 0.5, "height": 1}
    template = {"fields": [{"name": "total", "type": "amount", "region": region}]}
    assert extract_fields(page, template).values() == {"total": "2.00"}


def test_a_regex_filters_a_role_field() -> None:
    page = page_of(["Invoice No: 2024-17", "Rechnung Nr. RE-0042"])
    template = one_field(name="invoiceNumber", regex=r"^RE-\d+$")
    assert extract_fields(page, template).values() == {"invoiceNumber": "RE-0042"}


def test_fields_below_the_review_threshold_need_review() -> None:
    page = page_of([[(60, "Total"), (300, "12.00")], "Acme Shop"])
    strict = extract_fields(page, generic(reviewThreshold=0.99)).fields
    lenient = extract_fields(page, generic(reviewThreshold=0.0)).fields
    assert strict["total"].needs_review
    assert not lenient["total"].needs_review
    assert strict["total"].to_dict()["needsReview"] is True


def test_a_role_less_field_uses_its_own_labels_only() -> None:
    page = page_of([[(60, "PO Number:"), (400, "PO-7781")]])
    template = one_field(name="poNumber", labels=["PO Number"])
    field = extract_fields(page, template).fields["poNumber"]
    assert (field.normalized_value, field.method) == ("PO-7781", "label")


def test_a_role_less_date_field_reads_any_format() -> None:
    page = page_of([[(60, "Lieferdatum:"), (400, "5. März 2024")]])
    template = {"fields": [{"name": "delivered", "type": "date", "labels": ["Lieferdatum"]}]}
    assert extract_fields(page, template).values() == {"delivered": "2024-03-05"}


def test_explicit_options_win_over_the_page() -> None:
    page = page_of([[(60, "Invoice date"), (400, "02/03/2024")], [(60, "Total"), (400, "$5.00")]])
    assert extract_fields(page, generic()).values()["invoiceDate"] == "2024-02-03"
    assert extract_fields(page, generic(dateOrder="dmy")).values()["invoiceDate"] == "2024-03-02"


def test_currency_from_rupee_signs_and_codes() -> None:
    assert extract_fields(page_of(["Total Rs. 1,250.00"]), generic()).values()["currency"] == "INR"
    assert extract_fields(page_of(["Total ₹ 99.00"]), generic()).values()["currency"] == "INR"


def test_currency_from_a_currency_label() -> None:
    page = page_of([[(60, "Beträge in"), (300, "CHF")], [(60, "Gesamtbetrag"), (400, "12,00")]])
    field = extract_fields(page, generic()).fields["currency"]
    assert (field.normalized_value, field.method) == ("CHF", "label")


def test_currency_from_the_language_when_none_is_printed() -> None:
    page = page_of(["Rechnungsnummer 4711", "Rechnungsdatum 05.03.2024", "Gesamtbetrag 12,00"])
    field = extract_fields(page, generic()).fields["currency"]
    assert (field.normalized_value, field.method) == ("EUR", "locale")
    assert field.needs_review


def test_the_template_default_currency_last() -> None:
    field = extract_fields(page_of(["Total 12.00"]), generic(defaultCurrency="CAD")).fields[
        "currency"
    ]
    assert (field.normalized_value, field.method, field.confidence) == ("CAD", "default", 0.0)


def test_an_empty_page() -> None:
    result = extract_fields(page_of([]), GENERIC_INVOICE_TEMPLATE)
    assert {e.field for e in result.errors} == {"invoiceNumber", "invoiceDate", "total"}


def test_currency_from_a_single_country_legal_form() -> None:
    page = page_of(["ABC HO TRADING SDN BHD", [(60, "TOTAL"), (400, "31.00")]])
    field = extract_fields(page, generic()).fields["currency"]
    assert (field.normalized_value, field.method) == ("MYR", "locale")
    for name in ("ABC HO TRADING SDW BHD", "KEDAI RUNCIT MAJU S/B"):  # OCR garble, short form
        page = page_of([name, [(60, "TOTAL"), (400, "31.00")]])
        assert extract_fields(page, generic()).values()["currency"] == "MYR"


def test_a_bare_dollar_on_a_malaysian_receipt_is_ocr_noise() -> None:
    page = page_of(["UNIHAKKA INTERNATIONAL SDN BHD", [(60, "Total Amount:"), (400, "$7.60")]])
    assert extract_fields(page, generic()).values()["currency"] == "MYR"


def test_the_only_date_a_receipt_prints_under_a_print_time_dates_it() -> None:
    page = page_of(
        ["KEDAI BUKU CERIA", [(60, "PRINT TIME :"), (400, "03/04/2019 10:12")], "TOTAL 5.00"]
    )
    field = extract_fields(page, generic()).fields["invoiceDate"]
    assert (field.normalized_value, field.method) == ("2019-04-03", "layout")
    page = page_of(["Kassenbon", [(60, "Druckdatum"), (400, "05.06.2020")]])
    assert extract_fields(page, generic()).values()["invoiceDate"] == "2020-06-05"


def test_a_delivery_date_alone_dates_no_invoice() -> None:
    page = page_of(["Lieferschein", [(60, "Lieferdatum:"), (400, "05.06.2020")]])
    assert "invoiceDate" not in extract_fields(page, generic()).fields
