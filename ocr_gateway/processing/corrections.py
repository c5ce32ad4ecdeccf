"""Human corrections of a job's invoice fields: each value checked and normalised for its
field's type, then laid over the extracted invoice data.

    normalize(type, value, *, currency)   -> Normalized(value, normalized)   (pure)
        raises CorrectionError saying what is wrong with the value
    apply_corrections(invoice_data, corrections) -> the job's invoiceData
        a corrected field: the person's value, ``method: "manual"``, confidence 1,
        ``needsReview: false``, who and when, and what extraction said under ``extracted``
    extracted_data(invoice_data)           -> the invoice data without corrections
    needs_review(invoice_data)             -> whether a field still needs a human look
    lowest_confidence(invoice_data)        -> the least sure field's confidence (0..1), or
        None when there are no fields; a corrected field counts 1, one without a number 0

Values by field type (``null`` everywhere means "the document has no such value"):

    string    trimmed, runs of white space folded to one space; not blank; 1000 characters
    date      an ISO 8601 calendar date, ``2024-03-01`` (years 1900..2100): a correction
              is a person's answer, so it is not guessed from "03/01/2024"
    amount    a JSON number or a decimal string with a point (``"1234.50"``, ``"1,234.50"``,
              ``"-12"``); at most as many decimals as the invoice's currency has (JPY 0,
              EUR 2, BHD 3; 4 when the currency is unknown); normalised to exactly that
              many (``"1234.50"``, JPY ``"1234"``), like extraction's amounts otherwise
    number    a JSON number or a decimal string; ``"12"``, ``"12.5"``
    currency  an ISO 4217 code in any case, or a sign extraction reads (``€``, ``£``,
              ``Rs``, ``RM``); normalised to the code
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ocr_gateway.processing.normalize import currency_code, format_amount

MANUAL = "manual"
MAX_TEXT = 1000
MAX_DIGITS = 15
YEARS = (1900, 2100)
UNKNOWN_CURRENCY_DECIMALS = 4


def _codes(text: str) -> list[str]:
    return text.split()


# Active ISO 4217 currency codes (funds and precious metals left out).
ISO_4217 = frozenset(
    _codes("""
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR
    ZMW ZWG
    """)
)
# ISO 4217 minor units where they are not 2.
MINOR_UNITS = {
    **dict.fromkeys(_codes("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF"), 0),
    **dict.fromkeys(_codes("BHD IQD JOD KWD LYD OMR TND"), 3),
}
_DECIMAL = re.compile(r"^-?(?:\d{1,3}(?:([,\s'])\d{3})(?:\1\d{3})*|\d+)(?:\.\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class CorrectionError(ValueError):
    """A value that does not fit its field's type; the message says why."""


@dataclass(frozen=True, slots=True)
class Normalized:
    value: str | None  # as the person gave it (numbers as JSON writes them)
    normalized: str | None


def normalize(field_type: str, value: Any, *, currency: str | None = None) -> Normalized:
    """Check ``value`` for a field of ``field_type``; raises CorrectionError."""
    if value is None:
        return Normalized(None, None)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CorrectionError("must be a string, a number or null")
    if field_type == "date":
        return Normalized(_text(value), _date(value))
    if field_type == "amount":
        return Normalized(_text(value), _amount(value, currency))
    if field_type == "number":
        return Normalized(_text(value), _number(value))
    if field_type == "currency":
        return Normalized(_text(value), _currency(value))
    text = _string(value)
    return Normalized(text, text)


def minor_units(currency: str | None) -> int:
    """Decimals an amount in ``currency`` has (ISO 4217); unknown currency: up to 4."""
    if currency is None or currency not in ISO_4217:
        return UNKNOWN_CURRENCY_DECIMALS
    return MINOR_UNITS.get(currency, 2)


def _text(value: str | int | float) -> str:
    return value.strip() if isinstance(value, str) else repr(value)


def _string(value: str | int | float) -> str:
    if not isinstance(value, str):
        raise CorrectionError("must be a string")
    text = " ".join(value.split())
    if not text:
        raise CorrectionError("must not be blank (send null when the document has none)")
    if len(text) > MAX_TEXT:
        raise CorrectionError(f"must be at most {MAX_TEXT} characters")
    if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise CorrectionError("must not contain control characters")
    return text


def _date(value: str | int | float) -> str:
    shown = _text(value)
    match = _ISO_DATE.match(shown) if isinstance(value, str) else None
    if match is None:
        raise CorrectionError(f"must be a date as YYYY-MM-DD (ISO 8601), got {shown[:40]!r}")
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CorrectionError(f"{shown!r} is not a day of the calendar") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise CorrectionError(f"must be a year from {YEARS[0]} to {YEARS[1]}, got {day.year}")
    return day.isoformat()


def _decimal(value: str | int | float) -> Decimal:
    shown = _text(value)
    if isinstance(value, str):
        if not _DECIMAL.match(shown):
            raise CorrectionError(
                f"must be a decimal number such as 1234.50 (a point for decimals, no "
                f"currency sign), got {shown[:40]!r}"
            )
        shown = re.sub(r"[,\s']", "", shown)
    try:
        number = Decimal(shown)
    except InvalidOperation:
        raise CorrectionError(f"must be a decimal number, got {shown[:40]!r}") from None
    if not number.is_finite() or sum(c.isdigit() for c in f"{number:f}") > MAX_DIGITS:
        raise CorrectionError(f"must have at most {MAX_DIGITS} digits")
    return number


def _amount(value: str | int | float, currency: str | None) -> str:
    number = _decimal(value)
    places = minor_units(currency)
    step = Decimal(1).scaleb(-places)
    if number.quantize(step) != number:
        which = f"{currency} amounts have" if currency else "an amount has"
        raise CorrectionError(f"{which} at most {places} decimals, got {_text(value)[:40]!r}")
    if currency in ISO_4217:
        return f"{number.quantize(step):f}"
    return format_amount(number)


def _number(value: str | int | float) -> str:
    number = _decimal(value)
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}"


def _currency(value: str | int | float) -> str:
    shown = _text(value)
    code = currency_code(shown) if isinstance(value, str) else None
    if code is None and isinstance(value, str) and shown.upper() in ISO_4217:
        code = shown.upper()
    if code is None or code not in ISO_4217:
        raise CorrectionError(
            f"must be an ISO 4217 currency code such as EUR or USD, got {shown[:40]!r}"
        )
    return code


# ---------------------------------------------------------------- invoice data


def apply_corrections(
    invoice_data: Mapping[str, Any], corrections: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """The job's invoice data: extracted fields, each corrected one replaced.

    ``invoice_data`` may already carry corrections (they are taken off first);
    ``corrections`` are ``FieldCorrection``-shaped mappings: field, type, value,
    normalizedValue, correctedBy, correctedAt (ISO 8601).
    """
    fields = extracted_data(invoice_data)
    for correction in corrections:
        name = correction["field"]
        fields[name] = {
            "name": name,
            "type": correction["type"],
            "value": correction["value"],
            "normalizedValue": correction["normalizedValue"],
            "confidence": 1.0,
            "box": None,
            "page": None,
            "method": MANUAL,
            "needsReview": False,
            "correctedBy": correction["correctedBy"],
            "correctedAt": correction["correctedAt"],
            "extracted": fields.get(name),
        }
    return fields


def extracted_data(invoice_data: Mapping[str, Any]) -> dict[str, Any]:
    """The invoice data as extraction assembled it: corrections taken off."""
    out: dict[str, Any] = {}
    for name, entry in invoice_data.items():
        if is_correction(entry):
            if entry.get("extracted") is not None:
                out[name] = entry["extracted"]
        else:
            out[name] = entry
    return out


def is_correction(entry: Any) -> bool:
    return isinstance(entry, Mapping) and entry.get("method") == MANUAL and "extracted" in entry


def needs_review(invoice_data: Mapping[str, Any]) -> bool:
    return any(isinstance(e, Mapping) and e.get("needsReview") for e in invoice_data.values())


def lowest_confidence(invoice_data: Mapping[str, Any]) -> float | None:
    """The confidence of the job's least sure field, stored with the data (``Job.
    lowest_confidence``) so that lists filter and sort on it. A person's value is sure (1);
    a field without a numeric confidence is not (0), so that it is never hidden from review."""
    found = [_confidence(e) for e in invoice_data.values() if isinstance(e, Mapping)]
    return min(found) if found else None


def _confidence(entry: Mapping[str, Any]) -> float:
    if entry.get("method") == MANUAL:
        return 1.0
    value = entry.get("confidence")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 0.0
    return min(1.0, max(0.0, float(value)))


def invoice_currency(invoice_data: Mapping[str, Any], default: str | None) -> str | None:
    """The currency amounts are checked against: the invoice's, else the template's."""
    entry = invoice_data.get("currency")
    found = entry.get("normalizedValue") if isinstance(entry, Mapping) else None
    return found if isinstance(found, str) else default
