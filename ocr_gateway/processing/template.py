"""Extraction templates: parse and validate the JSON a template stores.

A template is ``{"fields": [field, ...], "options": {...}}`` (other keys are ignored here):

- field: ``{"name", "type": string|number|amount|date|currency, "regex": str | None,
  "labels": [str], "region": {"x", "y", "width", "height"} | None, "required": bool,
  "builtinLabels": bool}``; region values are fractions (0..1) of the page width/height.
  A field named like a built-in role (invoiceNumber, invoiceDate, dueDate, total, subtotal,
  tax, currency, vendorName) is found by the built-in evidence rules; its ``labels`` (any
  language) **add to** the built-in vocabulary, or replace it with ``"builtinLabels":
  false``. Any other field is found by its own labels, regex and region only.
- options: ``{"dateFormats": [strftime formats], "dateOrder": "dmy" | "mdy",
  "decimalSeparator": "." | ",", "defaultCurrency": "USD" | None, "totalCheck": {"total":
  name, "parts": [names]} | None, "reviewThreshold": 0..1}``. Left out, the date formats,
  date order and decimal separator are inferred from each page; ``reviewThreshold``
  (default ``DEFAULT_REVIEW_THRESHOLD``, chosen on the development set, bench/RESULTS.md)
  marks fields found with less confidence ``needsReview``. ``totalCheck`` names amount
  fields that must add up (subtotal + tax = total): when they do not, readings where a
  currency sign was misread as a digit ("$164.34" -> "9164.34") are tried, and a mismatch
  left over is reported as a warning.

``Template.from_dict`` raises ``TemplateError`` listing every problem, so an API can reject a bad
template when it is saved rather than when a page is processed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from ocr_gateway.processing.result import Box

FieldType = Literal["string", "number", "amount", "date", "currency"]
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
MAX_REGEX_LENGTH = 500
DEFAULT_REVIEW_THRESHOLD = 0.5


class TemplateError(ValueError):
    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("invalid template: " + "; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class Region:
    x: float
    y: float
    width: float
    height: float

    def contains(self, box: Box, *, page_width: int, page_height: int) -> bool:
        """Whether the centre of ``box`` lies in this region of a page of the given size."""
        cx = (box[0] + box[2]) / 2 / max(page_width, 1)
        cy = (box[1] + box[3]) / 2 / max(page_height, 1)
        return self.x <= cx <= self.x + self.width and self.y <= cy <= self.y + self.height


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    type: FieldType
    regex: re.Pattern[str] | None = None
    labels: tuple[str, ...] = ()
    region: Region | None = None
    required: bool = False
    builtin_labels: bool = True  # role fields: the built-in vocabulary applies too


@dataclass(frozen=True, slots=True)
class TemplateOptions:
    date_formats: tuple[str, ...] = ()  # empty: any common format (extraction/dates.py)
    decimal_separator: str | None = None  # None: inferred from the page's amounts
    date_order: str | None = None  # "dmy" | "mdy"; None: inferred from the page
    default_currency: str | None = None
    total_check: tuple[str, tuple[str, ...]] | None = None  # (total field, part fields)
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD


@dataclass(frozen=True, slots=True)
class Template:
    fields: tuple[FieldSpec, ...]
    options: TemplateOptions = TemplateOptions()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Template:
        problems: list[str] = []
        raw_fields = data.get("fields") or []
        if not isinstance(raw_fields, list):
            raise TemplateError(["fields must be a list"])
        fields = [_field(raw, i, problems) for i, raw in enumerate(raw_fields)]
        names = [f.name for f in fields if f is not None]
        problems += [
            f"field name {n!r} is used twice" for n in sorted(set(names)) if names.count(n) > 1
        ]
        options = _options(data.get("options") or {}, problems)
        _check_total_fields(options, [f for f in fields if f is not None], problems)
        if problems:
            raise TemplateError(problems)
        return cls(tuple(f for f in fields if f is not None), options)


def _field(raw: Any, index: int, problems: list[str]) -> FieldSpec | None:
    where = f"fields[{index}]"
    if not isinstance(raw, Mapping):
        problems.append(f"{where} must be an object")
        return None
    name = raw.get("name")
    kind = raw.get("type", "string")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}.name must be a non-empty string")
        name = ""
    if kind not in FIELD_TYPES:
        problems.append(f"{where}.type must be one of {', '.join(FIELD_TYPES)}")
    labels = raw.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        problems.append(f"{where}.labels must be a list of strings")
        labels = []
    return FieldSpec(
        name=name.strip(),
        type=cast(FieldType, kind if kind in FIELD_TYPES else "string"),
        regex=_regex(raw.get("regex"), where, problems),
        labels=tuple(x.strip() for x in labels if x.strip()),
        region=_region(raw.get("region"), where, problems),
        required=bool(raw.get("required", False)),
        builtin_labels=_flag(raw.get("builtinLabels", True), f"{where}.builtinLabels", problems),
    )


def _flag(value: Any, where: str, problems: list[str]) -> bool:
    if not isinstance(value, bool):
        problems.append(f"{where} must be true or false")
        return True
    return value


def _regex(value: Any, where: str, problems: list[str]) -> re.Pattern[str] | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > MAX_REGEX_LENGTH:
        problems.append(f"{where}.regex must be a string of at most {MAX_REGEX_LENGTH} characters")
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        problems.append(f"{where}.regex does not compile: {exc}")
        return None


def _region(value: Any, where: str, problems: list[str]) -> Region | None:
    if value is None:
        return None
    keys = ("x", "y", "width", "height")
    try:
        x, y, w, h = (float(value[k]) for k in keys)
    except (TypeError, KeyError, ValueError):
        problems.append(f"{where}.region must have numeric x, y, width, height")
        return None
    if not (0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1):
        problems.append(f"{where}.region values are fractions of the page (0..1)")
        return None
    return Region(x, y, w, h)


def _options(raw: Any, problems: list[str]) -> TemplateOptions:
    if not isinstance(raw, Mapping):
        problems.append("options must be an object")
        return TemplateOptions()
    formats = raw.get("dateFormats") or []
    if not isinstance(formats, list) or not all(isinstance(f, str) and "%" in f for f in formats):
        problems.append("options.dateFormats must be a list of strftime formats")
        formats = []
    separator = raw.get("decimalSeparator")
    if separator not in (None, ".", ","):
        problems.append('options.decimalSeparator must be "." or ","')
        separator = None
    order = raw.get("dateOrder")
    if order not in (None, "dmy", "mdy"):
        problems.append('options.dateOrder must be "dmy" or "mdy"')
        order = None
    currency = raw.get("defaultCurrency")
    if currency is not None and not (
        isinstance(currency, str) and re.fullmatch(r"[A-Za-z]{3}", currency)
    ):
        problems.append("options.defaultCurrency must be an ISO 4217 code such as USD")
        currency = None
    return TemplateOptions(
        date_formats=tuple(formats),
        decimal_separator=separator,
        date_order=order,
        default_currency=currency.upper() if currency else None,
        total_check=_total_check(raw.get("totalCheck"), problems),
        review_threshold=_review_threshold(raw.get("reviewThreshold"), problems),
    )


def review_threshold(options: Mapping[str, Any] | None) -> float:
    """A stored template's ``options.reviewThreshold`` (the default when absent or invalid;
    templates are validated when written, so an invalid one is an old row)."""
    return _review_threshold((options or {}).get("reviewThreshold"), [])


def _review_threshold(raw: Any, problems: list[str]) -> float:
    if raw is None:
        return DEFAULT_REVIEW_THRESHOLD
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
        problems.append("options.reviewThreshold must be a number from 0 to 1")
        return DEFAULT_REVIEW_THRESHOLD
    return float(raw)


def _total_check(raw: Any, problems: list[str]) -> tuple[str, tuple[str, ...]] | None:
    if raw is None:
        return None
    total = raw.get("total") if isinstance(raw, Mapping) else None
    parts = raw.get("parts") if isinstance(raw, Mapping) else None
    if (
        not isinstance(total, str)
        or not isinstance(parts, list)
        or not parts
        or not all(isinstance(p, str) for p in parts)
    ):
        problems.append('options.totalCheck must be {"total": field, "parts": [fields]}')
        return None
    return total, tuple(parts)


def _check_total_fields(
    options: TemplateOptions, fields: Sequence[FieldSpec], problems: list[str]
) -> None:
    if options.total_check is None:
        return
    amounts = {f.name for f in fields if f.type == "amount"}
    total, parts = options.total_check
    problems += [
        f"options.totalCheck names {name!r}, which is not an amount field"
        for name in (total, *parts)
        if name not in amounts
    ]
