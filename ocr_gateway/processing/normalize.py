"""Find and normalise typed values (amounts, numbers, dates, currencies) in noisy OCR text.

Each ``find_*`` function scans a string and returns ``Found`` values with their character span
in that string (so the caller can point at the words they came from) and the normalised value:
amounts and numbers as plain decimal strings (``"1234.50"``), dates as ISO 8601
(``"2024-03-01"``), currencies as ISO 4217 codes (``"EUR"``).

OCR noise tolerated (``repair_digits``): inside tokens made mostly of digits, ``O``/``o`` read
for ``0`` and ``l``/``I``/``|`` for ``1``; ``S``/``s`` read for a leading ``$`` ("S4.11"), and
``E`` for a leading ``£`` (easyocr's English model has no ``£`` glyph). Thousands separators may
be dropped or swapped (``1234.50``, ``1.234,50``); the template's decimal separator only breaks
ties such as ``1,234``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CURRENCY_SYMBOLS = {
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₺": "TRY",
    "₽": "RUB",
    "₪": "ILS",
    "฿": "THB",
    "₫": "VND",
}
# Several-letter signs. Where a sign is shared ("kr" is Swedish, Danish and Norwegian) the
# code is the most common one; a page that prints its code overrides it.
CURRENCY_SIGNS = {
    "US$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "S$": "SGD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "R$": "BRL",
    "RM": "MYR",
    "Rs.": "INR",
    "Rs": "INR",
    "zł": "PLN",
    "Kč": "CZK",
}
# Signs that are currencies only beside an amount ("Fr. Müller" is Mrs Müller).
AMOUNT_SIGNS = {"Fr.": "CHF", "SFr.": "CHF", "kr.": "DKK", "kr": "SEK"}
DOLLAR_CODES = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"})
YEN_CODES = frozenset({"JPY", "CNY"})
# Common ISO 4217 codes; a complete list would turn words such as ALL or PHP into currencies.
CURRENCY_CODES = frozenset(
    [
        "USD",
        "EUR",
        "GBP",
        "JPY",
        "CNY",
        "CHF",
        "CAD",
        "AUD",
        "NZD",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "HUF",
        "RON",
        "BGN",
        "INR",
        "BRL",
        "MXN",
        "ZAR",
        "SGD",
        "HKD",
        "KRW",
        "TRY",
        "AED",
        "SAR",
        "ILS",
        "THB",
        "IDR",
        "MYR",
        "TWD",
        "RUB",
        "VND",
        "PHP",
        "EGP",
        "NGN",
        "KES",
        "ARS",
        "CLP",
        "COP",
        "PEN",
        "ISK",
    ]
)
DEFAULT_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%d %b %Y",
)

_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
_SYMBOLS = "".join(CURRENCY_SYMBOLS)
_CODES = "|".join(sorted(CURRENCY_CODES))
_SIGNS = "|".join(re.escape(s) for s in sorted(CURRENCY_SIGNS, key=len, reverse=True))
_ALL_SIGNS = "|".join(
    re.escape(s) for s in sorted({**CURRENCY_SIGNS, **AMOUNT_SIGNS}, key=len, reverse=True)
)
_CURRENCY = (
    rf"(?<![A-Za-z])(?:{_SIGNS})(?![A-Za-z])|[{_SYMBOLS}]|(?<![A-Za-z])(?:{_CODES})(?![A-Za-z])"
)
_AMOUNT_CURRENCY = (
    rf"(?<![A-Za-z])(?:{_ALL_SIGNS})(?![A-Za-z])|[{_SYMBOLS}]|(?<![A-Za-z])(?:{_CODES})(?![A-Za-z])"
)
# Written after the number: the euro sign, codes and the signs written that way ("12,50 €",
# "12.50 USD", "100 kr"), never "$", "£", "RM" or "Rs".
_AFTER_SIGNS = "|".join(re.escape(s) for s in ("SFr.", "Fr.", "kr.", "kr", "zł", "Kč"))
_CURRENCY_AFTER = rf"[€₺₽₪₫]|(?<![A-Za-z])(?:{_AFTER_SIGNS}|{_CODES})(?![A-Za-z])"
# Indian grouping puts a comma every two digits above the thousands ("1,20,000.00" is one
# lakh twenty thousand); only with its decimals ("1,20,300" alone is read as before).
_LAKH = r"\d{1,2}(?:,\d{2})+,\d{3}\.\d{2}(?!\d)"
# Whole amounts with a dash (or an en dash) for the cents ("1.234,-", "50,-", "Fr. 12.-"):
# German, Austrian, Swiss and Dutch prices; the separator before the dash is the decimal one.
_DASH_CENTS = r"\d{1,3}(?:[.'\s]\d{3})*[.,](?:--?|–)(?![\w-])"  # noqa: RUF001 (the en dash is printed)
_NUMBER = (
    rf"{_LAKH}|{_DASH_CENTS}|"
    r"\d{1,3}(?:(?:[.,']|\s(?=\d{3}(?!\d)))\d{3})+(?:[.,]\d{1,4})?|\d+(?:[.,]\d{1,4})?"
)
_SIGN = r"[-−(](?=[\d$€£¥₹]|[A-Z]{2,3}\s?\d)"  # noqa: RUF001 (U+2212 is a real minus sign) attached: "Total - $5" is a separator, "-$5" a sign
_AMOUNT_RE = re.compile(
    rf"(?P<neg>{_SIGN})?(?:(?P<pre>{_AMOUNT_CURRENCY})\s?)?(?P<neg2>-)?"
    rf"(?(pre)|(?<![\w.,]))(?P<num>(?>{_NUMBER}))(?![\d%]|\s%)"
    # An amount carries its currency on one side: in "€50.40 €9.58" the second sign is the
    # next amount's, not a sign written after the first.
    rf"(?(pre)|(?:\s?(?P<post>{_CURRENCY_AFTER}))?)"
)
_CURRENCY_RE = re.compile(_CURRENCY)
_TOKEN_RE = re.compile(r"\S+")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    normalized: str
    strong: bool = True  # amounts: has a currency or a 2-digit decimal part ("looks like money")
    currency: str | None = None


def repair_digits(text: str) -> str:
    """Same-length copy of ``text`` with OCR look-alikes fixed inside numeric tokens."""
    chars = list(text)
    for token in _TOKEN_RE.finditer(text):
        word = token.group()
        digits = sum(c.isdigit() for c in word)
        lookalikes = sum(c in "OolI|" for c in word)
        if digits == 0 or digits < lookalikes or digits * 2 < sum(c.isalnum() for c in word):
            continue
        fixed = word.translate(_DIGIT_LOOKALIKES)
        if len(fixed) > 1 and fixed[0] in "Ss" and fixed[1].isdigit():
            fixed = "$" + fixed[1:]
        elif len(fixed) > 1 and fixed[0] == "E" and fixed[1].isdigit():
            fixed = "£" + fixed[1:]
        chars[token.start() : token.end()] = fixed
    return "".join(chars)


def currency_code(token: str, *, default_currency: str | None = None) -> str | None:
    """ISO code for a symbol or code; ``$``/``¥`` follow the default currency when it shares it."""
    token = token.strip()
    if token.upper() in CURRENCY_CODES:
        return token.upper()
    if token in CURRENCY_SIGNS or token in AMOUNT_SIGNS:
        return CURRENCY_SIGNS.get(token) or AMOUNT_SIGNS[token]
    code = CURRENCY_SYMBOLS.get(token)
    if code == "USD" and default_currency in DOLLAR_CODES:
        return default_currency
    if code == "JPY" and default_currency in YEN_CODES:
        return default_currency
    return code


def parse_decimal(number: str, *, decimal_separator: str = ".") -> Decimal | None:
    """``"1.234,50"`` -> 1234.50; the last of two different separators is the decimal one;
    a dash for the cents is none (``"1.234,-"`` -> 1234)."""
    compact = re.sub(r"[\s']", "", number)
    if compact.endswith(("-", "–")):  # noqa: RUF001 (the en dash is printed)
        whole = compact.rstrip("-–")[:-1]  # noqa: RUF001
        return _decimal(re.sub(r"[.,]", "", whole))
    seps = [c for c in compact if c in ".,"]
    if not seps:
        return _decimal(compact)
    last = seps[-1]
    decimals = len(compact) - compact.rfind(last) - 1
    if len(set(seps)) == 2 and seps.count(last) == 1:
        decimal_sep: str | None = last
    elif len(seps) > 1:
        decimal_sep = None  # "1,234,567": grouping only
    elif last == decimal_separator or decimals != 3:
        decimal_sep = last  # "12,50" with a "." template is a misread or foreign decimal
    else:
        decimal_sep = None  # "1,234" with a "." template
    whole, _, fraction = compact.rpartition(decimal_sep) if decimal_sep else (compact, "", "")
    digits = re.sub(r"[.,]", "", whole)
    return _decimal(f"{digits}.{fraction}" if decimal_sep else digits)


MAX_DIGITS = 15  # longer runs of digits are ids, not money (and would not quantize)


def _decimal(text: str) -> Decimal | None:
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def format_amount(value: Decimal) -> str:
    """At least two decimals: ``Decimal("12")`` -> ``"12.00"``, ``Decimal("0.125")`` kept."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:f}"


def find_amounts(
    text: str, *, decimal_separator: str = ".", default_currency: str | None = None
) -> Iterator[Found]:
    for match in _AMOUNT_RE.finditer(repair_digits(text)):
        value = parse_decimal(match["num"], decimal_separator=decimal_separator)
        if value is None:
            continue
        if match["neg"] or match["neg2"]:
            value = -value
        symbol = match["pre"] or match["post"]
        code = currency_code(symbol, default_currency=default_currency) if symbol else None
        fraction = re.search(r"[.,](\d+)$", match["num"])
        dashed = match["num"].endswith(("-", "–"))  # noqa: RUF001 ("1.234,-": money)
        strong = code is not None or dashed or bool(fraction and len(fraction.group(1)) == 2)
        start = match.start("pre") if match["pre"] else match.start("num")
        end = match.end("post") if match["post"] else match.end("num")
        yield Found(start, end, format_amount(value), strong=strong, currency=code)


def find_numbers(text: str, *, decimal_separator: str = ".") -> Iterator[Found]:
    for match in _AMOUNT_RE.finditer(repair_digits(text)):
        value = parse_decimal(match["num"], decimal_separator=decimal_separator)
        if value is None:
            continue
        if match["neg"] or match["neg2"]:
            value = -value
        normalized = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
        yield Found(match.start("num"), match.end("num"), normalized)


def find_currencies(text: str, *, default_currency: str | None = None) -> Iterator[Found]:
    for match in _CURRENCY_RE.finditer(repair_digits(text)):
        code = currency_code(match.group(), default_currency=default_currency)
        if code:
            yield Found(match.start(), match.end(), code, currency=code)


def find_dates(text: str, *, formats: Sequence[str] = DEFAULT_DATE_FORMATS) -> Iterator[Found]:
    """Dates in ``text`` in order of position; at one position the first format that fits wins."""
    repaired = repair_digits(text)
    hits: dict[int, Found] = {}
    for fmt in formats:
        for match in _format_regex(fmt).finditer(repaired):
            day = _date_from(match)
            if day is not None and match.start() not in hits:
                hits[match.start()] = Found(match.start(), match.end(), day.isoformat())
    yield from (hits[start] for start in sorted(hits))


_FORMAT_PARTS = {
    "%d": r"(?P<d>\d{1,2})(?:st|nd|rd|th)?",
    "%m": r"(?P<m>\d{1,2})",
    "%Y": r"(?P<Y>\d{4})",
    "%y": r"(?P<y>\d{2})",
    "%B": r"(?P<B>[A-Za-z]{3,9})\.?",
    "%b": r"(?P<B>[A-Za-z]{3,9})\.?",
}


def _format_regex(fmt: str) -> re.Pattern[str]:
    """A forgiving regex for a strftime format: spaces and commas may be dropped or doubled
    (OCR), but the separators of numeric dates must match ("01.03.2024" is not "01/03/2024")."""
    parts = []
    for piece in re.split(r"(%[a-zA-Z])", fmt):
        if piece in _FORMAT_PARTS:
            parts.append(_FORMAT_PARTS[piece])
        elif piece.strip(" ,") == "":
            parts.append(r"[\s,.\-]*" if piece else "")
        else:
            parts.append(r"\s?" + re.escape(piece.strip()) + r"\s?")
    return _compile(r"(?<![\w])" + "".join(parts) + r"(?![\d])")


_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    if pattern not in _REGEX_CACHE:
        _REGEX_CACHE[pattern] = re.compile(pattern, re.IGNORECASE)
    return _REGEX_CACHE[pattern]


def _date_from(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    if groups.get("B"):
        month = _MONTHS.get(groups["B"].lower().rstrip("."))
    else:
        month = int(groups["m"]) if groups.get("m") else None
    if groups.get("Y"):
        year = int(groups["Y"])
    elif groups.get("y"):
        year = 2000 + int(groups["y"]) if int(groups["y"]) < 70 else 1900 + int(groups["y"])
    else:
        return None
    if month is None or not groups.get("d"):
        return None
    try:
        return dt.date(year, month, int(groups["d"]))
    except ValueError:
        return None
