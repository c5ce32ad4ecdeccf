"""Template fields with no built-in role ("poNumber", "projectCode"): the template's own
labels, regex and region, strategy by strategy.

For such a field, the first strategy that yields a value of the field's type wins:

1. **label** (confidence = OCR confidence of the value's words): a line with one of the
   field's labels at the start of a cell (line start, or after a wide gap); the value is to
   the right on the same line, else (when nothing follows the label in its cell) on the
   nearest line below that overlaps the label. Labels are tried in the order given; values
   that look like money (currency sign or two decimals) beat bare numbers.
2. **regex** (x0.8), for fields with a regex and neither labels nor a region: the regex over
   each line (first capture group, else the whole match).
3. **region** (x0.7): the first value of the type in the region in reading order (passing
   the regex, when there is one).
4. **currency fields only**: the most frequent currency sign/code on the page (x0.7), else the
   template's default currency (confidence 0, no box).

A region, when given, restricts every strategy to words whose centre lies inside it. A regex,
when given alongside labels, must also match the labelled value.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ocr_gateway.processing import normalize
from ocr_gateway.processing.extraction import dates
from ocr_gateway.processing.extraction.model import ExtractedField
from ocr_gateway.processing.normalize import Found
from ocr_gateway.processing.result import OcrResult, OcrWord, union_box, weighted_confidence
from ocr_gateway.processing.template import FieldSpec, TemplateOptions

REGEX_CONFIDENCE = 0.8
REGION_CONFIDENCE = 0.7
CELL_GAP = 1.0  # a gap wider than this many line heights starts a new cell
VALUE_GAP = 2.0  # a string value ends at a gap wider than this many line heights
BELOW_DISTANCE = 2.5  # how far below a label (in label heights) its value may sit
LABEL_ALONE_GAP = 3.0  # a label followed by a gap this wide (line heights) ends its cell
FUZZY_RATIO = 0.85


def extract_custom(
    spec: FieldSpec, result: OcrResult, options: TemplateOptions
) -> ExtractedField | None:
    """The value of a role-less template field, or None."""
    page = [_Line(line.words) for line in result.lines]
    lines = _in_region(page, spec, result) if spec.region else page
    return _extract(spec, lines, options)


class _Line:
    """A line's words, its text (words joined by single spaces) and each word's offset in it."""

    def __init__(self, words: Sequence[OcrWord]) -> None:
        self.words = tuple(words)
        self.offsets: list[int] = []
        position = 0
        for word in self.words:
            self.offsets.append(position)
            position += len(word.text) + 1
        self.text = " ".join(w.text for w in self.words)
        self.height = max((w.box[3] - w.box[1] for w in self.words), default=1)

    def slice(self, start: int, end: int | None = None) -> _Line:
        return _Line(self.words[start:end])

    def words_in(self, start: int, end: int) -> list[OcrWord]:
        """Words overlapping the character span ``[start, end)`` of ``text``."""
        return [
            w
            for w, at in zip(self.words, self.offsets, strict=True)
            if at < end and at + len(w.text) > start
        ]

    def gap_before(self, index: int) -> float:
        """Horizontal gap before word ``index``, in line heights."""
        if index == 0:
            return float("inf")
        return (self.words[index].box[0] - self.words[index - 1].box[2]) / max(self.height, 1)


def _in_region(page: list[_Line], spec: FieldSpec, result: OcrResult) -> list[_Line]:
    assert spec.region is not None
    region = spec.region
    lines = []
    for line in page:
        kept = [
            w
            for w in line.words
            if region.contains(w.box, page_width=result.width, page_height=result.height)
        ]
        if kept:
            lines.append(_Line(kept))
    return lines


def _extract(
    spec: FieldSpec, lines: list[_Line], options: TemplateOptions
) -> ExtractedField | None:
    return (
        _by_label(spec, lines, options)
        or _by_regex(spec, lines, options)
        or _by_region(spec, lines, options)
        or _by_page(spec, lines, options)
    )


# -- strategies ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    line: _Line
    found: Found
    strong: bool


def _by_label(
    spec: FieldSpec, lines: list[_Line], options: TemplateOptions
) -> ExtractedField | None:
    candidates = list(_label_candidates(spec, lines, options))
    best = next((c for c in candidates if c.strong), candidates[0] if candidates else None)
    return _field(spec, best.line, best.found, "label", 1.0) if best else None


def _label_candidates(
    spec: FieldSpec, lines: list[_Line], options: TemplateOptions
) -> Iterator[_Candidate]:
    """Values next to each label: labels in the template's order; for one label, values on the
    label's own line (top to bottom) before values below a label (a "Total" column header)."""
    for label in spec.labels:
        tokens = _tokens(label)
        spans = [(i, s, e) for i, line in enumerate(lines) for s, e in _label_spans(line, tokens)]
        for index, start, end in spans:
            yield from _values(spec, lines[index].slice(end), options, lines[index].slice(start))
        for index, start, end in spans:
            if not _ends_cell(lines[index], end):
                continue  # text follows the label: the value is there or nowhere
            below = _value_below(lines[index].slice(start, end), lines[index + 1 :])
            if below is not None:
                yield from _values(spec, below, options, lines[index].slice(start))


def _ends_cell(line: _Line, end: int) -> bool:
    """Whether nothing follows word ``end - 1`` in its cell (its value can only be below)."""
    return end >= len(line.words) or line.gap_before(end) > LABEL_ALONE_GAP


def _values(
    spec: FieldSpec, value_line: _Line, options: TemplateOptions, labelled: _Line
) -> Iterator[_Candidate]:
    if not value_line.words:
        return
    if spec.regex is not None:
        hit = _regex_value(spec, value_line, options) or _regex_value(spec, labelled, options)
        if hit is not None:
            yield _Candidate(hit[0], hit[1], True)
        return
    if spec.type == "string":
        value = _leading_group(value_line)
        found = _string_found(value.text)
        if found.normalized:
            yield _Candidate(value, found, True)
        return
    for found in _typed(spec, value_line.text, options):
        yield _Candidate(value_line, found, found.strong)


def _by_regex(
    spec: FieldSpec, lines: list[_Line], options: TemplateOptions
) -> ExtractedField | None:
    # With labels, the regex only shapes the labelled value: a value-shaped pattern run over
    # the whole page ("a run with a digit") would match nearly anything.
    if spec.regex is None or spec.labels or spec.region:
        return None
    for line in lines:
        hit = _regex_value(spec, line, options)
        if hit is not None:
            return _field(spec, hit[0], hit[1], "regex", REGEX_CONFIDENCE)
    return None


def _by_region(
    spec: FieldSpec, lines: list[_Line], options: TemplateOptions
) -> ExtractedField | None:
    """The first value in the region (reading order), passing the regex if there is one."""
    if spec.region is None:
        return None
    for line in lines:
        if spec.regex is not None:
            hit = _regex_value(spec, line, options)
            if hit is not None:
                return _field(spec, hit[0], hit[1], "region", REGION_CONFIDENCE)
            continue
        found = next(iter(_typed(spec, line.text, options)), None)
        if found is not None:
            return _field(spec, line, found, "region", REGION_CONFIDENCE)
    return None


def _by_page(
    spec: FieldSpec, lines: list[_Line], options: TemplateOptions
) -> ExtractedField | None:
    if spec.type != "currency":
        return None
    hits = [(line, f) for line in lines for f in _typed(spec, line.text, options)]
    if hits:
        counts = Counter(f.normalized for _, f in hits)
        line, found = next(h for h in hits if h[1].normalized == counts.most_common(1)[0][0])
        return _field(spec, line, found, "page", REGION_CONFIDENCE)
    currency = options.default_currency
    if currency is None:
        return None
    return ExtractedField(spec.name, spec.type, "", currency, 0.0, None, "default")


# -- helpers -------------------------------------------------------------------------------


def _field(
    spec: FieldSpec, line: _Line, found: Found, method: str, factor: float
) -> ExtractedField:
    words = line.words_in(found.start, found.end) or list(line.words)
    return ExtractedField(
        name=spec.name,
        type=spec.type,
        value=line.text[found.start : found.end],
        normalized_value=found.normalized,
        confidence=weighted_confidence(words) * factor,
        box=union_box(w.box for w in words),
        method=method,
    )


def _typed(spec: FieldSpec, text: str, options: TemplateOptions) -> Iterator[Found]:
    if spec.type == "amount":
        return normalize.find_amounts(
            text,
            decimal_separator=options.decimal_separator or ".",
            default_currency=options.default_currency,
        )
    if spec.type == "number":
        return normalize.find_numbers(text, decimal_separator=options.decimal_separator or ".")
    if spec.type == "date":
        if options.date_formats:
            return normalize.find_dates(text, formats=options.date_formats)
        return (
            Found(d.start, d.end, d.iso)
            for d in dates.find_dates(text, day_first=options.date_order != "mdy")
        )
    if spec.type == "currency":
        return normalize.find_currencies(text, default_currency=options.default_currency)
    return iter([_string_found(text)] if text.strip(" :#-") else [])


def _string_found(text: str) -> Found:
    stripped = text.strip(" :;#-,")
    start = text.find(stripped) if stripped else 0
    # "INV_2024_ 0042": a box split at an underscore comes back with a space beside it.
    normalized = re.sub(r"\s*_\s*", "_", " ".join(stripped.split()))
    return Found(start, start + len(stripped), normalized)


def _regex_value(
    spec: FieldSpec, line: _Line, options: TemplateOptions
) -> tuple[_Line, Found] | None:
    """First regex match in ``line`` (capture group 1 if the pattern has one) that also parses
    as the field's type; the value found is the typed value inside the match."""
    assert spec.regex is not None
    for match in spec.regex.finditer(line.text):
        group = 1 if spec.regex.groups and match.group(1) is not None else 0
        start, end = match.span(group)
        if start == end:
            continue
        typed = next(iter(_typed(spec, line.text[start:end], options)), None)
        if typed is not None:
            shifted = Found(start + typed.start, start + typed.end, typed.normalized)
            return line, (shifted if spec.type != "string" else _span_string(line.text, start, end))
    return None


def _span_string(text: str, start: int, end: int) -> Found:
    inner = _string_found(text[start:end])
    return Found(start + inner.start, start + inner.end, inner.normalized)


def _leading_group(line: _Line) -> _Line:
    """The words up to the first wide gap (a string value ends where the next cell starts)."""
    end = next(
        (i for i in range(1, len(line.words)) if line.gap_before(i) > VALUE_GAP),
        len(line.words),
    )
    return line.slice(0, end)


def _value_below(label: _Line, below: list[_Line]) -> _Line | None:
    """The words under ``label`` on the nearest line below it that overlaps it horizontally."""
    x0, _, x1, y1 = union_box(w.box for w in label.words)
    slack = label.height
    for line in below:
        if line.words[0].box[1] - y1 > BELOW_DISTANCE * label.height:
            return None
        first = next(
            (
                i
                for i, w in enumerate(line.words)
                if w.box[2] > x0 - slack and w.box[0] < x1 + slack
            ),
            None,
        )
        if first is not None:
            return _leading_group(line.slice(first))
    return None


def _tokens(text: str) -> list[str]:
    return [t for t in (_norm(w) for w in text.split()) if t]


def _norm(word: str) -> str:
    return word.lower().strip(":;.,")


def _label_spans(line: _Line, tokens: list[str]) -> Iterator[tuple[int, int]]:
    """Word ranges of ``line`` that spell the label and start a cell."""
    size = len(tokens)
    if not size:
        return
    words = [_norm(w.text) for w in line.words]
    for start in range(len(words) - size + 1):
        if line.gap_before(start) <= CELL_GAP:
            continue
        if all(_same(words[start + i], tokens[i]) for i in range(size)):
            yield start, start + size


_LOOKALIKE = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s"})


def _same(word: str, token: str) -> bool:
    if word == token:
        return True
    folded, expected = word.translate(_LOOKALIKE), token.translate(_LOOKALIKE)
    if folded == expected:
        return True
    if len(expected) < 5:
        return False
    return difflib.SequenceMatcher(None, folded, expected).ratio() >= FUZZY_RATIO
