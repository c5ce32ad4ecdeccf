"""A receipt's totals block read column by column: its labels on lines of their own, its
values on other lines, paired again by the receipt's own arithmetic.

A till prints its totals as two columns::

    TOTAL SALES (INCL GST)    13.58
    ROUNDING ADJ                .02
    ROUNDING                  13.60
    CASH                      14.00
    CHANGE                      .40

OCR (and many transcriptions) read the label column first and the value column after it,
often further down (a GST summary read in between), so no value has a label beside or above
it. ``column_pairs`` pairs them again:

- a **label block** is a run of label-only lines (a known amount label, no money on the
  line; lines of signs, colons or rates alone and labels with their own count, "ITEM
  COUNT 3", stand between without a place; a short line of letters, "DISC", holds one
  between two labels); each line is a *slot* of a kind: total, net, tax, rounding,
  tendered, change or other;
- a **value run** is a run of lines that hold one money amount and nothing else but a sign
  or tax code ("RM8.25", "31.80 S"), anywhere on the page;
- a window of ``k >= 2`` slots is aligned k-th to k-th with a window of ``k`` values (the
  column may hold values of lines above the block, or lose its last ones; the last labels'
  values may stand right below them, the first ones' further down), and an alignment counts
  only when the arithmetic of a receipt confirms it (``arithmetic``, at least
  ``MIN_SUPPORT``; 1 for a whole block against as many values): cash tendered less change
  = a total; a total or net +- a rounding adjustment = a total; net + tax (+ adjustment) =
  a total; and nothing contradicts it: change above the cash, a negative total, a payment
  that is no total of the block, a tax above every total, an adjustment of 0.50 or more.

Each (block, run) pair keeps its best alignment (most support, then a run after the block,
the nearer run, the longer window, the earlier windows); pairs are then taken best first,
no slot or value twice. ``evidence.py`` gives a paired value its slot's label, as strongly
as a label right above it; ``amount_receipts`` gives the total the block's arithmetic says
was paid (``Columns.paid``) the bonus of a total the payment backs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.labels import LabelHit, modifiers
from ocr_gateway.processing.extraction.page import Line, PageText

AMOUNT_ROLES = frozenset({"total", "subtotal", "tax", "taxBase", "otherAmount"})
MIN_SUPPORT = 2
MAX_WINDOW = 12  # slots or values aligned at most (a till's block has fewer)
CHANGE_WORDS = frozenset(
    {"change", "baki", "rückgeld", "ruckgeld", "rendu", "cambio", "resto", "troco"}
    | {"wisselgeld", "vuelto", "vuelta"}
)
ROUNDING_WORDS = ("round", "pembundaran", "rundung", "arrondi", "redondeo", "arrotondamento")
TENDER_WORDS = frozenset(
    {"cash", "tendered", "tunai", "credit", "card", "visa", "mastercard", "payment", "paid"}
    | {"pay", "bar", "gegeben", "especes", "entregado", "efectivo", "contanti", "dinheiro"}
)
_SIGNS = frozenset({"", ":", "RM", "$", "€", "£", "USD", "EUR", "MYR", "*", "-", "="})
_RATE = re.compile(r"^[(@]*\d{1,2}(?:[.,]\d{1,2})?%\)?$|^[(@]+$")
_CODES = frozenset({"S", "SR", "Z", "ZR", "ZRL", "E", "T", "X", "N", "A", "B", "*"})


@dataclass(frozen=True, slots=True)
class Slot:
    line: int
    hit: LabelHit | None  # the label the slot's value gets (None: a label no one knows)
    kind: str  # total | subtotal | tax | rounding | tendered | change | other


@dataclass(frozen=True, slots=True)
class _Value:
    candidate: Candidate
    value: Decimal


@dataclass(frozen=True, slots=True)
class Columns:
    labels: dict[tuple[str, int, int, int], LabelHit]  # by the value's ``Candidate.key``
    paid: frozenset[tuple[str, int, int, int]]  # the totals the block's arithmetic says were paid


def column_pairs(
    page: PageText, hits: Sequence[Sequence[LabelHit]], values: Sequence[Candidate]
) -> Columns:
    """The label of each value of a column-read block, and the totals paid (``paid_of``)."""
    by_line: dict[int, list[Candidate]] = {}
    for value in values:
        by_line.setdefault(value.line, []).append(value)
    blocks = list(_label_blocks(page, hits, by_line))
    runs = list(_value_runs(page, by_line))
    money = [v for v in values if v.kind == "amount" and v.strong]
    found = [
        (score, slots, run_values)
        for block, ended_at in blocks
        for run in _sequences(runs, ended_at, len(block))
        for score, slots, run_values in _best_alignment(block, run, _elsewhere(money, run))
    ]
    found.sort(key=lambda item: item[0], reverse=True)
    labels: dict[tuple[str, int, int, int], LabelHit] = {}
    paid: set[tuple[str, int, int, int]] = set()
    used_slots: set[int] = set()
    taken: set[tuple[str, int, int, int]] = set()
    for _, slots, run_values in found:
        if any(s.line in used_slots for s in slots) or any(
            v.candidate.key in taken for v in run_values
        ):
            continue
        taken.update(v.candidate.key for v in run_values)
        used_slots.update(s.line for s in slots)
        for slot, paired in zip(slots, run_values, strict=True):
            if slot.hit is not None:
                labels[paired.candidate.key] = slot.hit
        paid.update(paid_of(slots, run_values))
    return Columns(labels, frozenset(paid))


def paid_of(slots: Sequence[Slot], values: Sequence[_Value]) -> list[tuple[str, int, int, int]]:
    """The totals of an aligned block that were paid: those equal to the cash less the
    change, else the one after the rounding adjustment (a total, in the labels' order,
    after an adjustment and that adjustment away from a total or net before it)."""
    pairs = list(zip(slots, values, strict=True))
    totals = [(i, v) for i, (s, v) in enumerate(pairs) if s.kind == "total" or _rounded(s, v)]
    nets = [(i, v) for i, (s, v) in enumerate(pairs) if s.kind == "subtotal"]
    cash = [v.value for s, v in pairs if s.kind == "tendered"]
    change = [v.value for s, v in pairs if s.kind == "change"]
    if cash and change:
        paid = [v.candidate.key for _, v in totals if v.value == cash[0] - change[0]]
        if paid:
            return paid
    out = []
    for at, (slot, adjustment) in enumerate(pairs):
        if slot.kind != "rounding" or not 0 < abs(adjustment.value) < 1:
            continue
        before = {v.value for i, v in (*totals, *nets) if i < at}
        out += [
            v.candidate.key
            for i, v in totals
            if i > at and any(abs(v.value - b) == abs(adjustment.value) for b in before)
        ]
    return out


def _rounded(slot: Slot, value: _Value) -> bool:
    return slot.kind == "rounding" and abs(value.value) >= 1


def _sequences(runs: Sequence[list[_Value]], ended_at: int, size: int) -> Iterator[list[_Value]]:
    """The value sequences a block of ``size`` slots, ended by line ``ended_at``, may pair
    with: every run of two values or more; and when a shorter run stands right below the
    block (the last labels' values read beside them: "CHANGE", ".00"), every run further
    down followed by that one (it holds the first labels' values)."""
    yield from (run for run in runs if len(run) >= 2)
    below = next((run for run in runs if run[0].candidate.line == ended_at), None)
    if below is None or len(below) >= size:
        return
    for run in runs:
        if run[0].candidate.line > below[-1].candidate.line and len(run) + len(below) <= size:
            yield [*run, *below]


def _elsewhere(money: Sequence[Candidate], run: Sequence[_Value]) -> frozenset[Decimal]:
    """The page's amounts outside ``run``."""
    inside = {v.candidate.key for v in run}
    return frozenset(Decimal(v.normalized) for v in money if v.key not in inside)


def _best_alignment(
    block: Sequence[Slot], run: Sequence[_Value], money: frozenset[Decimal]
) -> Iterator[tuple[tuple[float, ...], tuple[Slot, ...], tuple[_Value, ...]]]:
    """The best-supported alignment of ``block`` with ``run``, if one is supported."""
    distance = abs(run[0].candidate.line - block[-1].line)
    after = run[0].candidate.line > block[-1].line
    best = None
    for size in range(min(len(block), len(run), MAX_WINDOW), 1, -1):
        for i, j in itertools.product(range(len(block) - size + 1), range(len(run) - size + 1)):
            slots, paired = tuple(block[i : i + size]), tuple(run[j : j + size])
            support, contradictions = arithmetic(
                [(s.kind, v.value) for s, v in zip(slots, paired, strict=True)], money
            )
            whole = size == len(block) == len(run)  # one label per value: less to confirm
            if support < (1 if whole else MIN_SUPPORT) or contradictions:
                continue
            rank = (float(support), float(after), -float(distance), float(size), -float(i + j))
            if best is None or rank > best[0]:
                best = (rank, slots, paired)
    if best is not None:
        yield best


def arithmetic(
    pairs: Sequence[tuple[str, Decimal]], money: frozenset[Decimal] = frozenset()
) -> tuple[int, int]:
    """``(support, contradictions)`` of slot kinds paired with values (module docstring):
    each relation supports by 2, one that only finds equal values equal (a net equal to a
    total with a tax of 0.00, two equal totals around an adjustment of 0.00) by 1. ``money``: the page's amounts outside the values; a block of cash and change
    alone is confirmed by a total printed elsewhere ("SUBTOTAL 44.90" above "CASH",
    "CHANGE", "100.00", "55.10")."""
    by: dict[str, list[Decimal]] = {}
    for kind, value in pairs:
        by.setdefault(kind, []).append(value)
    adjustments = [v for v in by.get("rounding", []) if abs(v) < 1]
    totals = [*by.get("total", []), *(v for v in by.get("rounding", []) if abs(v) >= 1)]
    support, contradictions = 0, 0
    if any(v < 0 for kind in ("total", "tendered", "change") for v in by.get(kind, [])):
        contradictions += 1
    if any(Decimal("0.5") <= abs(v) < 1 for v in adjustments):
        contradictions += 1
    # a block without a total pays its net ("SUBTOTAL", "CASH", "YOUR CHANGE")
    paid = totals or by.get("subtotal", [])
    s, c = _payment(by.get("tendered", []), by.get("change", []), paid, money)
    support, contradictions = support + s, contradictions + c
    s, c = _rounding(adjustments, totals, by.get("rounding", []), by.get("subtotal", []))
    support, contradictions = support + s, contradictions + c
    s, c = _parts(by.get("subtotal", []), by.get("tax", []), totals, adjustments)
    return support + s, contradictions + c


def _payment(
    tendered: Sequence[Decimal],
    change: Sequence[Decimal],
    totals: Sequence[Decimal],
    money: frozenset[Decimal],
) -> tuple[int, int]:
    if not tendered:
        return 0, 0
    cash, given = tendered[0], change[0] if change else None
    if not totals:
        paid = cash - given if given is not None else None
        return (2, 0) if given and paid and paid > 0 and paid in money else (0, 0)
    if given is None:
        return 0, int(cash < min(totals))  # cash below the total: misaligned
    paid = cash - given
    if paid <= 0:
        return 0, 1
    return (2, 0) if paid in totals else (0, 1)


def _rounding(
    adjustments: Sequence[Decimal],
    totals: Sequence[Decimal],
    rounding: Sequence[Decimal],
    nets: Sequence[Decimal] = (),
) -> tuple[int, int]:
    """A total moved by the adjustment from another total, or from the net ("SUBTOTAL
    191.22", "ROUNDING ADJ -0.02", "TOTAL 191.20")."""
    steps = [abs(a) for a in adjustments if a != 0]
    moved = {a + sign * step for a in (*totals, *nets) for step in steps for sign in (1, -1)}
    if not steps:  # "ROUNDING ADJ 0.00" between two equal totals
        return int(bool(adjustments) and len(totals) >= 2 and len(set(totals)) == 1), 0
    support = 2 if any(t in moved for t in totals) else 0
    # "ROUNDING 13.60" is the total after the adjustment: it must be one
    contradictions = sum(1 for v in rounding if abs(v) >= 1 and v not in moved)
    return support, contradictions


def _parts(
    nets: Sequence[Decimal],
    taxes: Sequence[Decimal],
    totals: Sequence[Decimal],
    adjustments: Sequence[Decimal],
) -> tuple[int, int]:
    if not totals:
        return 0, 0
    if any(t > 0 and t >= max(totals) for t in taxes):
        return 0, 1
    sums = {n + t + a for n in nets for t in taxes for a in (Decimal(0), *adjustments)}
    if any(t in sums for t in totals):
        return (2 if any(t > 0 for t in taxes) else 1), 0
    return 0, 0


# -- reading the page -------------------------------------------------------------------------


def _label_blocks(
    page: PageText, hits: Sequence[Sequence[LabelHit]], by_line: dict[int, list[Candidate]]
) -> Iterator[tuple[list[Slot], int]]:
    """Each block of two slots or more, and the line that ends it."""
    block: list[Slot] = []
    unknown: list[Slot] = []  # short lines of letters after the block's last slot
    for line in page.lines:
        values = by_line.get(line.index, [])
        slot = _slot(line, hits[line.index], values)
        if slot is not None:
            block += [*unknown, slot]
            unknown = []
        elif block and _unknown_label(line, hits[line.index], values):
            unknown.append(Slot(line.index, None, "other"))
        elif not _transparent(line, hits[line.index], values):
            if len(block) >= 2:
                yield block, (unknown[0].line if unknown else line.index)
            block, unknown = [], []
    if len(block) >= 2:
        yield block, (unknown[0].line if unknown else len(page.lines))


def _unknown_label(line: Line, hits: Sequence[LabelHit], values: Sequence[Candidate]) -> bool:
    """A label OCR garbled or the vocabulary lacks ("DISC", "T0TL"): one or two words of
    letters, no value. It holds its place between two known labels of a block."""
    words = [w.text.strip(":.") for w in line.words]
    return (
        not hits and not values and len(words) <= 2 and all(w.isalpha() or w == "" for w in words)
    )


def _slot(line: Line, hits: Sequence[LabelHit], values: Sequence[Candidate]) -> Slot | None:
    amount_hits = [h for h in hits if h.role in AMOUNT_ROLES]
    if not amount_hits or values or len(hits) != len(amount_hits):
        return None
    if not _labels_lead(line, amount_hits[0]):
        return None
    return slot_of(line.index, amount_hits, [w.text for w in line.words])


def slot_of(line: int, hits: Sequence[LabelHit], words: Sequence[str] = ()) -> Slot:
    """The slot of a label line: change and rounding words first ("CASH CHANGE" is the
    change), then the first label's role ("TOTAL SALES (EXCLUDING GST)" a net total, by
    its modifier), then a payment word."""
    for hit in hits:
        if CHANGE_WORDS & set(hit.label.phrase.split()):
            return Slot(line, hit, "change")
    for hit in hits:  # "TOTAL ROUNDED" is a total
        if hit.role != "total" and any(word in hit.label.phrase for word in ROUNDING_WORDS):
            return Slot(line, hit, "rounding")
    head = hits[0]
    if head.role == "total" and modifiers(words[head.start :]) & {"net", "gross"} == {"net"}:
        return Slot(line, head, "subtotal")
    if head.role in ("total", "subtotal", "tax"):
        return Slot(line, head, head.role)
    if head.role == "taxBase":
        return Slot(line, head, "subtotal")
    for hit in hits:
        if TENDER_WORDS & set(hit.label.phrase.split()):
            return Slot(line, hit, "tendered")
    return Slot(line, head, "other")


def _labels_lead(line: Line, first: LabelHit) -> bool:
    """A label line starts with its label (at most one word before it: "(EXCLUDED GST) SUB
    TOTAL" aside), not a sentence that mentions one."""
    return first.start <= 2 and len(line.words) <= first.end + 4


def _transparent(line: Line, hits: Sequence[LabelHit], values: Sequence[Candidate]) -> bool:
    """A line that holds no place in a block: signs or colons alone, or a label beside its
    own count ("ITEM COUNT 3", "TOTAL QTY: 2")."""
    if all(w.text.strip("():.").upper() in _SIGNS or _RATE.match(w.text) for w in line.words):
        return True  # "RM", ":", "(@ 6%)"
    return bool(hits) and bool(values) and all(not v.strong for v in values)


def _value_runs(page: PageText, by_line: dict[int, list[Candidate]]) -> Iterator[list[_Value]]:
    run: list[_Value] = []
    for line in page.lines:
        value = _money_only(line, by_line.get(line.index, []))
        if value is not None:
            run.append(value)
        elif not all(w.text.strip("():.").upper() in _SIGNS for w in line.words):
            if run:
                yield run
            run = []
    if run:
        yield run


def _money_only(line: Line, values: Sequence[Candidate]) -> _Value | None:
    """The amount of a line that holds one money amount and at most a sign or a tax code."""
    amounts = [v for v in values if v.kind == "amount" and v.strong]
    if len(amounts) != 1:
        return None
    amount = amounts[0]
    # an id of the amount's own words ("RM8.25" is also an id-like token) is no other value
    if any(v is not amount and not amount.start <= v.start < amount.end for v in values):
        return None
    rest = [w.text for i, w in enumerate(line.words) if not amount.start <= i < amount.end]
    if any(w.strip("():.").upper() not in _SIGNS | _CODES for w in rest):
        return None
    return _Value(amount, Decimal(amount.normalized))
