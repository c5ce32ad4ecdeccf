"""Template validation: every problem reported at once, with where it is."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import BUILTIN_TEMPLATES, GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.template import DEFAULT_REVIEW_THRESHOLD, Template, TemplateError


def test_the_builtin_templates_are_valid() -> None:
    for data in BUILTIN_TEMPLATES:
        template = Template.from_dict(data)
        assert template.fields
    generic = Template.from_dict(GENERIC_INVOICE_TEMPLATE)
    assert [f.name for f in generic.fields] == [
        "invoiceNumber",
        "invoiceDate",
        "dueDate",
        "total",
        "subtotal",
        "tax",
        "currency",
        "vendorName",
    ]
    assert generic.options.total_check == ("total", ("subtotal", "tax"))


def test_every_problem_is_listed() -> None:
    with pytest.raises(TemplateError) as caught:
        Template.from_dict(
            {
                "fields": [
                    {"name": "", "type": "money"},
                    {"name": "a", "regex": "("},
                    {"name": "a", "region": {"x": 0.5, "y": 0, "width": 2, "height": 1}},
                    {"name": "b", "labels": "Total"},
                ],
                "options": {
                    "decimalSeparator": ";",
                    "defaultCurrency": "dollars",
                    "totalCheck": {"total": "b", "parts": ["a"]},
                },
            }
        )
    problems = "\n".join(caught.value.problems)
    for fragment in (
        "fields[0].name",
        "fields[0].type",
        "fields[1].regex does not compile",
        "fields[2].region",
        "fields[3].labels",
        "'a' is used twice",
        "decimalSeparator",
        "defaultCurrency",
        "not an amount field",
    ):
        assert fragment in problems


def test_defaults() -> None:
    template = Template.from_dict({"fields": [{"name": "n"}]})
    assert template.fields[0].type == "string"
    assert not template.fields[0].required
    assert template.options.decimal_separator is None  # inferred from each page
    assert template.options.date_formats == ()  # any common format
    assert template.options.date_order is None
    assert template.options.review_threshold == DEFAULT_REVIEW_THRESHOLD
    assert template.options.total_check is None
    assert template.fields[0].builtin_labels


def test_new_options_are_validated() -> None:
    with pytest.raises(TemplateError) as caught:
        Template.from_dict(
            {
                "fields": [{"name": "total", "type": "amount", "builtinLabels": "no"}],
                "options": {"reviewThreshold": 1.5, "dateOrder": "ymd"},
            }
        )
    problems = caught.value.problems
    assert "fields[0].builtinLabels must be true or false" in problems
    assert "options.reviewThreshold must be a number from 0 to 1" in problems
    assert 'options.dateOrder must be "dmy" or "mdy"' in problems


def test_new_options_are_read() -> None:
    template = Template.from_dict(
        {
            "fields": [{"name": "total", "type": "amount", "builtinLabels": False}],
            "options": {"reviewThreshold": 0.8, "dateOrder": "mdy", "decimalSeparator": ","},
        }
    )
    assert not template.fields[0].builtin_labels
    assert template.options.review_threshold == 0.8
    assert (template.options.date_order, template.options.decimal_separator) == ("mdy", ",")
