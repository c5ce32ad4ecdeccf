"""What the words around a label do to what it says (``evidence.py`` asks).

- **a tax inside a total**: a tax label and a total label joined by a verb of inclusion in
  one cell ("GST included in total $30.00", "TOTAL INCLUDES 6% GST 3.98", "MwSt. enthalten
  im Gesamtbetrag") name the tax, whichever comes first;
- **a qualified tax label**: "excl. VAT" / "ohne MwSt." / "hors TVA" alone in a cell heads
  net amounts and "incl. VAT" / "inkl. MwSt." gross ones over a column (an e-commerce
  totals row: "excl. VAT  VAT  incl. VAT"); beside a value only the net side speaks, since
  "inkl. 19 % MwSt. 15,97" on a receipt is the tax it contains;
- **a total that includes its tax**: a tax label that starts with "total" and a gross
  modifier after it ("TOTAL (GST INCL)", "Total VAT inclusive") names the total, not the
  tax; with a verb of inclusion ("Total GST included") it stays the tax;
- **joined labels**: two labels of one kind joined by "/", "&", "and", "und", "et", "y",
  "e", "en" in one cell ("Invoice date / Delivery date 05.03.2024") both describe the value:
  it is the one date and the other.
"""

from __future__ import annotations

from collections.abc import Sequence

from ocr_gateway.processing.extraction.labels import LabelHit, cached_fold, modifiers
from ocr_gateway.processing.extraction.page import Line

# Verbs that put one amount inside another: the amount beside them is the one inside.
INCLUSION_WORDS = frozenset(
    {"include", "includes", "included", "contains", "contained", "enthalt", "enthalten"}
    | {"dont", "comprend", "incluye", "comprende", "inclui", "bevat", "contiene", "contem"}
)
# Words that join two labels of one value ("/" and "&" fold to "").
JOINING_WORDS = frozenset({"", "and", "und", "et", "y", "e", "en"})
QUALIFIER_WORDS = 2  # at most this many words before a qualified tax label in its cell


def included_tax(line: Line, before: Sequence[LabelHit]) -> LabelHit | None:
    """The tax label of the last two labels ``before`` a value when they are a tax and a
    total joined by a verb of inclusion in one cell, else None."""
    if len(before) < 2:
        return None
    first, last = before[-2], before[-1]
    if {first.role, last.role} != {"tax", "total"}:
        return None
    if line.cell_of(first.start) != line.cell_of(last.start):
        return None
    between = {cached_fold(w.text) for w in line.words[first.end : last.start]}
    if not between & INCLUSION_WORDS:
        return None
    return first if first.role == "tax" else last


def qualified_tax(line: Line, hit: LabelHit, hits: Sequence[LabelHit], where: str) -> str | None:
    """``subtotal`` or ``total`` for a tax label that a net or gross modifier before it, alone
    in its cell, turns into a net or gross amount's ("excl. VAT", "incl. VAT"), else None."""
    if hit.role != "tax":
        return None
    cell = line.cell_of(hit.start)
    words = [w.text for w in line.words[cell[0] : hit.start]]
    if not words or len(words) > QUALIFIER_WORDS:
        return None
    if any(cell[0] <= h.start < hit.start for h in hits):
        return None  # "Total excl. VAT": the total heads the phrase
    found = modifiers(words)
    if found == {"net"}:
        return "subtotal"
    if found == {"gross"} and where == "above":
        return "total"
    return None


def gross_tax_total(hit: LabelHit, words: Sequence[str]) -> bool:
    """Whether a tax label starting with "total", with ``words`` (its own, then the rest of
    its cell) carrying a gross modifier, labels the total including the tax ("TOTAL (GST
    INCL) 13.78"), not the tax ("Total GST 0.78", "Total GST included 0.78")."""
    if hit.role != "tax" or not hit.label.phrase.startswith("total "):
        return False
    after = words[hit.end - hit.start :]
    if {cached_fold(w) for w in after} & INCLUSION_WORDS:
        return False
    return "gross" in modifiers(after, exact_before=len(after))


def joined_partner(line: Line, hit: LabelHit, hits: Sequence[LabelHit]) -> LabelHit | None:
    """The label of another role joined to ``hit`` by one joining word in its cell ("Invoice
    date / Delivery date"), else None."""
    before = [h for h in hits if h.end <= hit.start]
    if not before or before[-1].role == hit.role:
        return None
    partner = before[-1]
    if line.cell_of(partner.start) != line.cell_of(hit.start):
        return None
    between = [cached_fold(w.text) for w in line.words[partner.end : hit.start]]
    return partner if len(between) == 1 and between[0] in JOINING_WORDS else None
