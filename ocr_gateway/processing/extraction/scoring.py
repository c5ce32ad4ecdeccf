"""Choose a field's value among its candidates by evidence, and say how sure we are.

A candidate's score for a role is its label evidence (``evidence.py``) where the label names
that role; a label of another role that speaks louder ("Kundennummer", "Date Paid", "Cash")
cuts it to ``CONTRADICTED``. Without a label, layout evidence scores less: an id right after
or under a document title ("Rechnung R0005532486", "INVOICE" / "INV/2023/03/0008"), the
first date of the page. Scores below ``MIN_SCORE`` are no evidence: the field stays null.

**Confidence** = OCR confidence x strength x agreement: strength is the score over the kind's
``FULL_SCORE``, capped at 1 (for a number, a label that names the field outright right
beside it); agreement is 1 while
the runner-up (the best candidate with another value) scores at most half as much, down to
``1 - MARGIN_WEIGHT`` when it scores the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ocr_gateway.processing.extraction import direct_debit
from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.evidence import EvidenceFinder
from ocr_gateway.processing.extraction.page import PageText

MIN_SCORE = 0.3
CONTRADICTED = 0.3
MARGIN_WEIGHT = 0.4
HEADING_SCORE = 0.7  # an id right after a document title
HEADING_BELOW_SCORE = 0.55  # an id alone under a document title
FIRST_DATE_SCORE = 0.35  # the page's first date, with no label
OTHER_DATE_SCORE = 0.15
ONLY_DATE_SCORE = 0.35  # the one date a page prints, under labels that are not the issue's
TITLED_HEADER_SCORE = 0.6  # a generic number header right under the document's title
PRINT_LABELS = frozenset({"time", "printed", "druckdatum", "erstellt am"})
# A receipt is issued when it is paid: its payment date, the only date it prints, dates it.
PAID_LABELS = frozenset(
    {"date paid", "paid on", "payment date", "zahlungsdatum", "date de paiement"}
    | {"fecha de pago", "data pagamento", "data de pagamento"}
)
RECEIPT_HEADINGS = frozenset(
    {"receipt", "official receipt", "tax invoice / receipt", "invoice / receipt", "quittung"}
    | {"recibo", "ricevuta", "fatura-recibo", "resit", "resit rasmi"}
)
TIMED_DATE_BONUS = 0.25  # an unlabelled date with the clock time beside it (a receipt's)
# "15:39", "03;00:42PM", "-13:19:16" (glued to the date), "09.28.00"; not an amount "12.50"
_CLOCK = re.compile(r"^-?\d{1,2}(?:[:;]\d{2}|\.\d{2}[.:;]\d{2})(?!\d)")
TITLE_LINE_BONUS = 0.2  # a date on the line of the title or the invoice number
# Words between the two ends of a period: "-", en and em dashes, "to", "bis zum", "au" ...
_RANGE_WORDS = frozenset(
    {"-", "\u2013", "\u2014", "to", "until", "till", "through", "bis", "zum", "au", "al"}
    | {"a", "hasta", "tot", "até"}
)


# A score at which the evidence counts as complete, per kind of field: a generic "Date:"
# label is as good as it gets for a date (dates are unambiguous once found: 97-100% right
# on the development set at any score), a name needs wording, layout and labels together.
FULL_SCORE = {"date": 0.6, "id": 1.0, "amount": 1.0, "vendor": 2.4}


@dataclass(frozen=True, slots=True)
class Choice:
    candidate: Candidate
    score: float
    confidence: float
    method: str  # label | layout


def role_score(scores: dict[str, float], role: str) -> float:
    """The evidence for ``role``, cut when another role's evidence is stronger."""
    own = scores.get(role, 0.0)
    rival = max((v for r, v in scores.items() if r != role), default=0.0)
    return own if own >= rival else own * CONTRADICTED


def confidence(score: float, runner_up: float, ocr: float) -> float:
    strength = min(score, 1.0)
    closeness = runner_up / score if score > 0 else 1.0  # 1: a tie
    agreement = 1 - MARGIN_WEIGHT * min(max((closeness - 0.5) / 0.5, 0.0), 1.0)
    return max(0.0, min(1.0, ocr * strength * agreement))


def best_of(
    scored: Iterable[tuple[Candidate, float, str]], *, distinct: Callable[[Candidate], str]
) -> Choice | None:
    """The highest-scoring candidate; the runner-up is the best with another value."""
    ranked = sorted(scored, key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < MIN_SCORE:
        return None
    top, score, method = ranked[0]
    runner_up = next((s for c, s, _ in ranked[1:] if distinct(c) != distinct(top)), 0.0)
    full = FULL_SCORE[top.kind]
    return Choice(top, score, confidence(score / full, runner_up / full, top.confidence), method)


# -- dates ---------------------------------------------------------------------------------


def date_scores(
    dates: Sequence[Candidate], finder: EvidenceFinder, page: PageText
) -> dict[str, list[tuple[Candidate, float, str]]]:
    """Scored candidates for ``invoiceDate`` and ``dueDate``."""
    out: dict[str, list[tuple[Candidate, float, str]]] = {"invoiceDate": [], "dueDate": []}
    first = min(dates, key=lambda c: (c.line, c.start), default=None)
    for date in dates:
        scores = finder.role_scores(date)
        ranged = _in_range(date, dates, page)
        issue = role_score(scores, "invoiceDate")
        method = "label"
        if not scores:
            issue = FIRST_DATE_SCORE if date is first else OTHER_DATE_SCORE
            issue += TIMED_DATE_BONUS if _timed(date, page) else 0.0
            method = "layout"
        if ranged:
            issue *= 0.3
        elif _on_title_line(date, finder):
            issue += TITLE_LINE_BONUS  # "Rechnung Nr. 4711 vom 05.03.2018"
        out["invoiceDate"].append((date, issue, method))
        due = role_score(scores, "dueDate") * (0.3 if ranged else 1.0)
        if due < direct_debit.DEBIT_SCORE and direct_debit.on_debit_line(
            page.lines[date.line].text
        ):
            due = direct_debit.DEBIT_SCORE  # "... wird am 01.02.2024 abgebucht"
        out["dueDate"].append((date, due, "label"))
    return _only_date(out, dates, finder)


def _only_date(
    out: dict[str, list[tuple[Candidate, float, str]]],
    dates: Sequence[Candidate],
    finder: EvidenceFinder,
) -> dict[str, list[tuple[Candidate, float, str]]]:
    """A page that prints one date only (once or several times: "DATE", "PRINTED", "CREATE
    TIME" on a receipt) is dated by it, at ``ONLY_DATE_SCORE``, when no label made it the
    issue date, none made it a due date and no other label than a print or clock time
    (``PRINT_LABELS``) says it is another date (a delivery date alone dates no invoice). A
    receipt's payment date ("Date paid", ``PAID_LABELS``) is its date: it is issued when paid."""
    values = {d.normalized for d in dates}
    if len(values) != 1 or any(score >= MIN_SCORE for _, score, _ in out["invoiceDate"]):
        return out
    receipt = _is_receipt(finder)
    for date in dates:
        for item in finder.evidence(date):
            phrase = item.hit.label.phrase
            if item.role != "otherDate" or phrase in PRINT_LABELS:
                continue
            if not (receipt and phrase in PAID_LABELS):
                return out
    if any(score >= MIN_SCORE for _, score, _ in out["dueDate"]):
        return out
    first = min(dates, key=lambda c: (c.line, c.start))
    out["invoiceDate"].append((first, ONLY_DATE_SCORE, "layout"))
    return out


def _is_receipt(finder: EvidenceFinder) -> bool:
    return any(
        h.role == "heading" and h.label.phrase in RECEIPT_HEADINGS
        for line in finder.hits
        for h in line
    )


def _timed(date: Candidate, page: PageText) -> bool:
    """Whether the clock time follows the date ("19-09-17 15:39", "01/05/2016-13:19:16"):
    a till prints the moment of the sale so; an item code or a card's expiry has no time."""
    line = page.lines[date.line]
    printed = line.words_text(date.start, date.end)
    glued = printed[len(date.text) :] if printed.startswith(date.text) else ""
    after = [w.text for w in line.words[date.end : date.end + 2]]
    return any(_CLOCK.match(part) for part in (glued, *after) if part)


def _on_title_line(date: Candidate, finder: EvidenceFinder) -> bool:
    return any(h.role in ("heading", "invoiceNumber") for h in finder.hits[date.line])


def _in_range(date: Candidate, dates: Sequence[Candidate], page: PageText) -> bool:
    """Whether ``date`` is one end of a period ("01.01.2016 - 31.01.2016")."""
    line = page.lines[date.line]
    for other in dates:
        if other.line != date.line or other is date:
            continue
        lo, hi = (other, date) if other.start < date.start else (date, other)
        between = [w.text.lower().strip(".,:") for w in line.words[lo.end : hi.start]]
        if 1 <= len(between) <= 2 and all(w in _RANGE_WORDS for w in between):
            return True
        if lo.text.endswith("-") or hi.text.startswith("-"):
            return True
    return False


def assign_dates(
    scored: dict[str, list[tuple[Candidate, float, str]]],
) -> dict[str, Choice]:
    """Issue and due date; one printed date answers one of them, the better-evidenced."""
    issue = best_of(scored["invoiceDate"], distinct=lambda c: c.normalized)
    due = best_of(scored["dueDate"], distinct=lambda c: c.normalized)
    if issue and due and issue.candidate.key == due.candidate.key:
        if due.score > issue.score:
            rest = [s for s in scored["invoiceDate"] if s[0].key != due.candidate.key]
            issue = best_of(rest, distinct=lambda c: c.normalized)
        else:
            rest = [s for s in scored["dueDate"] if s[0].key != issue.candidate.key]
            due = best_of(rest, distinct=lambda c: c.normalized)
    return {k: v for k, v in (("invoiceDate", issue), ("dueDate", due)) if v is not None}


# -- invoice numbers -----------------------------------------------------------------------


def id_scores(
    ids: Sequence[Candidate], finder: EvidenceFinder, page: PageText
) -> list[tuple[Candidate, float, str]]:
    out = []
    for token in ids:
        if _starts_with_other_label(token, finder):
            continue
        scores = finder.role_scores(token)
        score, method = role_score(scores, "invoiceNumber"), "label"
        if _under_titled_number_header(token, finder):
            score = max(score, TITLED_HEADER_SCORE)
        heading = _after_heading(token, finder, page)
        if heading > score and all(r in ("heading", "invoiceNumber") for r in scores):
            score, method = heading, "layout"
        # A run of parts ("INV 2024 0042") beats its own first part by a hair.
        out.append((token, score * _id_shape(token) + 0.01 * (token.end - token.start), method))
    return out


def _under_titled_number_header(token: Candidate, finder: EvidenceFinder) -> bool:
    """Whether the token sits under a generic number column header ("Numero", "Nr.", "No.")
    of a header row printed right below the document's title ("FATTURA" / "Numero  Data
    Codice cliente" / "112  15/03/2024  C0045"): the title says whose number it is."""
    for item in finder.evidence(token):
        hit = item.hit
        if item.where != "above" or item.role != "invoiceNumber" or hit.line < 1:
            continue
        if hit.line == token.line - 1 and any(
            h.role == "heading" for h in finder.hits[hit.line - 1]
        ):
            return True
    return False


def _starts_with_other_label(token: Candidate, finder: EvidenceFinder) -> bool:
    """A run of parts that begins with a label of another number ("CIF A87654321", "VAT
    DE123456789") is that label and its number, not an invoice number."""
    return token.end - token.start > 1 and any(
        h.start == token.start and h.end < token.end and h.role == "otherId"
        for h in finder.hits[token.line]
    )


def _after_heading(token: Candidate, finder: EvidenceFinder, page: PageText) -> float:
    for item in finder.evidence(token):
        if item.hit.role != "heading":
            continue
        if item.where == "left":
            line = page.lines[token.line]
            if _parenthesised(line.words_text(token.start, token.end)):
                return 0.0
            between = " ".join(w.text for w in line.words[item.hit.end : token.start])
            if all(_filler(w) for w in re.sub(r"\([^)]*\)?", " ", between).split()):
                return HEADING_SCORE
        elif item.where == "above":
            return HEADING_BELOW_SCORE * item.score / 0.8
    return 0.0


def _parenthesised(text: str) -> bool:
    return text.startswith("(") or text.endswith(")")


def _filler(word: str) -> bool:
    """Words that may stand between a title and its number ("No.", "#"; bracketed asides
    such as "(380)" are dropped before)."""
    return fold_simple(word) in ("", "no", "nr", "n", "#", "num", "nummer", "number", "no#")


def fold_simple(word: str) -> str:
    return re.sub(r"[^\w#]", "", word.lower().replace("°", "o"))


# A company registration number as receipts print it beside the shop's name: "(1095514-X)",
# "(CO. NO. JM0195368-D)", "002043319-W" (digits, a hyphen, a check letter).
_REGISTRATION = re.compile(r"^[A-Z]{0,3}\d{4,12}-[A-Z]$")
REGISTRATION_FACTOR = 0.3  # bracketed, it is no invoice number at all


def _id_shape(token: Candidate) -> float:
    text = token.normalized
    if _REGISTRATION.match(text):
        return 0.0 if token.bracketed else REGISTRATION_FACTOR
    if len(text) <= 2:
        return 0.6
    if text.isdigit() and len(text) == 3:
        return 0.85
    return 1.0


def clean_id(text: str) -> str:
    return re.sub(r"\s*_\s*", "_", text.strip(" #:;,.()"))
