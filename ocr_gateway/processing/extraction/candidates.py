"""Every plausible value on a page: dates, amounts and id-like tokens, with where they are.

- **dates**: ``dates.find_dates`` over each line, in the page's date order, and on a line
  OCR read, the dates only its look-alikes hid (``date_ocr``: "0l/02/2018", "2O18");
- **amounts**: ``normalize.find_amounts`` over each line with its dates blanked out and
  thermal-print OCR repaired (``_thermal_repaired``: spaced decimals joined, "88. 17",
  "30 .90", "65 ' 55", "43 , " 90", "RM 1 38"; look-alike letters in the cents, "512.Q0"), in the
  page's decimal separator; a number must
  stand as a token of its own (not the "505" of "RE-20170509/505", not the "20" of "20:05",
  not a percentage, not a masked card's last digits, "**** 1234") and look like money (at most eight digits before the decimals, no
  leading zero: "000689913856" is a registration number);
- **cents without their zero**: a till prints amounts below one without the leading zero
  (".02", "-.02", "RM .90"); read as "0.02", "-0.02", "0.90";
- **glued amounts**: two amounts a text layer printed as one token ("163,16183,14") are
  both candidates, on the same word;
- **ids**: single tokens with a digit (or a run of upper-case tokens that OCR or the text
  layer split: "INV 2024 0042" at underscores, "76253815- 0004" after a hyphen), not a
  date, amount with decimals, percentage or time.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ocr_gateway.processing import normalize
from ocr_gateway.processing.extraction import card_mask, date_ocr, dates
from ocr_gateway.processing.extraction.locale import PageLocale, dates_removed
from ocr_gateway.processing.extraction.page import Line, PageText
from ocr_gateway.processing.result import Box

_ID_TOKEN = re.compile(r"^[#(]*(?P<id>[A-Za-z0-9][A-Za-z0-9\-/_.]*[A-Za-z0-9])[).,:;]*$")
_UPPER_PART = re.compile(r"^[A-Z0-9][A-Z0-9\-/_.]*$")
_TIME = re.compile(r"^\d{1,2}[:.]\d{2}(?::\d{2})?$")
_SPACED_DECIMAL = re.compile(
    r"(?<![\d.,])(\d{1,6})(?:\s?([.,])\s|\s?(['’`])\s?)(\d{2})(?![\d.,])"  # noqa: RUF001
)
# Receipt printers space their digits wide: OCR puts a space before the point ("30 .90")
# or quotes beside it ("43 , " 90"). Two decimals after it and nothing glued on either side.
_GAPPED_DECIMAL = re.compile(
    r"(?<![\d.,])(\d{1,6})(\s[\s\"'’`]*|[\"'’`][\s\"'’`]*)([.,])([\s\"'’`]*)(\d{2})(?![\d.,]|\s?%)"  # noqa: RUF001
)
# The cents of an amount with letters OCR reads for a zero ("512.Q0", "0.Q0", "SQ.OO" not:
# the digits before the point must be digits).
# After a currency sign, a lone group of two digits is the cents whose point OCR lost
# ("TOTAL RM 1 38"): money groups thousands in threes, never the cents in twos.
_SIGNED_SPACED_CENTS = re.compile(r"(?<![\w])((?:RM|Rs\.?|[$€£¥₹])\s?\d{1,5}) (\d{2})(?![\d.,%])")
_CENTS_LOOKALIKE = re.compile(r"(?<=\d[.,])([0-9OoQD]{2})(?![\w])")
MAX_AMOUNT_DIGITS = 8
_GLUED = {
    sep: re.compile(
        rf"(?<![\d.,])(\d{{1,3}}(?:{re.escape(group)}\d{{3}})*{re.escape(sep)}\d{{2}})"
        rf"(\d{{1,3}}(?:{re.escape(group)}\d{{3}})*{re.escape(sep)}\d{{2}})(?![\d.,])"
    )
    for sep, group in ((",", "."), (".", ","))
}
_BARE_CENTS = {
    sep: re.compile(rf"(?<![\w.,\-])(?<!\d\s)(-?){re.escape(sep)}(\d{{2}})(?![\d.,]|\s?%)")
    for sep in ",."
}
_BEFORE_OK = set(" ([:=*")
_AFTER_OK = set(" )];,*:")


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str  # date | amount | id
    line: int
    start: int  # word range [start, end) on the line
    end: int
    text: str  # as printed
    normalized: str
    box: Box
    confidence: float  # OCR confidence of its words
    currency: str | None = None
    strong: bool = True  # amounts: has a currency or two decimals
    ambiguous: bool = False  # dates: day and month could be swapped
    bracketed: bool = False  # amounts, ids: printed in brackets ("(35,13 €)", "(1095514-X)")

    @property
    def key(self) -> tuple[str, int, int, int]:
        return (self.kind, self.line, self.start, self.end)


def date_candidates(page: PageText, locale: PageLocale) -> Iterator[Candidate]:
    for line in page.lines:
        found_dates = list(dates.find_dates(line.text, day_first=locale.day_first))
        if any(w.confidence < 1.0 for w in line.words):  # OCR read it: "0l/02/2018"
            found_dates += date_ocr.ocr_dates(line.text, day_first=locale.day_first)
        for found in found_dates:
            if _in_code(line.text, found.start):
                continue
            yield _candidate(
                "date", line, found.start, found.end, found.iso, ambiguous=found.ambiguous
            )


_CODE_PREFIX = re.compile(r"(?<![^\W\d_])([^\W\d_]+)$")
_DATE_WORDS = ("date", "dated", "datum", "dt", "tarikh", "fecha", "data")


def _in_code(text: str, start: int) -> bool:
    """Whether the date at ``start`` is glued to letters before it, as in an item code
    ("HD03-04-06", "GB12-21-22"), unless those letters are a date label OCR glued to it
    ("DATE15/09/2017")."""
    prefix = _CODE_PREFIX.search(text[:start])
    return prefix is not None and not prefix[1].casefold().endswith(_DATE_WORDS)


def amount_candidates(
    page: PageText, locale: PageLocale, *, default_currency: str | None = None
) -> Iterator[Candidate]:
    for line in page.lines:
        text = _thermal_repaired(dates_removed(line.text))
        for found in _cell_amounts(line, text, locale.decimal_separator, default_currency):
            if (
                not _stands_alone(text, found.start, found.end)
                or _id_digits(text[found.start : found.end])
                or _after_rate_label(text, found.start)
                or card_mask.masked_card(text, found.start, found.end)
            ):
                continue
            yield _candidate(
                "amount",
                line,
                found.start,
                found.end,
                found.normalized,
                currency=found.currency,
                strong=found.strong,
                bracketed="(" in text[max(found.start - 2, 0) : found.start],
            )
        for start, end, normalized in _glued_amounts(text, locale.decimal_separator):
            yield _candidate("amount", line, start, end, normalized)
        for start, end, normalized in _bare_cents(text, locale.decimal_separator):
            yield _candidate("amount", line, start, end, normalized)


def _bare_cents(text: str, separator: str) -> Iterator[tuple[int, int, str]]:
    """Amounts below one printed without the zero before the point (".02", "-.02"):
    ``(start, end, normalized)``. The point must stand where a number would start (not the
    ".02" of "No.02" or "1.02", nor the cents of "6 .00 %", a spaced rate), and two digits
    follow it and nothing more."""
    for match in _BARE_CENTS[separator].finditer(text):
        if _stands_alone(text, match.start(), match.end()):
            yield match.start(), match.end(), f"{match[1]}0.{match[2]}"


def _cell_amounts(
    line: Line, text: str, separator: str, default_currency: str | None
) -> Iterator[normalize.Found]:
    """The amounts of ``text`` (``line``'s, repaired); one that a space groups across a
    column gap ("1" at the end of a quantity cell, "234,00" in the amount cell: "1 234,00")
    is read again cell by cell, each part an amount of its own or none. Only digits in two
    cells make a split: a currency code a gap away ("-1,12   EUR") stays the amount's."""
    for found in normalize.find_amounts(
        text, decimal_separator=separator, default_currency=default_currency
    ):
        first, last = line.word_span(found.start, found.end)
        numbers = [i for i in range(first, last) if any(c.isdigit() for c in line.words[i].text)]
        if len({line.cell_of(i) for i in numbers}) < 2:
            yield found  # a sign or code in a cell of its own ("-1,12  EUR") is no split
            continue
        for cell_start, cell_end in line.cells:
            if cell_end <= first or cell_start >= last:
                continue
            start = max(found.start, line.offsets[cell_start])
            end = min(found.end, line.offsets[cell_end - 1] + len(line.words[cell_end - 1].text))
            for part in normalize.find_amounts(
                text[start:end], decimal_separator=separator, default_currency=default_currency
            ):
                yield dataclasses.replace(part, start=part.start + start, end=part.end + start)


def _glued_amounts(text: str, separator: str) -> Iterator[tuple[int, int, str]]:
    """Two amounts a text layer printed without a space between them ("163,16183,14": a
    tax in two currencies, side by side): ``(start, end, normalized)`` of each. A money
    amount has two decimals, so the first ends two digits after its separator."""
    pattern = _GLUED[separator]
    for match in pattern.finditer(text):
        for group in (1, 2):
            part = match[group]
            found = next(iter(normalize.find_amounts(part, decimal_separator=separator)), None)
            if found is not None:
                yield match.start(group), match.end(group), found.normalized


def id_candidates(page: PageText, dates: Sequence[Candidate] = ()) -> Iterator[Candidate]:
    """Id-like tokens, except the words of ``dates`` ("01" of "March 01, 2024")."""
    in_dates = {(d.line, i) for d in dates for i in range(d.start, d.end)}
    for line in page.lines:
        for index, word in enumerate(line.words):
            if (line.index, index) in in_dates:
                continue
            match = _ID_TOKEN.match(word.text)
            if match is not None and _id_like(match["id"]):
                at = line.offsets[index] + match.start("id")
                aside = word.text.startswith("(") or word.text.rstrip(".,:;").endswith(")")
                yield _candidate(
                    "id", line, at, at + len(match["id"]), match["id"], bracketed=aside
                )
            run = _upper_run(line, index, stop={i for li, i in in_dates if li == line.index})
            if run > index + 1:
                start = line.offsets[index]
                end = line.offsets[run - 1] + len(line.words[run - 1].text)
                printed = line.text[start:end].strip("#:;,. ")
                joined = re.sub(r"\s*_\s*", "_", printed)
                joined = re.sub(r"\s*([-/.])\s+|\s+([-/.])\s*", r"\1\2", joined)
                split_at_separator = joined != re.sub(r"\s*_\s*", "_", printed)
                letters = any(c.isalpha() for c in joined)
                if any(c.isdigit() for c in joined) and (letters or split_at_separator):
                    yield _candidate("id", line, start, end, joined)


def _thermal_repaired(text: str) -> str:
    """``text`` (same length, offsets valid) with thermal-print OCR's amounts mended:
    spaced decimals joined (``_joined_decimals``) and zeros read as letters in the cents."""
    text = _SIGNED_SPACED_CENTS.sub(r"\1.\2", _joined_decimals(text))
    return _CENTS_LOOKALIKE.sub(lambda m: re.sub("[OoQD]", "0", m[1]), text)


def _joined_decimals(text: str) -> str:
    """OCR's "88. 17", "88 . 17" and "65 ' 55" as "88.17" / "65.55" (the spaces moved
    behind the number, so offsets stay valid)."""

    def joined(match: re.Match[str]) -> str:
        number = f"{match[1]}{match[2] or '.'}{match[4]}"
        return number + " " * (len(match[0]) - len(number))

    def gapped(match: re.Match[str]) -> str:
        number = f"{match[1]}{match[3]}{match[5]}"
        return number + " " * (len(match[0]) - len(number))

    return _GAPPED_DECIMAL.sub(gapped, _SPACED_DECIMAL.sub(joined, text))


def _after_rate_label(text: str, start: int) -> bool:
    """A number right after a word ending in "%" is a rate ("MwSt.-% 19,0")."""
    words = text[:start].split()
    last = words[-1].rstrip(":") if words else ""
    return last.endswith("%") and any(c.isalpha() for c in last)  # not "19 %" itself


def _id_digits(printed: str) -> bool:
    """A number too long, or with a leading zero, to be money ("000689913856" is an id)."""
    match = re.search(r"\d[\d.,' ]*", printed)
    if match is None:
        return False
    whole = re.split(r"[.,](?=\d{1,2}$)", match.group().strip())[0]
    digits = re.sub(r"\D", "", whole)
    return len(digits) > MAX_AMOUNT_DIGITS or (len(digits) > 1 and digits.startswith("0"))


def _id_like(token: str) -> bool:
    if not any(c.isdigit() for c in token) or _TIME.match(token):
        return False
    if re.fullmatch(r"[\d.,]+", token) and re.search(r"[.,]\d{2}$", token):
        return False  # an amount
    return not any(True for _ in dates.find_dates(token))


def _money(word: str) -> bool:
    return re.fullmatch(r"[\d.,]+", word) is not None and re.search(r"[.,]\d{2}$", word) is not None


def _upper_run(line: Line, index: int, *, stop: set[int] | frozenset[int] = frozenset()) -> int:
    """End of the run of upper-case id parts starting at ``index`` within its cell. A part
    ending in a colon is a label ("CASHIER: 465", "CS00168420 DATE: 31/03/2017"): a run
    neither starts with one nor goes on past one, nor into a date (``stop``) or an amount."""
    cell_end = line.cell_of(index)[1]
    end = index
    while end < cell_end and _UPPER_PART.match(line.words[end].text.strip(":;,")):
        if end > index and (line.gap_before(end) > 0.8 or end in stop):
            break
        if _money(line.words[end].text):
            break  # "TOTAL 50.00" is a label and its amount
        end += 1
        if line.words[end - 1].text.endswith((":", ";")):
            return index + 1 if end - 1 == index else end - 1
    return end if end - index <= 4 else index + 1


def _stands_alone(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before == "-" and (start < 2 or text[start - 2] in " (:"):
        before = " "
    if before not in _BEFORE_OK and before not in "$€£¥₹":
        return False
    if before == ":" and start >= 2 and text[start - 2].isdigit():
        return False  # the minutes of a time
    if after in ".-" and (end + 1 >= len(text) or text[end + 1] == " "):
        after = " "  # a full stop, or a receipt's trailing minus ("CHANGE 6.00-")
    return after in _AFTER_OK and not (after == ":" and text[end + 1 : end + 2].isdigit())


def _candidate(
    kind: str,
    line: Line,
    start: int,
    end: int,
    normalized: str,
    *,
    currency: str | None = None,
    strong: bool = True,
    ambiguous: bool = False,
    bracketed: bool = False,
) -> Candidate:
    first, last = line.word_span(start, end)
    return Candidate(
        kind=kind,
        line=line.index,
        start=first,
        end=last,
        text=line.text[start:end],
        normalized=normalized,
        box=line.box_of(first, last),
        confidence=line.confidence_of(first, last),
        currency=currency,
        strong=strong,
        ambiguous=ambiguous,
        bracketed=bracketed,
    )
