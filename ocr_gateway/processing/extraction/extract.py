"""``extract_fields``: one page's OCR result and a template in, the template's fields out.

Order of work on a page:

1. the page's lines and cells (``page.py``), its label hits in every language
   (``labels.py``: built-in vocabulary plus the template's labels), its locale
   (``locale.py``: decimal separator, date order, language, currencies);
2. every candidate value (``candidates.py``): dates, amounts, id-like tokens;
3. each template field by its role: invoice number and dates by label and layout evidence
   (``scoring.py``), total / net / tax together by labels and arithmetic (``amounts.py``),
   the vendor by wording and layout (``vendor.py``), the currency from a currency label, the
   total's currency sign, the page's signs or codes, then the language (EUR) and the
   template's default (``currency.py``); a template field with no built-in role by its
   own labels, regex and region (``custom.py``). A region restricts a field's candidates to it; a regex
   must match a candidate's text;
4. the template's ``totalCheck`` (``totals.py``: misread currency signs repaired, a
   mismatch left is a warning), ``needsReview`` below the template's review threshold, and
   missing required fields as errors; a credit note's positive amounts get a
   ``credit_note`` warning. Nothing here raises for a bad page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ocr_gateway.processing.extraction import amount_context, payment_terms, scoring
from ocr_gateway.processing.extraction.amounts import AmountChoice, choose_amounts
from ocr_gateway.processing.extraction.candidates import (
    Candidate,
    amount_candidates,
    date_candidates,
    id_candidates,
)
from ocr_gateway.processing.extraction.currency import choose_currency
from ocr_gateway.processing.extraction.custom import extract_custom
from ocr_gateway.processing.extraction.evidence import EvidenceFinder
from ocr_gateway.processing.extraction.labels import LabelHit, Vocabulary, find_labels
from ocr_gateway.processing.extraction.locale import PageLocale, infer_locale
from ocr_gateway.processing.extraction.model import (
    ExtractedField,
    ExtractionError,
    ExtractionResult,
)
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.extraction.short_number import labelled_digits
from ocr_gateway.processing.extraction.vendor import choose_vendor
from ocr_gateway.processing.normalize import format_amount
from ocr_gateway.processing.result import Box, OcrResult
from ocr_gateway.processing.template import FieldSpec, Template
from ocr_gateway.processing.totals import DEFAULT_TOTAL_CHECK, reconcile_totals

ROLES = (
    "invoiceNumber",
    "invoiceDate",
    "dueDate",
    "total",
    "subtotal",
    "tax",
    "currency",
    "vendorName",
)


@dataclasses.dataclass(frozen=True)
class _Page:
    page: PageText
    hits: list[list[LabelHit]]
    locale: PageLocale
    dates: list[Candidate]
    amounts: list[Candidate]
    ids: list[Candidate]
    finder: EvidenceFinder
    memo: dict[tuple[int, ...], dict[str, AmountChoice]] = dataclasses.field(default_factory=dict)


def extract_fields(
    result: OcrResult,
    template: Template | Mapping[str, Any],
    *,
    languages: Sequence[str] = (),
) -> ExtractionResult:
    """Fields of ``template`` found in ``result``; raises ``TemplateError`` for a bad template.

    ``languages`` (the template's OCR languages, e.g. ``["de"]``) only break a tie when the
    page's own labels do not tell its language.
    """
    if not isinstance(template, Template):
        template = Template.from_dict(template)
    page = _read_page(result, template, languages)
    found: dict[str, ExtractedField] = {}
    for spec in template.fields:
        field = _extract(spec, page, result, template)
        if field is not None:
            found[spec.name] = field
    adjusted = [  # with the top of its line
        (adjustment, page.page.lines[adjustment.line].box[1])
        for adjustment in amount_context.total_adjustments(page.amounts, page.finder)
    ]
    return _noted_credit_note(_finish(found, template, adjusted), page)


def _noted_credit_note(result: ExtractionResult, page: _Page) -> ExtractionResult:
    """A credit note's amounts are stated positive (``amount_context``); the page says why
    in a ``credit_note`` warning, so that the direction of the money is not lost."""
    amounts = [name for name in ("total", "subtotal", "tax") if name in result.fields]
    if not amounts or not amount_context.is_credit_note(page.hits):
        return result
    message = "the document is titled as a credit note: its amounts are stated positive"
    note = ExtractionError(amounts[0], "credit_note", message)
    return dataclasses.replace(result, warnings=(*result.warnings, note))


def _read_page(result: OcrResult, template: Template, languages: Sequence[str]) -> _Page:
    page = PageText.of(result)
    hits = find_labels(page, _vocabulary(_template_labels(template)))
    options = template.options
    locale = infer_locale(
        page, hits, decimal_separator=options.decimal_separator, languages=languages
    )
    if options.date_order is not None:
        locale = dataclasses.replace(locale, day_first=options.date_order == "dmy")
    dates = list(date_candidates(page, locale))
    amounts = [
        amount
        for amount in amount_candidates(page, locale, default_currency=options.default_currency)
        if not payment_terms.is_period(page, amount)  # "Net 30" is no net total of 30.00
    ]
    ids = [*id_candidates(page, dates), *labelled_digits(page, hits)]
    finder = EvidenceFinder(page, hits, dates + amounts + ids)
    return _Page(page, hits, locale, dates, amounts, ids, finder)


def _template_labels(template: Template) -> tuple[tuple[str, bool, tuple[str, ...]], ...]:
    return tuple(
        (spec.name, spec.builtin_labels or spec.name not in ROLES, spec.labels)
        for spec in template.fields
        if spec.labels or not spec.builtin_labels
    )


@lru_cache(maxsize=64)
def _vocabulary(labels: tuple[tuple[str, bool, tuple[str, ...]], ...]) -> Vocabulary:
    base = Vocabulary.builtin({name: phrases for name, _, phrases in labels})
    replaced = {name for name, builtin, _ in labels if not builtin}
    if not replaced:
        return base
    kept = [
        label
        for group in base.by_key.values()
        for label in group
        if label.role not in replaced or label.language == "template"
    ]
    return Vocabulary(kept)


def _extract(
    spec: FieldSpec, page: _Page, result: OcrResult, template: Template
) -> ExtractedField | None:
    if spec.name not in ROLES:
        options = dataclasses.replace(
            template.options,
            decimal_separator=template.options.decimal_separator or page.locale.decimal_separator,
            date_order=template.options.date_order or ("dmy" if page.locale.day_first else "mdy"),
        )
        return extract_custom(spec, result, options)
    scoped = _scoped(page, spec, result)
    field = _by_role(spec, scoped, template)
    return field


def _scoped(page: _Page, spec: FieldSpec, result: OcrResult) -> _Page:
    """The page's candidates that the field's region and regex allow."""

    def allowed(candidate: Candidate) -> bool:
        if spec.region is not None and not spec.region.contains(
            candidate.box, page_width=result.width, page_height=result.height
        ):
            return False
        return spec.regex is None or spec.regex.search(candidate.text) is not None

    if spec.region is None and spec.regex is None:
        return page
    return dataclasses.replace(
        page,
        dates=[c for c in page.dates if allowed(c)],
        amounts=[c for c in page.amounts if allowed(c)],
        ids=[c for c in page.ids if allowed(c)],
    )


def _by_role(spec: FieldSpec, page: _Page, template: Template) -> ExtractedField | None:
    name = spec.name
    if name == "invoiceNumber":
        choice = scoring.best_of(
            scoring.id_scores(page.ids, page.finder, page.page), distinct=lambda c: c.normalized
        )
        return (
            _from_choice(spec, choice, scoring.clean_id(choice.candidate.normalized))
            if choice
            else None
        )
    if name in ("invoiceDate", "dueDate"):
        dates = scoring.assign_dates(scoring.date_scores(page.dates, page.finder, page.page))
        choice = dates.get(name)
        if choice is None and name == "dueDate" and spec.region is None:
            return _due_from_terms(spec, page, dates.get("invoiceDate"))
        return _from_choice(spec, choice, choice.candidate.normalized) if choice else None
    if name in ("total", "subtotal", "tax"):
        return _amount(spec, page)
    if name == "vendorName":
        vendor = choose_vendor(page.page, page.hits, allow=_region_filter(spec, page.page))
        if vendor is None:
            return None
        return ExtractedField(
            name, spec.type, vendor.text, vendor.text, vendor.confidence, vendor.box, vendor.method
        )
    return _currency(spec, page, template)


def _due_from_terms(
    spec: FieldSpec, page: _Page, issued: scoring.Choice | None
) -> ExtractedField | None:
    """No printed due date: the invoice date plus the page's payment period, if it states
    one ("Net 30", "zahlbar innerhalb 14 Tagen"), at a confidence that asks for review."""
    terms = payment_terms.payment_terms(page.page)
    if issued is None or terms is None:
        return None
    due = payment_terms.due_from_terms(issued.candidate.normalized, terms)
    confidence = payment_terms.TERMS_CONFIDENCE
    return ExtractedField(spec.name, spec.type, terms.text, due, confidence, terms.box, "terms")


def _region_filter(spec: FieldSpec, page: PageText) -> Callable[[Box], bool] | None:
    region = spec.region
    if region is None:
        return None
    return lambda box: region.contains(box, page_width=page.width, page_height=page.height)


def _from_choice(spec: FieldSpec, choice: scoring.Choice, normalized: str) -> ExtractedField:
    c = choice.candidate
    return ExtractedField(
        spec.name, spec.type, c.text, normalized, choice.confidence, c.box, choice.method
    )


def _amounts(page: _Page) -> dict[str, AmountChoice]:
    """Total, net and tax of the (scoped) page, chosen once for the fields that ask."""
    key = tuple(id(c) for c in page.amounts)
    if key not in page.memo:
        page.memo[key] = choose_amounts(page.amounts, page.finder)
    return page.memo[key]


def _amount(spec: FieldSpec, page: _Page) -> ExtractedField | None:
    chosen = _amounts(page).get(spec.name)
    if chosen is None:
        return None
    value = format_amount(chosen.value)
    if chosen.candidate is None:
        return ExtractedField(
            spec.name, spec.type, value, value, chosen.confidence, None, chosen.method
        )
    c = chosen.candidate
    return ExtractedField(
        spec.name, spec.type, c.text, value, chosen.confidence, c.box, chosen.method
    )


def _currency(spec: FieldSpec, page: _Page, template: Template) -> ExtractedField | None:
    found = choose_currency(
        page.page,
        page.hits,
        page.locale,
        _amounts(page),
        default=template.options.default_currency,
    )
    if found is None:
        return None
    return ExtractedField(
        spec.name, spec.type, found.text, found.code, found.confidence, found.box, found.method
    )


def _finish(
    found: dict[str, ExtractedField],
    template: Template,
    adjusted: Sequence[tuple[amount_context.Adjustment, int]] = (),
) -> ExtractionResult:
    check = template.options.total_check or DEFAULT_TOTAL_CHECK
    found, balanced = reconcile_totals(found, check)
    warnings = []
    adjustment = None if balanced else _adjustment_of(found, check, adjusted)
    total, parts = check
    if adjustment is not None:
        sum_ = " + ".join(parts)
        if adjustment.kind == amount_context.WITHHELD:
            message = f"{total} is {sum_} less {adjustment.value:f} withheld at source"
            warnings.append(ExtractionError(total, "withholding_tax", message))
        else:
            message = f"{total} is {sum_} plus a tip or service charge of {adjustment.value:f}"
            warnings.append(ExtractionError(total, "surcharge", message))
    elif not balanced:
        message = f"{' + '.join(parts)} does not add up to {total} as read"
        warnings.append(ExtractionError(total, "totals_mismatch", message))
    threshold = template.options.review_threshold
    found = {
        name: dataclasses.replace(f, needs_review=f.confidence < threshold)
        for name, f in found.items()
    }
    errors = [
        ExtractionError(
            spec.name, "missing_required", f"required field {spec.name!r} was not found on the page"
        )
        for spec in template.fields
        if spec.required and spec.name not in found
    ]
    adjustments = {adjustment.kind: f"{adjustment.value:f}"} if adjustment else {}
    return ExtractionResult(found, tuple(errors), tuple(warnings), adjustments)


def _adjustment_of(
    found: Mapping[str, ExtractedField],
    check: tuple[str, Sequence[str]],
    adjusted: Sequence[tuple[amount_context.Adjustment, int]],
) -> amount_context.Adjustment | None:
    """The tax withheld at source or the tip (``amount_context.total_adjustments``, with the
    top of its line) printed above the total that makes the total the parts less or plus
    it, to the cent; None when none does (the amounts then do not add up)."""
    total, parts = check
    values = [_decimal_of(found.get(name)) for name in (total, *parts)]
    box = found[total].box if total in found else None
    if not adjusted or box is None or any(v is None for v in values):
        return None
    gap = (values[0] or Decimal(0)) - sum(v for v in values[1:] if v is not None)
    return next(
        (a for a, top in adjusted if top < box[1] and abs(gap - a.gap) <= Decimal("0.01")), None
    )


def _decimal_of(field: ExtractedField | None) -> Decimal | None:
    if field is None or field.type != "amount" or field.normalized_value is None:
        return None
    try:
        return Decimal(field.normalized_value)
    except ArithmeticError:
        return None
