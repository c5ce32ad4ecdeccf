"""What the labels around a value say it is: ``role_scores(candidate) -> {role: score}``.

A value is described by the nearest label of its kind (``KIND_ROLES``) **left** of it on its line (factor 1.0; 0.5 when
another value sits between them, as in a tax row "VAT 20% 81,90 16,38", 0.3 for two) or,
failing that, by a label **above** it that ends its cell (a column header: 0.8 for the line
just above, less further up, 0.6 for a header row of three labels or more). Within the
label's cell the *first* label is the head ("Rechnungssumme Netto (excl. USt.)" is a net
total, not a tax); modifiers in the cell turn a generic total into a net one ("Summe
netto") or a tax ("zzgl. MwSt."). A tax base counts as a net total at 0.6; a later value on a tax-base row is the
tax (its factor: 0.5 for the second value). Score = label
weight x position factor. A label word inside a sentence of another cell ("... ne
donneront pas lieu à escompte." beside "100,00") describes no value: labels start their
cell or stand in a short one. On a tax row, an amount after "on" / "aus" / "sur" / "sobre"
("VAT 19% on €100.00 €19.00") is the tax's base (role ``taxBase``), and the amount after it
is the tax at full weight. On a table's totals row ("Total  100.00  19.00  119.00" under
"Net  VAT  Gross") each value takes its column header's role; a rate in a header ("USt 19 %")
does not make it a row label; a tax-base column header ("Base HT") heads net amounts (a
later value only on a tax-base *row* is the tax).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ocr_gateway.processing.extraction import column_pairs, label_context
from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.labels import LabelHit, cached_fold, modifiers
from ocr_gateway.processing.extraction.page import Line, PageText

ABOVE_FACTOR = 0.8
PAIRED_FACTOR = 0.6
STRONG_LEFT = 0.5
GENERIC_LABEL = 0.5  # labels weighted below this ("Nr.", "Amount") qualify the one before  # a weaker label on the left lets a column header above speak too
HEADER_ROW_FACTOR = 0.6
_BASE_WORDS = frozenset({"on", "aus", "auf", "von", "uber", "sur", "sobre", "over", "su"})
_CURRENCY_WORDS = frozenset({"", "eur", "usd", "gbp", "chf"})  # folded "€", "$" are ""
PROSE_WORDS = 6  # a cell of more words is a sentence, not a label
BELOW_DISTANCE = 2.5  # line heights between a label and the value under it
GENERIC_WEIGHT = 0.9  # labels weighted below this may be turned by modifiers
# The labels that can speak for a kind of value: a "Tel." label says nothing about a date.
KIND_ROLES = {
    "date": frozenset({"invoiceDate", "dueDate", "otherDate"}),
    "amount": frozenset({"total", "subtotal", "tax", "taxBase", "otherAmount"}),
    "id": frozenset({"invoiceNumber", "otherId", "heading"}),
}


@dataclass(frozen=True, slots=True)
class Evidence:
    role: str
    score: float
    hit: LabelHit
    where: str  # left | above


class EvidenceFinder:
    """Label evidence for candidates of one page (label hits computed once)."""

    def __init__(
        self,
        page: PageText,
        hits: Sequence[Sequence[LabelHit]],
        values: Sequence[Candidate],
    ) -> None:
        self.page = page
        self.hits = hits
        self._values_by_line: dict[int, list[Candidate]] = {}
        for value in values:
            self._values_by_line.setdefault(value.line, []).append(value)
        self._memo: dict[Candidate, list[Evidence]] = {}
        self._values = values
        self._columns: column_pairs.Columns | None = None

    def evidence(self, candidate: Candidate) -> list[Evidence]:
        """The label evidence for ``candidate`` (computed once per candidate)."""
        found = self._memo.get(candidate)
        if found is None:
            found = self._memo[candidate] = self._evidence_of(candidate)
        return list(found)

    def _evidence_of(self, candidate: Candidate) -> list[Evidence]:
        left = self._left(candidate)
        if left is not None and left.role != "heading" and left.score >= STRONG_LEFT:
            column = self._column_of_total_row(candidate, left)
            return [column or left, *self._joined(candidate, left)]
        if left is None and candidate.kind == "amount":
            column = self._column(candidate)
            if column is not None:
                return [column]  # a column-read block the arithmetic pairs (``column_pairs``)
            paired = self._paired(candidate, exact=True)
            if paired is not None:
                return [paired]  # a block of N labels, then its N values: the k-th is the k-th's
        above = self._above(candidate)
        if left is None and above is None:
            above = self._paired(candidate)
        return [e for e in (left, above) if e is not None]

    def role_scores(self, candidate: Candidate) -> dict[str, float]:
        scores: dict[str, float] = {}
        for item in self.evidence(candidate):
            scores[item.role] = max(scores.get(item.role, 0.0), item.score)
        return scores

    def _left(self, candidate: Candidate) -> Evidence | None:
        line = self.page.lines[candidate.line]
        roles = KIND_ROLES[candidate.kind]
        before = [
            h
            for h in self.hits[candidate.line]
            if h.role in roles
            and (h.end <= candidate.start or _shares_sign(h, candidate))
            and not _in_prose(line, h, candidate)
        ]
        if not before:
            return None
        nearest = before[-1]
        head = label_context.included_tax(line, before) or _head(line, before)
        between = [
            v
            for v in self._values_by_line.get(candidate.line, [])
            if v.kind in ("amount", "date")
            and nearest.end <= v.start
            and v.end <= candidate.start
            and not _tax_base(line, v.start)
        ]
        factor = (1.0, 0.5, 0.3)[min(len(between), 2)]
        gap = _cells_between(line, nearest.end, candidate.start)
        factor *= 0.8**gap
        if candidate.kind == "amount" and head.role == "tax" and _tax_base(line, candidate.start):
            return Evidence("taxBase", head.weight * factor, head, "left")
        qualified = label_context.qualified_tax(line, head, self.hits[candidate.line], "left")
        if qualified is not None:
            return Evidence(qualified, head.weight * factor, head, "left")  # "excl. VAT"
        words = [w.text for w in line.words[head.start : candidate.start]]
        return _evidence(head, factor, words, "left")

    def _joined(self, candidate: Candidate, left: Evidence) -> list[Evidence]:
        """The evidence of a label joined to the one on the left ("Invoice date / Delivery
        date"): the value is both."""
        line = self.page.lines[candidate.line]
        hits = [h for h in self.hits[candidate.line] if h.role in KIND_ROLES[candidate.kind]]
        partner = label_context.joined_partner(line, left.hit, hits)
        return [] if partner is None else [Evidence(partner.role, left.score, partner, "left")]

    def _above(self, candidate: Candidate) -> Evidence | None:
        x0, y0, x1, _ = candidate.box
        for steps, index in enumerate(range(candidate.line - 1, max(candidate.line - 4, -1), -1)):
            line = self.page.lines[index]
            if y0 - line.box[3] > BELOW_DISTANCE * max(line.height, 1) * (steps + 1):
                return None
            for hit in self.hits[index]:
                if hit.role not in KIND_ROLES[candidate.kind]:
                    continue
                hx0, hx1 = line.words[hit.start].box[0], line.words[hit.end - 1].box[2]
                slack = line.height
                if (
                    hx1 + slack < x0
                    or hx0 - slack > x1
                    or not self._ends_cell(line, hit, candidate.kind)
                ):
                    continue
                factor = ABOVE_FACTOR * 0.8**steps
                if len({line.cell_of(h.start) for h in self.hits[index]}) >= 3:
                    factor = min(factor, HEADER_ROW_FACTOR)
                qualified = label_context.qualified_tax(line, hit, self.hits[index], "above")
                if qualified is not None:  # "excl. VAT" over net amounts
                    return Evidence(qualified, hit.weight * factor, hit, "above")
                cell = line.cell_of(hit.start)
                words = [w.text for w in line.words[hit.start : cell[1]]]
                return _evidence(hit, factor, words, "above")
        return None

    def _paired(self, candidate: Candidate, *, exact: bool = False) -> Evidence | None:
        """A block read column by column: N label lines, then N value lines ("TOTAL",
        "CASH", "CHANGE", then "31.00", "50.00", "19.00"; lines of currency signs alone may
        stand between); the k-th value gets the k-th label. A short line of letters without
        a known label ("T0TL", OCR's garble) holds its place in the block. ``exact``: only
        when the two blocks are the same size (then the pairing beats a label above: in a
        column read, the line above a value is the block's last label, not its header)."""
        first = candidate.line
        while first > 0 and self._value_only(first - 1):
            first -= 1
        last = candidate.line
        while last + 1 < len(self.page.lines) and self._value_only(last + 1):
            last += 1
        top = first - 1
        while top >= 0 and _signs_only(self.page.lines[top]):
            top -= 1
        labels: list[int] = []
        while top >= 0 and self._label_only(top, lenient=bool(labels)):
            labels.insert(0, top)
            top -= 1
        while labels and not self.hits[labels[0]]:
            labels.pop(0)  # the block starts with a known label
        count = last - first + 1
        if len(labels) < count or (exact and (len(labels) != count or count < 2)):
            return None
        index = labels[candidate.line - first]
        hits = [h for h in self.hits[index] if h.role in KIND_ROLES[candidate.kind]]
        if not hits:
            return None
        line = self.page.lines[index]
        words = [w.text for w in line.words[hits[0].start :]]
        return _evidence(hits[0], PAIRED_FACTOR, words, "above")

    def columns(self) -> column_pairs.Columns:
        """The page's column-read label blocks, paired with their values (computed once)."""
        if self._columns is None:
            self._columns = column_pairs.column_pairs(self.page, self.hits, self._values)
        return self._columns

    def _column(self, candidate: Candidate) -> Evidence | None:
        hit = self.columns().labels.get(candidate.key)
        if hit is None:
            return None
        words = [w.text for w in self.page.lines[hit.line].words[hit.start :]]
        return _evidence(hit, ABOVE_FACTOR, words, "above")

    def _value_only(self, index: int) -> bool:
        line = self.page.lines[index]
        values = [v for v in self._values_by_line.get(index, []) if v.kind == "amount"]
        return bool(values) and sum(v.end - v.start for v in values) >= len(line.words) - 1

    def _label_only(self, index: int, *, lenient: bool = False) -> bool:
        values = self._values_by_line.get(index, [])
        if self.hits[index] or not lenient:
            return bool(self.hits[index]) and not values
        if any(v.kind != "id" for v in values):
            return False
        line = self.page.lines[index]
        letters = sum(c.isalpha() for c in line.text)
        digits = sum(c.isdigit() for c in line.text)
        return len(line.words) <= 3 and letters > digits

    def _column_of_total_row(self, candidate: Candidate, left: Evidence) -> Evidence | None:
        """On a totals row of a table ("Total   100.00   19.00   119.00" under "Net   VAT
        Gross"), the column's header names each value: the row's "Total" says only that
        they are sums. The header's role at the row label's score, or None."""
        if candidate.kind != "amount" or left.role != "total":
            return None
        amounts = [v for v in self._values_by_line.get(candidate.line, []) if v.kind == "amount"]
        if len(amounts) < 2:
            return None
        above = self._above(candidate)
        if above is None or above.role not in ("subtotal", "tax", "total"):
            return None
        return Evidence(above.role, left.score, above.hit, "above")

    def _ends_cell(self, line: Line, hit: LabelHit, kind: str) -> bool:
        """Whether no value follows ``hit`` on its line before the next label: a column
        header, whose values are below, not a row label ("VAT 0.00") whose value is beside."""
        following = [h.start for h in self.hits[line.index] if h.start >= hit.end]
        stop = min(following, default=len(line.words))
        values = self._values_by_line.get(line.index, [])
        if kind == "amount":  # a rate in an amount column's header ("USt 19 %") is no value
            values = [v for v in values if v.kind == "amount"]
        return not any(hit.end <= v.start < stop for v in values)


def _tax_base(line: Line, start: int) -> bool:
    """Whether the amount at word ``start`` is the base a tax is computed on: after "on",
    "aus", "auf", "sur", "sobre", "over", "su" ("VAT 19% on €100.00 €19.00", "zzgl. 19%
    MwSt. aus 100,00 € 19,00 €", "TVA 20 % sur 500,00 100,00"): neither the tax nor, on its
    own, the net total."""
    words = [cached_fold(w.text) for w in line.words[max(start - 2, 0) : start]]
    if words and words[-1] in _CURRENCY_WORDS:
        words = words[:-1]
    return bool(words) and words[-1] in _BASE_WORDS


def _in_prose(line: Line, hit: LabelHit, candidate: Candidate) -> bool:
    """Whether ``hit`` is a word inside a sentence in another cell than the value ("Les
    règlements reçus avant la date d'échéance ne donneront pas lieu à escompte." | "100,00"):
    a label starts its cell or stands in a short one, a sentence describes no value beside it.
    Only words with letters count: rates, bases and signs make no sentence ("zzgl. 7 % USt.
    auf 100,00 €" | "7,00 €" is a tax row)."""
    cell = line.cell_of(hit.start)
    if cell == line.cell_of(candidate.start):
        return False
    words = sum(any(c.isalpha() for c in w.text) for w in line.words[cell[0] : cell[1]])
    return words > PROSE_WORDS and hit.start > cell[0]


def _shares_sign(hit: LabelHit, candidate: Candidate) -> bool:
    """Whether a label's last word is the amount's currency sign ("TOTAL RM" of "TOTAL RM
    24.40": the label phrase and the amount both take the "RM")."""
    return (
        candidate.kind == "amount"
        and candidate.currency is not None
        and hit.start < candidate.start < hit.end == candidate.start + 1
    )


def _head(line: Line, before: Sequence[LabelHit]) -> LabelHit:
    """The first label of the phrase that ends with ``before[-1]``: labels before it in its
    cell that it only qualifies, with words and rates between ("Rechnungssumme Netto (excl.
    USt.)", "Beitrag inklusive 19 % Versicherungsteuer")."""
    head = before[-1]
    cell = line.cell_of(head.start)
    for hit in reversed(before[:-1]):
        between = [w.text for w in line.words[hit.end : head.start]]
        around = [line.words[hit.end - 1].text, *between, line.words[head.start].text]
        generic = head.weight < GENERIC_LABEL  # "Nr." in "HRB Nr." qualifies
        if hit.start < cell[0] or not _qualifiers_only(between):
            break
        if not (generic or (_qualifying(around) and not _payment(head))):
            break
        head = hit
    return head


def _payment(hit: LabelHit) -> bool:
    """Whether a label names money handed over or back ("CASH", "CHANGE"): it qualifies no
    total before it ("TOTAL ROUNDED CASH 33.90 50.00": two labels, their values after)."""
    words = set(hit.label.phrase.split())
    return bool(words & (column_pairs.TENDER_WORDS | column_pairs.CHANGE_WORDS))


def _qualifying(words: Sequence[str]) -> bool:
    """Whether a label is a qualifier of the one before it: in brackets or after a modifier
    ("(excl. USt.)", "inklusive 19 % Versicherungsteuer"), not a noun of its own ("in diesem
    Beitrag enthaltene Versicherungsteuer" is the tax)."""
    return any(w.startswith("(") for w in words) or bool(modifiers(words))


def _qualifiers_only(words: Sequence[str]) -> bool:
    """Words that may qualify a label without ending it: text, rates ("inkl. 19 %") and
    codes in brackets ("(380)")."""
    for i, word in enumerate(words):
        rate = word.endswith("%") or (i + 1 < len(words) and words[i + 1] == "%")
        aside = word.startswith("(") and word.endswith(")")  # "Handelsrechnung (380) Nr."
        if any(c.isdigit() for c in word) and not (rate or aside):
            return False
    return True


def _signs_only(line: Line) -> bool:
    return all(
        w.text.strip("():").upper() in ("RM", "$", "€", "£", "USD", "EUR", "MYR")
        for w in line.words
    )


def _cells_between(line: Line, start: int, end: int) -> int:
    """Cells with text strictly between word ``start`` and word ``end``."""
    cells = {line.cell_of(i) for i in range(start, end)}
    return max(len(cells) - 1, 0)


def _evidence(hit: LabelHit, factor: float, words: Sequence[str], where: str) -> Evidence:
    role, weight = hit.role, hit.weight
    mods = modifiers(words, exact_before=hit.end - hit.start)
    if role == "total" and weight < GENERIC_WEIGHT and "net" in mods and "gross" not in mods:
        role, weight = "subtotal", 0.9
    elif role == "total" and "plus" in mods:
        role = "tax"
    elif role == "total" and "gross" in mods:
        weight = max(weight, 0.95)
    elif role == "subtotal" and "gross" in mods:
        role, weight = "total", 0.8  # "Sub Total Incl. GST"
    elif label_context.gross_tax_total(hit, words):
        role, weight = "total", 0.95  # "TOTAL (GST INCL)"
    elif role == "taxBase" and factor < 1.0 and where == "left":
        role, weight = "tax", 1.0  # a tax row: base first, then the tax ("USt 19% 198,00 37,62")
    elif role == "taxBase":
        role, weight = "subtotal", weight * 0.6
    return Evidence(role, weight * factor, hit, where)
