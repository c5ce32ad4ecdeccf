"""A due date from payment terms written as text, where the page prints no due date.

Many invoices state only a payment period: "Net 30", "payable within 30 days of invoice
date", "zahlbar innerhalb 14 Tagen", "Zahlungsziel: 30 Tage netto", "30 jours",
"a 30 gg d.f.", "30 días", "30 dias", "binnen 14 dagen", "maksuehto 14 päivää netto". The due date is then the invoice
date plus that many days. It is derived, not read, so it comes at ``TERMS_CONFIDENCE``
(below the default review threshold: a person checks it) and only where no printed due
date was found (``extract.py``). A period counted from another date ("end of month",
"fin de mois", "nach Lieferung", "after delivery") or a discount period (Skonto) gives
none: adding its days to the invoice date would be wrong; a line that states both a
discount period and the net one ("2% 10, Net 30", "10 Tage 2 % Skonto, 30 Tage netto")
gives the net one.

The number of such a period is no amount either: ``is_period`` tells the amount candidates
("30" in "Terms: Net 30", "14" in "14 Tage netto") that extraction then leaves out, so a
"Net 30" is not read as a net total of 30.00.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.result import Box

TERMS_CONFIDENCE = 0.45
_MAX_DAYS = 120

_DAYS = r"(\d{1,3})"
_PERIOD = re.compile(
    rf"\bnet ?{_DAYS}\b(?![.,]\d)|"
    rf"\b{_DAYS} ?(?:days?|tage?n?|jours?|gg|giorni|dias|dagen|dage|dagar|dni|dnu|dny|paivaa|pv)\b"
)
_PAYMENT = re.compile(
    r"\bnet\b|\bterms?\b|\bpay|\bdue\b|zahl|netto|faellig|fallig|paiement|payable|regle|"
    r"pagamento|pagar|pago|betal|forfald|splatnost|platnosc|uberweis|bonifico|maksu"
)
_OTHER_START = re.compile(
    r"end of month|\beom\b|fin de mois|fine mese|\bf\.?m\b|fim do mes|fin de mes|"
    r"monatsende|delivery|lieferung|erhalt der ware|livraison|consegna|entrega|levering"
)
_DISCOUNT = re.compile(r"skonto|discount|escompte|sconto|descuento|desconto|korting|rabat|\d ?%")
# The period a discount line marks as the net one ("2% 10, Net 30", "30 Tage netto").
_NET_PERIOD = re.compile(
    rf"\bnet(?:to)? ?{_DAYS}\b(?![.,]\d)|"
    rf"\b{_DAYS} ?(?:days?|tage?n?|jours?|gg|giorni|dias|dagen|dage|dagar) (?:net|netto|nett)\b"
)


@dataclass(frozen=True)
class Terms:
    days: int
    text: str  # the line as printed
    box: Box


def payment_terms(page: PageText) -> Terms | None:
    """The one payment period the page states (none where lines disagree)."""
    found: dict[int, Terms] = {}
    for line in page.lines:
        days = _days_on(_plain(line.text))
        if days is not None and days not in found:
            found[days] = Terms(days, line.text, line.box_of(0, len(line.words)))
    return next(iter(found.values())) if len(found) == 1 else None


_DAY_WORD = re.compile(
    r"(?:days?|tage?n?|jours?|gg|giorni|dias|dagen|dage|dagar|dni|dnu|dny|paivaa|pv)\b"
)
_NET_WORD = frozenset({"net", "netto", "nett"})


def is_period(page: PageText, amount: Candidate) -> bool:
    """Whether the amount candidate is a payment period's number of days: a whole number
    of at most ``_MAX_DAYS`` without a currency, after "Net" ("Net 30") or before a word
    for days ("30 days", "14 Tagen", "30 jours", "60 gg")."""
    if amount.strong or amount.currency is not None or not amount.normalized.endswith(".00"):
        return False
    if not amount.text.strip().isdigit() or int(amount.text) > _MAX_DAYS:
        return False
    words = page.lines[amount.line].words
    before = _plain(words[amount.start - 1].text).strip(":") if amount.start > 0 else ""
    after = _plain(words[amount.end].text) if amount.end < len(words) else ""
    return before in _NET_WORD or _DAY_WORD.match(after) is not None


def due_from_terms(issued: str, terms: Terms) -> str:
    """``issued`` (ISO) plus the terms' days, ISO."""
    return (dt.date.fromisoformat(issued) + dt.timedelta(days=terms.days)).isoformat()


def _days_on(text: str) -> int | None:
    if _PAYMENT.search(text) is None or _OTHER_START.search(text) is not None:
        return None
    # A line with a discount period counts only the period it marks net: the discount's
    # days are no due date.
    period = _NET_PERIOD if _DISCOUNT.search(text) else _PERIOD
    periods = {int(next(g for g in m.groups() if g)) for m in period.finditer(text)}
    periods.discard(0)
    if len(periods) != 1:
        return None
    days = periods.pop()
    return days if days <= _MAX_DAYS else None


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))
