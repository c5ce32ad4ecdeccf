"""Evidence about a vendor candidate beyond its words: the labels around it, the footer,
and what the lines near it say.

- ``label_near``: a vendor or buyer label beside it, above it over its column, or heading
  its section ("Seller:", "Bill to", "Käufer");
- ``owner``: it follows "OWNED BY" / "OPERATED BY" (the shop's owner, not its name);
- ``row_label``: an amount follows it on its line (a table row's label);
- ``legal_wording``: a legal notice inside it ("... au capital de", "Geschäftsführer");
- ``in_footer_domain``: a word of it is the domain of an address in the footer;
- ``legal_context``: a footer-style legal line;
- ``heads_tax_id``: its tax or company registration number is printed right below it;
- ``title_line``: a line that is a document title, which goes on no name.

``vendor`` turns these into the candidate's score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ocr_gateway.processing.extraction import vocabulary
from ocr_gateway.processing.extraction.labels import LabelHit
from ocr_gateway.processing.extraction.labels import cached_fold as fold
from ocr_gateway.processing.extraction.page import Line, PageText
from ocr_gateway.processing.extraction.vendor_segment import Segment
from ocr_gateway.processing.result import Box

_DOMAIN = re.compile(r"(?i)(?:@|\bwww\.|https?://(?:www\.)?)([a-z0-9-]+)\.")

FOOTER_FROM = 0.7  # the footer: the bottom 30% of the page  # a name completed over two lines beats its incomplete last line

BUYER_LINES = 5  # how far below a buyer label its block reaches

SECTION_LINES = 8  # how far below a section title ("Verkäufer", "Käufer") it reaches

# A tax or company registration number's label, or the number alone in a shape no word has:
# "VAT", "USt-IdNr.", "CIF", "NIF", "SIRET", "ABN", "GST ID", "Co. Reg", "(COMPANY NO:";
# "DE298765432", "B87530432", "12345678Z", "(1095514-X)".
_TAX_ID_LABEL = re.compile(
    r"(?i)^\(?(?:vat|tva|btw|ust|mwst|iva|uid|nif|cif|nipc|siret|siren|abn|gst|sst|kvk|hrb|"
    r"p\.? ?iva|partita iva|st\.?-?nr|steuer-?n|tax (?:id|no|reg)|company (?:no|reg)|"
    r"co\.? ?(?:no|reg)|reg(?:istration)?\.? ?no|roc|brn)(?![a-z])"
)
_TAX_ID = re.compile(
    r"^\(?(?:[A-Z]{2,3}[\s.-]?\d[\d.-]{6,14}[A-Z0-9]?|[A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z]|"
    r"[A-Z]{0,3}\d{4,12}-[A-Z])\)?$"
)
TAX_ID_GAP = 1.5  # in line heights: the number's line follows the name's

_AMOUNT_WORD = re.compile(r"^[(-]?[$€£]?-?\d{1,3}(?:[.,' ]?\d{3})*[.,]\d{2}\)?[€$£]?$")

LEGAL_FORMS = sorted(
    (
        fold_form
        for fold_form in {"".join(fold(w) for w in f.split()) for f in vocabulary.LEGAL_FORMS}
    ),
    key=len,
    reverse=True,
)

_LEGAL_WORDS = frozenset(fold(p) for p, _, _ in vocabulary.entries("legal") if " " not in p)


def label_near(seg: Segment, page: PageText, hits: Sequence[Sequence[LabelHit]]) -> str | None:
    """``vendorName`` or ``buyer``: what the labels beside or above the segment say.

    A strong label left of it on its line decides ("Seller: ...", "Bill to: ..."); else the
    nearest vendor or buyer label above it that overlaps it or heads a section (alone on
    its line: "Verkäufer", "Käufer"); else a weak label beside it ("Name: ...")."""
    beside = [
        h
        for h in hits[seg.line.index]
        if h.end <= seg.start and h.role in _PARTY_ROLES and _next_to(seg, h)
    ]
    if beside and beside[-1].weight >= 0.6:
        return beside[-1].role
    above = _party_above(seg, page, hits)
    return above or (beside[-1].role if beside else None)


_PARTY_ROLES = ("vendorName", "buyer")

BESIDE_GAP = 12  # line heights: a label further left heads another column ("Klant" | seller)


def _next_to(seg: Segment, hit: LabelHit) -> bool:
    """Whether ``hit`` labels the segment rather than a column of its own left of it."""
    line = seg.line
    gap = line.words[seg.start].box[0] - line.words[hit.end - 1].box[2]
    return gap <= BESIDE_GAP * line.height


def _party_above(seg: Segment, page: PageText, hits: Sequence[Sequence[LabelHit]]) -> str | None:
    """The role of the nearest vendor or buyer label above: over the segment's column (the
    horizontally closest when a line has both, "Seller:   Buyer:") or heading a section."""
    x0, _, x1, _ = seg.line.box_of(seg.start, seg.end)
    for index in range(seg.line.index - 1, max(seg.line.index - SECTION_LINES - 1, -1), -1):
        line = page.lines[index]
        parties = [h for h in hits[index] if h.role in _PARTY_ROLES]
        if any(h.role == "heading" for h in hits[index]):
            return None  # a new section ("INVOICE ITEMS") ends the one above
        if not parties:
            continue
        distance = (seg.line.box[1] - line.box[3]) / max(line.height, 1)
        nearest = min(parties, key=lambda h: abs(line.words[h.start].box[0] - x0))
        hx0, hx1 = line.words[nearest.start].box[0], line.words[nearest.end - 1].box[2]
        width = max(x1 - x0, hx1 - hx0)
        overlaps = hx0 < x1 + width and hx1 > x0 - width / 2
        block = overlaps and index >= seg.line.index - BUYER_LINES and distance <= 8
        # a vendor label with a name after it in its cell ("Name MRS YUEN") names no line
        # below it; a section title ends its cell ("SELLER TRADE NAME")
        cell = line.cell_of(nearest.start)
        last = max(h.end for h in hits[index] if cell[0] <= h.start < cell[1])
        after = line.words[last : cell[1]]
        alone = not any(any(c.isalnum() for c in w.text) for w in after)
        if nearest.role == "vendorName" and not alone:
            return None
        header = len(line.words) <= 3 and alone and distance <= SECTION_LINES * 2
        if block or header:
            return nearest.role
    return None


_OWNER_WORDS = (
    "ownedby",
    "ownerby",
    "operatedby",
    "managedby",
    "asubsidiaryof",
    "adivisionof",
    "amemberof",
    "betriebenvon",
    "exploitepar",
    "gestionadopor",
)


def owner(seg: Segment, page: PageText) -> bool:
    """Whether the segment follows "OWNED BY" / "OPERATED BY" (on its line or alone on
    the line above): a receipt names its shop first and the shop's owner after that."""
    before = "".join(fold(w.text) for w in seg.line.words[: seg.start])
    own = "".join(fold(w.text) for w in seg.line.words[seg.start : seg.end])
    if any(own.startswith(w) for w in _OWNER_WORDS):
        return True
    above = ""
    if seg.line.index > 0:
        above = "".join(fold(w.text) for w in page.lines[seg.line.index - 1].words)
    return any(before.endswith(w) or above.endswith(w) for w in _OWNER_WORDS)


def row_label(seg: Segment) -> bool:
    """Whether an amount is the next word after the segment on its line: a table row's
    label ("Erhaltene Anzahlungen   -500,00"), not a company's name (a name in a column
    beside a labelled amount, "Calendly LLC   Invoice Amount $144.00", is still one)."""
    following = seg.line.words[seg.end : seg.end + 1]
    return any(_AMOUNT_WORD.match(w.text) for w in following)


def legal_wording(seg: Segment, hits: Sequence[Sequence[LabelHit]]) -> bool:
    """Whether the segment holds the words of a legal notice after other words ("Ma société.
    Société anonyme au capital de ...", "H. Meier Geschäftsführer", "... GmbH (Amtsgericht"):
    a sentence about the company, or a person's title, not its name alone."""
    return any(h.role == "legal" and seg.start < h.start < seg.end for h in hits[seg.line.index])


def in_footer_domain(words: Sequence[str], page: PageText) -> bool:
    """Whether a word of the name is the domain of an e-mail or web address in the footer
    ("CRONUS DE" ... "info@cronus.com"): the seller prints its own contact there."""
    domains = _footer_domains(page)
    names = {fold(w) for w in words} - set(LEGAL_FORMS)
    return any(len(n) >= 4 and n in d for n in names for d in domains)


def _footer_domains(page: PageText) -> list[str]:
    footer = " ".join(ln.text for ln in page.lines if ln.box[1] > page.height * FOOTER_FROM)
    return _domains(footer)


def _domains(text: str) -> list[str]:
    found = _DOMAIN.findall(text)
    return [d.lower().replace("-", "") for d in found]


def legal_context(seg: Segment, page: PageText) -> bool:
    """A footer-style legal line: legal words on this line or the next one."""
    near = [page.lines[i] for i in (seg.line.index, seg.line.index + 1) if i < len(page.lines)]
    words = {fold(w.text) for line in near for w in line.words}
    return bool(words & _LEGAL_WORDS) and seg.line.box[1] > page.height * 0.6


def heads_tax_id(seg: Segment, page: PageText) -> bool:
    """Whether the name heads its block and the next line, in its column, begins with a
    tax or company registration number or its label ("TECNATIVA" / "B87530432", "ABC
    TRADING" / "(CO. REG NO: 12345-X)"): a letterhead prints the seller's own number right
    under its name. A line inside a block ("Poland" above "VAT no.: PL...", "E-Mail:"
    above "USt-IdNr.") ends an address, it names no one."""
    index, box = seg.line.index, seg.line.box_of(seg.start, seg.end)
    height = seg.line.height
    above = _column_cell(page, index - 1, box)
    if above is not None and box[1] - above[1][3] <= TAX_ID_GAP * height:
        return False
    below = _column_cell(page, index + 1, box)
    if below is None or below[1][1] - box[3] > TAX_ID_GAP * height:
        return False
    text = below[0]
    return bool(_TAX_ID_LABEL.match(text) or _TAX_ID.match(text.split()[0]))


def _column_cell(page: PageText, index: int, box: Box) -> tuple[str, Box] | None:
    """The text and box of line ``index``'s first cell overlapping ``box``'s columns."""
    if not 0 <= index < len(page.lines):
        return None
    line = page.lines[index]
    for start, end in line.cells:
        cell = line.box_of(start, end)
        if cell[0] < box[2] and cell[2] > box[0]:
            return line.words_text(start, end), cell
    return None


def title_line(line: Line, hits: Sequence[Sequence[LabelHit]]) -> bool:
    """Whether a document title ("TAX INVOICE", OCR's "TAX IHVOICE") fills the line: it
    goes on no name printed above or below it."""
    return any(
        h.role == "heading" and h.start == 0 and h.end == len(line.words) for h in hits[line.index]
    )
