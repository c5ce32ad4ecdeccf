"""Score extracted invoice fields against expected values, and print the tables.

Pure functions, so that any mode of ``bench/extraction_accuracy.py`` (the extraction step
over text layers and cached OCR today, the whole product over its API later) scores alike:
give ``score_documents`` one ``DocumentResult`` per document.

Exact-match rules, per field kind:

- invoice numbers: equal after dropping spaces, a leading ``#`` and case;
- dates: equal as dates (ISO ``YYYY-MM-DD``);
- amounts: equal as decimals (``119`` = ``119.00``);
- currency: equal ISO codes;
- vendor: equal after case folding and collapsing whitespace. The **lenient** vendor score
  also accepts a reading that matches after folding accents and punctuation and dropping
  legal-form words (GmbH, Ltd, SDN BHD, ...), or where one folded name contains the other
  and the shorter holds at least half the longer's characters ("Lieferant GmbH" vs
  "Lieferant GmbH Musterstr."), or whose similarity ratio is at least 0.8 (OCR noise).

Only labelled fields (expected value not null) count towards accuracy. A value extracted for
a field expected null is counted apart as a "spurious" value. A miss is "text present" when
the expected value appears in the page text in a common printed form (amounts as
``1234.50``, ``1,234.50``, ``1.234,50``, ``1 234,50``, and as whole numbers only: ``51.6``
for 51.60, ``557`` or ``1,939`` for a whole amount, ``1 234.50``; dates as ISO, d.m.y, d/m/y,
m/d/y with 2- or 4-digit years, or with the month's name in en/de/fr/es; strings folded):
the share of misses with the text present says how much is left to win by extraction rather
than by OCR.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bench.printed_forms import (
    amount_forms,
    date_forms,
    month_name_present,
    short_amount_forms,
    standalone,
)
from ocr_gateway.processing.extraction.extract import ROLES

FIELDS = ROLES  # the built-in extraction roles, in their order
AMOUNTS = frozenset({"total", "subtotal", "tax"})
DATES = frozenset({"invoiceDate", "dueDate"})
LEGAL_FORMS = frozenset(
    [
        "gmbh",
        "ag",
        "kg",
        "co",
        "ltd",
        "limited",
        "llc",
        "inc",
        "corp",
        "sa",
        "sas",
        "sarl",
        "sl",
        "bv",
        "nv",
        "plc",
        "pty",
        "sdn",
        "bhd",
        "enterprise",
        "enterprises",
        "trading",
        "mbh",
        "ug",
        "ev",
        "eg",
    ]
)


@dataclass(frozen=True)
class DocumentResult:
    """What one run found for one document: normalised values per field, and provenance."""

    doc_id: str
    group: str  # the row of the per-source table
    split: str  # dev | holdout
    expected: dict[str, Any]
    found: dict[str, str | None]
    confidence: dict[str, float] = field(default_factory=dict)
    needs_review: dict[str, bool] = field(default_factory=dict)
    text: str = ""
    pages: int = 1
    seconds: float = 0.0


@dataclass
class Tally:
    right: int = 0
    labelled: int = 0
    lenient: int = 0
    spurious: int = 0
    missing_with_text: int = 0
    misses: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def share(self) -> float | None:
        return self.right / self.labelled if self.labelled else None


def folded(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, whitespace collapsed."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def vendor_core(text: str) -> str:
    return " ".join(w for w in folded(text).split() if w not in LEGAL_FORMS)


def is_right(name: str, expected: Any, found: str | None) -> bool:
    if expected is None or found is None:
        return False
    if name in AMOUNTS:
        return _decimal(found) == _decimal(str(expected))
    if name in DATES:
        return _date(found) == _date(str(expected))
    if name == "invoiceNumber":
        return _compact(found) == _compact(str(expected))
    if name == "currency":
        return found.strip().upper() == str(expected).upper()
    return " ".join(found.casefold().split()) == " ".join(str(expected).casefold().split())


def is_lenient_vendor(expected: str, found: str | None) -> bool:
    if found is None:
        return False
    a, b = vendor_core(expected) or folded(expected), vendor_core(found) or folded(found)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if shorter in longer and len(shorter) * 2 >= len(longer):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def text_present(name: str, expected: Any, text: str) -> bool:
    """Whether ``expected`` is printed in ``text`` in a common form (see the module doc)."""
    if name in AMOUNTS:
        haystack = re.sub(r"\s+", " ", text)
        value = Decimal(str(expected))
        if any(form in haystack for form in amount_forms(value)):
            return True
        return any(standalone(form, haystack) for form in short_amount_forms(value))
    if name in DATES:
        day = dt.date.fromisoformat(str(expected))
        return any(form in text for form in date_forms(day)) or month_name_present(day, text)
    if name == "invoiceNumber":
        return _compact(str(expected)) in _compact(text)
    if name == "currency":
        return True  # a currency is rarely printed as its code; not a useful signal
    return folded(str(expected)) in folded(text)


def tally(results: Iterable[DocumentResult], name: str) -> Tally:
    out = Tally()
    for doc in results:
        expected, found = doc.expected.get(name), doc.found.get(name)
        if expected is None:
            out.spurious += found is not None
            continue
        out.labelled += 1
        right = is_right(name, expected, found)
        out.right += right
        out.lenient += right or (name == "vendorName" and is_lenient_vendor(expected, found))
        if not right:
            out.misses += 1
            out.missing_with_text += text_present(name, expected, doc.text)
    return out


def field_table(results: Sequence[DocumentResult], fields: Sequence[str] = FIELDS) -> str:
    """Markdown: one row per field, dev and hold-out side by side."""
    rows = [
        "| field | dev right | dev % | hold-out right | hold-out % | spurious | misses with text |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    dev, hold = _split(results, "dev"), _split(results, "holdout")
    totals = {"dev": Tally(), "holdout": Tally()}
    for name in fields:
        d, h = tally(dev, name), tally(hold, name)
        if not d.labelled and not h.labelled:
            continue
        totals["dev"].add(d)
        totals["holdout"].add(h)
        rows.append(_field_row(name, d, h))
        if name == "vendorName":
            rows.append(_lenient_row(d, h))
    rows.append(_field_row("**all labelled**", totals["dev"], totals["holdout"]))
    return "\n".join(rows)


def group_table(results: Sequence[DocumentResult], fields: Sequence[str] = FIELDS) -> str:
    """Markdown: one row per source group, labelled fields right (dev / hold-out)."""
    rows = [
        "| source | docs | pages | dev right | dev % | hold-out right | hold-out % | s/page |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for group in sorted({r.group for r in results}):
        members = [r for r in results if r.group == group]
        d = _sum(_split(members, "dev"), fields)
        h = _sum(_split(members, "holdout"), fields)
        pages = sum(r.pages for r in members)
        seconds = sum(r.seconds for r in members) / max(pages, 1)
        rows.append(
            f"| {group} | {len(members)} | {pages} | {d.right}/{d.labelled} | {_pct(d.share)} "
            f"| {h.right}/{h.labelled} | {_pct(h.share)} | {seconds:.3f} |"
        )
    return "\n".join(rows)


def calibration_table(
    results: Sequence[DocumentResult], edges: Sequence[float] = (0.0, 0.3, 0.5, 0.7, 0.9, 1.01)
) -> str:
    """Markdown: how often a field found with a confidence in each band is right."""
    rows = ["| confidence | fields found | right | share right |", "|---|---:|---:|---:|"]
    for low, high in itertools.pairwise(edges):
        found = right = 0
        for doc in results:
            for name, value in doc.found.items():
                confidence = doc.confidence.get(name)
                expected = doc.expected.get(name)
                if value is None or confidence is None or expected is None:
                    continue
                if low <= confidence < high:
                    found += 1
                    right += is_right(name, expected, value)
        share = right / found if found else None
        rows.append(f"| {low:.1f}-{min(high, 1.0):.1f} | {found} | {right} | {_pct(share)} |")
    return "\n".join(rows)


def threshold_table(
    results: Sequence[DocumentResult],
    thresholds: Sequence[float] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
) -> str:
    """Markdown: for each candidate review threshold, how many labelled fields found fall
    above it (not flagged), how often those above and those below are right, the share of
    fields flagged and the share of the wrong ones among them (the errors review catches)."""
    found = [
        (doc.confidence.get(name, 0.0), is_right(name, doc.expected[name], value))
        for doc in results
        for name, value in doc.found.items()
        if value is not None and doc.expected.get(name) is not None
    ]
    rows = [
        "| threshold | above | right above | right below | flagged | wrong ones flagged |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    wrong = [conf for conf, right in found if not right]
    for t in thresholds:
        above = [right for conf, right in found if conf >= t]
        below = [right for conf, right in found if conf < t]
        flagged = len(below) / len(found) if found else None
        caught = sum(conf < t for conf in wrong) / len(wrong) if wrong else None
        rows.append(
            f"| {t:.1f} | {len(above)}/{len(found)} | {_pct(_share(above))} "
            f"| {_pct(_share(below))} | {_pct(flagged)} | {_pct(caught)} |"
        )
    return "\n".join(rows)


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def review_table(results: Sequence[DocumentResult]) -> str:
    """Markdown: labelled fields found, split by needsReview, and how often each is right."""
    rows = ["| needsReview | fields found | right | share right |", "|---|---:|---:|---:|"]
    for flag in (False, True):
        found = right = 0
        for doc in results:
            for name, value in doc.found.items():
                expected = doc.expected.get(name)
                if value is None or expected is None or name not in doc.needs_review:
                    continue
                if doc.needs_review[name] == flag:
                    found += 1
                    right += is_right(name, expected, value)
        rows.append(
            f"| {str(flag).lower()} | {found} | {right} | {_pct(right / found if found else None)} |"
        )
    return "\n".join(rows)


def misses(results: Sequence[DocumentResult], split: str = "dev") -> list[str]:
    """One line per wrong labelled field of ``split`` (never call this for the hold-out)."""
    if split != "dev":
        raise ValueError("hold-out failures are not to be looked at")
    lines = []
    for doc in _split(results, "dev"):
        for name in FIELDS:
            expected = doc.expected.get(name)
            if expected is not None and not is_right(name, expected, doc.found.get(name)):
                present = "text" if text_present(name, expected, doc.text) else "no-text"
                lines.append(
                    f"{doc.doc_id} {name}: expected {expected!r} got {doc.found.get(name)!r} "
                    f"({present}, conf {doc.confidence.get(name, 0):.2f})"
                )
    return lines


def _field_row(name: str, d: Tally, h: Tally) -> str:
    misses = d.misses + h.misses
    with_text = d.missing_with_text + h.missing_with_text
    text_share = f"{with_text}/{misses}" if misses else "-"
    return (
        f"| {name} | {d.right}/{d.labelled} | {_pct(d.share)} | {h.right}/{h.labelled} "
        f"| {_pct(h.share)} | {d.spurious + h.spurious} | {text_share} |"
    )


def _lenient_row(d: Tally, h: Tally) -> str:
    dl = d.lenient / d.labelled if d.labelled else None
    hl = h.lenient / h.labelled if h.labelled else None
    return (
        f"| vendorName (lenient) | {d.lenient}/{d.labelled} | {_pct(dl)} "
        f"| {h.lenient}/{h.labelled} | {_pct(hl)} | | |"
    )


def _sum(results: Sequence[DocumentResult], fields: Sequence[str]) -> Tally:
    out = Tally()
    for name in fields:
        out.add(tally(results, name))
    return out


def _split(results: Iterable[DocumentResult], split: str) -> list[DocumentResult]:
    return [r for r in results if r.split == split]


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}"


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).lstrip("#").casefold()


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
