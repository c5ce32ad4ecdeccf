"""The vendor's name: the company-like line the page's layout and wording point at.

Candidates are the segments of each line: cells, cut further at " • ", " · ", " | ", " - "
and at a comma after a legal form ("Atlassian Pty Ltd, Level 6, ..." -> "Atlassian Pty
Ltd"). Each scores by evidence:

- a legal form ("GmbH", "SARL", "SDN BHD", "Inc.") +1.0, a business word ("Trading",
  "Restaurant", "Hardware") +0.4;
- a font larger than the page's median (logo-sized text) up to +0.75;
- near the top (+0.5 in the top 15%, +0.25 to 30%), or a legal-form line in the footer
  (+0.3), the footer's legal line ("Geschäftsführer", "HRB", "SIRET" beside it) +0.4;
- a vendor label left of or above it ("Rechnungsersteller", "Seller", "Fournisseur") +0.8;
- a word of it is the domain of an e-mail or web address in the footer +1.2 (a seller
  prints its own contact there; it outweighs a legal form, which buyers have too);
- the page's first text line +0.3 (receipts print the shop's name first);
- a name printed over two or three lines (an open bracket, or a line of legal-form words
  only, "SDN BHD") is joined and scored as a whole where its first line is, +0.3; an
  unbalanced bracket in a candidate costs 0.3; so is a name of two to four lines at the top
  of the page ("THE" / "ROTI" / "MAN" / "BAKERY") down to its registration number or address;
- a legal form OCR set in a cell of its own on the name's line ("SWC ENTERPRISE" | "SDN
  BHD") completes it, +0.3; a word detected inside another word's box is noise;
- the company after "OWNED BY" / "OPERATED BY" / "exploité par" / "betrieben von" -0.8 (a
  receipt names its shop first, then the shop's owner);
- a buyer label left of it, above it or heading its section ("Bill to",
  "Rechnungsempfänger", "Käufer") -1.5;
- address-like (street words, postcodes, mostly digits), contact-like (e-mail, web,
  phone) or label-like text -0.8, a document title alone ("INVOICE") or a label with its
  number glued ("COMPANY NO(123-X)") is no candidate. A name ends before its registration
  number ("... S/B 273500-U (KSB)").

Scores below ``MIN_VENDOR_SCORE`` give no vendor (null, not a guess).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ocr_gateway.processing.extraction import addressee, vendor_ocr, vocabulary
from ocr_gateway.processing.extraction.labels import LabelHit, Vocabulary, fold_phrase
from ocr_gateway.processing.extraction.labels import cached_fold as fold
from ocr_gateway.processing.extraction.page import Line, PageText
from ocr_gateway.processing.extraction.scoring import FULL_SCORE, confidence
from ocr_gateway.processing.result import Box, union_box

MIN_VENDOR_SCORE = 0.6
JOIN_BONUS = 0.3
DOMAIN_BONUS = 1.2
_DOMAIN = re.compile(r"(?i)(?:@|\bwww\.|https?://(?:www\.)?)([a-z0-9-]+)\.")
UNBALANCED_PENALTY = 0.3
FOOTER_FROM = 0.7  # the footer: the bottom 30% of the page  # a name completed over two lines beats its incomplete last line
BUYER_LINES = 5  # how far below a buyer label its block reaches
TOP_BLOCK_LINES = 4  # a name at the top printed over at most this many lines
MIXED_CASE_MIN_OCR = 0.5  # a mixed-case line of such a name is read at least this surely
OWNER_PENALTY = 0.8  # the company named after "OWNED BY": the shop's owner, not its name
ROW_LABEL_PENALTY = 0.6  # an amount follows it on its line
LEGAL_WORDING_PENALTY = 0.8  # "... au capital de", "... Geschäftsführer" inside it
_AMOUNT_WORD = re.compile(r"^[(-]?[$€£]?-?\d{1,3}(?:[.,' ]?\d{3})*[.,]\d{2}\)?[€$£]?$")
SECTION_LINES = 8  # how far below a section title ("Verkäufer", "Käufer") it reaches
_SEPARATORS = re.compile(r"\s+[•·|–—]\s+|\s+-\s+|\s*\|\s*|\s*•\s*|\s*·\s*")  # noqa: RUF001
_STREET = re.compile(
    r"(?i)\b(?:str\.|straße|strasse|street|st\.|road|rd\.|avenue|ave\.|jalan|jln|rue|"
    r"chemin|weg|platz|allee|gasse|lane|blvd|boulevard|plaza|suite|floor|level|lot|taman|"
    r"no\.\s*\d|p\.?o\.? box|postfach|via|calle|avenida|rua|laan|straat|bandar|kawasan)"
    r"|\d+[a-z]?,|\b\d{4,6}\b"
)
_CONTACT = re.compile(
    r"(?i)@|www\.|https?:|\.com\b|\btel\b|\bfax\b|\+\d|\bphone\b|\d{3}[-\s]\d{3,}"
)
_LEGAL_FORMS = sorted(
    (
        fold_form
        for fold_form in {"".join(fold(w) for w in f.split()) for f in vocabulary.LEGAL_FORMS}
    ),
    key=len,
    reverse=True,
)
_REGISTRATION = re.compile(r"\s+\(?\d{5,}-[A-Z]\)?(?:\s.*)?$")  # "273500-U", "(1095514-X)"
# An unclosed bracket at the end, empty or opening a registration label that the line
# break cut off ("MONSIEUR (M) SDN. BHD. (", "DION REALTIES SDN BHD (CO. NO").
_OPEN_TAIL = re.compile(r"(?i)\s*\((?:\s*(?:co|company|reg|roc|gst)\b[^()]*)?$")
_COUNTRY_MARKS = frozenset({"m", "msia", "malaysia", "s", "pte", "sdn"})  # "CO. (M) SDN BHD"
_SLOGAN_WORDS = frozenset(
    {"welcome", "thank", "thanks", "powered", "visit", "please", "enjoy", "receipt", "member"}
)
_ADDRESSING_WORDS = frozenset({"your", "ihre", "ihr", "votre", "vos", "uw", "jouw", "vostra"})
_LEGAL_WORDS = frozenset(fold(p) for p, _, _ in vocabulary.entries("legal") if " " not in p)
_WEAK_FORMS = frozenset({"enterprise", "enterprises", "trading", "company", "co"})


@dataclass(frozen=True, slots=True)
class VendorChoice:
    text: str
    box: Box
    confidence: float
    method: str  # label | layout


@dataclass(frozen=True, slots=True)
class _Segment:
    line: Line
    start: int  # word range
    end: int

    @property
    def text(self) -> str:
        return _clean(
            _visible_text(self.line, self.start, self.end),
            ocr=_ocr_read(self.line, self.start, self.end),
        )


def choose_vendor(
    page: PageText,
    hits: Sequence[Sequence[LabelHit]],
    *,
    allow: Callable[[Box], bool] | None = None,
) -> VendorChoice | None:
    """The best vendor candidate (within ``allow``, e.g. a template region), or None."""
    segments = [
        s
        for s in _segments(page, hits)
        if s.text and (allow is None or allow(s.line.box_of(s.start, s.end)))
    ]
    scored = [(_Name((seg,)), *_score(seg, page, hits)) for seg in segments]
    scored += list(_joined(scored, page, hits))
    scored += list(_top_block(segments, page, hits))
    scored += list(_legal_cell_joined(segments, page, hits))
    if not scored:
        return None
    scored.sort(key=lambda s: -s[1])
    name, score, method = scored[0]
    if score < MIN_VENDOR_SCORE:
        return None
    runner_up = next((s for g, s, _ in scored[1:] if fold(g.text) != fold(name.text)), 0.0)
    full = FULL_SCORE["vendor"]
    conf = confidence(score / full, runner_up / full, name.confidence)
    return VendorChoice(name.text, name.box, conf, method)


@dataclass(frozen=True, slots=True)
class _Name:
    """A vendor candidate: one segment, or a name printed over two or three lines."""

    parts: tuple[_Segment, ...]

    @property
    def text(self) -> str:
        return _clean(
            " ".join(_visible_text(p.line, p.start, p.end) for p in self.parts),
            ocr=any(_ocr_read(p.line, p.start, p.end) for p in self.parts),
        )

    @property
    def box(self) -> Box:
        return union_box(p.line.box_of(p.start, p.end) for p in self.parts)

    @property
    def confidence(self) -> float:
        return min(p.line.confidence_of(p.start, p.end) for p in self.parts)


def _joined(
    scored: Sequence[tuple[_Name, float, str]],
    page: PageText,
    hits: Sequence[Sequence[LabelHit]],
) -> Iterator[tuple[_Name, float, str]]:
    """Names that go on over the next line ("AIK HUAT HARDWARE ENTERPRISE (SETIA" / "ALAM)
    SDN BHD"): an open bracket, a closing one, or a line of legal-form words only."""
    whole_lines = {
        name.parts[0].line.index: name
        for name, _, _ in scored
        if name.parts[0].start == 0 and name.parts[0].end == len(name.parts[0].line.words)
    }
    for name, _, _ in scored:
        parts = name.parts
        for _ in range(2):
            above = whole_lines.get(parts[0].line.index - 1)
            if above is None or not _continues(above.parts[0], parts[0], page):
                break
            parts = (above.parts[0], *parts)
            joined = _Name(parts)
            score, method = _score(parts[0], page, hits, text=joined.text)
            yield joined, score + JOIN_BONUS, method


def _visible_text(line: Line, start: int, end: int) -> str:
    """The words ``start:end`` of ``line`` without those that lie inside another word's box:
    a second detection within a wide word ("ENTERRBISE" with a "(1" inside) is noise."""
    words = line.words

    def inside(i: int) -> bool:
        x0, y0, x1, y1 = words[i].box
        return any(
            j != i and o[0] <= x0 and o[1] <= y0 and x1 <= o[2] and y1 <= o[3]
            for j, o in ((j, words[j].box) for j in range(start, end))
        )

    return " ".join(words[i].text for i in range(start, end) if not inside(i))


def _legal_cell_joined(
    segments: Sequence[_Segment], page: PageText, hits: Sequence[Sequence[LabelHit]]
) -> Iterator[tuple[_Name, float, str]]:
    """A name whose legal form OCR set apart in a cell of its own on the same line ("SWC
    ENTERPRISE" | "SDN BHD": a stray detection widened the gap): joined, as over two lines."""
    for left, right in itertools.pairwise(segments):
        if left.line is not right.line or right.start < left.end:
            continue
        words = [fold(w) for w in right.text.split()]
        if not words or not all(w in _LEGAL_FORMS or w in _COUNTRY_MARKS for w in words):
            continue
        if _legal_form(left.text.split()) or any(c.isdigit() for c in left.text):
            continue
        name = _Name((left, right))
        score, method = _score(left, page, hits, text=name.text)
        yield name, score + JOIN_BONUS, method


def _top_block(
    segments: Sequence[_Segment], page: PageText, hits: Sequence[Sequence[LabelHit]]
) -> Iterator[tuple[_Name, float, str]]:
    """A name printed over two to four lines at the top ("THE" / "ROTI" / "MAN" / "BAKERY",
    "GHEE HIANG" / "GH DISTRIBUTOR & MARKETING SDN BHD", "MVM Musterhafter" /
    "Versicherungsverein Musterstadt a.G."): the lines without digits from the first text
    line down to the registration number, address or contact line below, joined, when the
    whole ends in a legal form, or, in capitals (a receipt's shop), has a business word."""
    whole = {
        seg.line.index: seg for seg in segments if seg.start == 0 and seg.end == len(seg.line.words)
    }
    first = _first_text_line(page)
    parts: list[_Segment] = []
    for index in range(max(first, 0), min(first + TOP_BLOCK_LINES, len(page.lines))):
        seg = whole.get(index)
        if seg is None or not _block_line(seg, hits):
            break
        parts.append(seg)
    for size in range(2, len(parts) + 1):
        block = parts[:size]
        if _gapped(block):
            return
        if _capitals(block[-1].line.text) and _complete_name(block[-1].text):
            return  # "TAN WOON YANN" / "MR D.I.Y. (M) SDN BHD": a line above a whole name
        name = _Name(tuple(block))
        words = name.text.split()
        folded = {fold(w) for w in words}
        capitals = all(_capitals(p.line.text) for p in block)
        if not (_legal_form(words) or (capitals and folded & vocabulary.BUSINESS_WORDS)):
            continue  # in mixed case only a name that ends in a legal form ("... a.G.")
        score, method = _score(block[0], page, hits, text=name.text)
        yield name, score + JOIN_BONUS, method


def _complete_name(text: str) -> bool:
    """Whether a line is a company's whole name: a legal form after two words or more of
    its own ("PREMIO STATIONERY SDN BHD", "MR D.I.Y. (M) SDN BHD"), not a name's last line
    ("RESTAURANT SDN BHD", "CO. (M) SDN BHD"). On a receipt (in capitals) what is printed
    above it is a brand, a branch or a person, not the start of the name; a letterhead
    in mixed case may print a name over two lines ("MVM Musterhafter" / "... a.G.")."""
    words = [fold(w) for w in text.split()]
    if not words or not (_legal_form(text.split()) or words[-1] in _WEAK_FORMS):
        return False
    own = [w for w in words if w and w not in _LEGAL_FORMS and w not in _COUNTRY_MARKS]
    return len(own) >= 2


def _block_line(seg: _Segment, hits: Sequence[Sequence[LabelHit]]) -> bool:
    text = seg.line.text
    if not any(c.isalpha() for c in text) or any(c.isdigit() for c in text):
        return False
    line = seg.line
    if not _capitals(text) and line.confidence_of(0, len(line.words)) < MIXED_CASE_MIN_OCR:
        return False  # "Aoslxq": OCR reading a logo
    if _CONTACT.search(text) or _STREET.search(text) or ":" in text:
        return False
    return not any(h.role not in ("vendorName",) for h in hits[seg.line.index])


def _capitals(text: str) -> bool:
    return all(c.isupper() for c in text if c.isalpha())


def _gapped(parts: Sequence[_Segment]) -> bool:
    """Whether the lines stand further apart than a line height, or differ in size by more
    than half (a logo or a handwritten note above the name): not one printed name."""
    return any(
        lower.line.box[1] - upper.line.box[3] > 1.5 * upper.line.height
        or max(upper.line.height, lower.line.height)
        > 1.5 * min(upper.line.height, lower.line.height)
        for upper, lower in itertools.pairwise(parts)
    )


def _continues(upper: _Segment, lower: _Segment, page: PageText) -> bool:
    gap = lower.line.box[1] - upper.line.box[3]
    if gap > upper.line.height or _CONTACT.search(upper.text) or _STREET.search(upper.text):
        return False
    top, bottom = upper.line.words_text(upper.start, upper.end), lower.text
    words = [fold(w) for w in bottom.split()]
    forms = [w in _LEGAL_FORMS or w in _COUNTRY_MARKS for w in words]
    only_forms = bool(words) and all(forms)
    # "WESTERN EASTERN" / "STATIONERY SDN. BHD": one word before the legal form below.
    short_tail = len(words) >= 2 and forms[-1] and sum(not f for f in forms) <= 1
    upper_plain = not any(c.isdigit() for c in top) and not _legal_form(top.split())
    opened = top.count("(") > top.count(")") or top.rstrip().endswith(("&", "-"))
    return opened or bottom.startswith("(") or only_forms or (short_tail and upper_plain)


def _segments(page: PageText, hits: Sequence[Sequence[LabelHit]]) -> Iterator[_Segment]:
    for line in page.lines:
        for start, end in line.cells:
            for seg in _split(line, start, end):
                yield _after_label(seg, hits[line.index])


def _after_label(seg: _Segment, hits: Sequence[LabelHit]) -> _Segment:
    """The segment without a label it starts with ("Bill to: Contoso Ltd" -> "Contoso Ltd"),
    or without a short prefix ending in a colon before a legal name ("OWN BY: CHEF LEE SDN
    BHD")."""
    start = seg.start
    for hit in hits:
        labelled = seg.line.words[hit.end - 1].text.endswith(":") or (
            hit.role == "vendorName" and hit.label.phrase.endswith(" to")  # "payable to X"
        )
        if hit.start == start and hit.end < seg.end and labelled:
            start = hit.end
    words = [w.text for w in seg.line.words[start : seg.end]]
    colon = next((i for i, w in enumerate(words[:3]) if w.endswith(":")), None)
    if colon is not None and _legal_form(words[colon + 1 :]):
        start += colon + 1
    return _Segment(seg.line, start, seg.end) if start != seg.start else seg


def _split(line: Line, start: int, end: int) -> Iterator[_Segment]:
    """The cell's words cut at separator words and after a legal form followed by a comma."""
    begin = start
    for i in range(start, end):
        word = line.words[i].text
        if word in ("•", "·", "|", "-", "–", "—") or re.fullmatch(r"[•·|]+", word):  # noqa: RUF001
            if i > begin:
                yield _Segment(line, begin, i)
            begin = i + 1
        elif word.endswith(",") and _legal_end(line, begin, i + 1):
            yield _Segment(line, begin, i + 1)
            begin = i + 1
    if begin < end:
        yield _Segment(line, begin, end)


def _legal_end(line: Line, start: int, end: int) -> bool:
    key = "".join(fold(w.text) for w in line.words[start:end])
    return any(key.endswith(form) for form in _LEGAL_FORMS if form not in _WEAK_FORMS)


def _score(
    seg: _Segment,
    page: PageText,
    hits: Sequence[Sequence[LabelHit]],
    *,
    text: str | None = None,
) -> tuple[float, str]:
    """The segment's score, or that of ``text`` (a name it completes) printed where it is."""
    text = seg.text if text is None else text
    words = text.split()
    if not _plausible(text, words, seg, hits):
        return 0.0, "layout"
    score = _wording(text, words) + _layout(seg, page)
    if text.count("(") != text.count(")"):
        score -= UNBALANCED_PENALTY  # "ENTERPRISE (SETIA": the name goes on below
    if _in_footer_domain(words, page):
        score += DOMAIN_BONUS
    if _owner(seg, page):
        score -= OWNER_PENALTY
    if _row_label(seg):
        score -= ROW_LABEL_PENALTY
    if _legal_wording(seg, hits):
        score -= LEGAL_WORDING_PENALTY
    if addressee.heads_addressee_block(seg.line.index, seg.line.box_of(seg.start, seg.end), page):
        score -= addressee.ADDRESSEE_PENALTY
    label = _label_near(seg, page, hits)
    if label == "vendorName":
        return score + 0.8, "label"
    if label == "buyer":
        score -= 1.5
    if _legal_context(seg, page):
        score += 0.4
    return score, "layout"


def _plausible(
    text: str, words: Sequence[str], seg: _Segment, hits: Sequence[Sequence[LabelHit]]
) -> bool:
    letters = sum(c.isalpha() for c in text)
    if letters < 3 or len(words) > 9 or len(text) > 70:
        return False
    if fold_phrase(text) in _label_keys():
        return False  # "COMPANY NO(814198-X)" cleaned: a label
    inside = [h for h in hits[seg.line.index] if seg.start <= h.start < seg.end]
    covered = sum(h.end - h.start for h in inside)
    return covered < len(words) and len(inside) < 2  # not a label, nor a table header


@lru_cache(maxsize=1)
def _label_keys() -> frozenset[str]:
    """Folded phrases of the built-in labels that never name a company."""
    vocab = Vocabulary.builtin()
    return frozenset(
        key
        for key, labels in vocab.by_key.items()
        if all(label.role not in ("vendorName", "legal") for label in labels)
    )


def _wording(text: str, words: Sequence[str]) -> float:
    score = 0.0
    folded_words = {fold(w) for w in words}
    if _legal_form(words):
        score += 1.0
    elif folded_words & _WEAK_FORMS:
        score += 0.6
    if folded_words & vocabulary.BUSINESS_WORDS:
        score += 0.4
    digits = sum(c.isdigit() for c in text)
    if _STREET.search(text) or digits > 0.3 * len(text.replace(" ", "")):
        score -= 0.8
    if _CONTACT.search(text):
        score -= 0.8
    if ":" in text:
        score -= 0.5
    if folded_words & _SLOGAN_WORDS:
        score -= 1.0  # "WELCOME TO ...", "POWERED BY ...", "THANK YOU"
    if words and fold(words[0]) in _ADDRESSING_WORDS:
        score -= 1.0  # "Your bill", "Ihre Rechnung": the page speaks to the buyer
    return score


def _legal_form(words: Sequence[str]) -> bool:
    key = "".join(fold(w) for w in words)
    # A short form is the name's last word as printed, with no digit: "SR-0" is a tax
    # code whose folded "sro" only looks like the Czech "s.r.o.".
    last = fold(words[-1]) if words and not any(c.isdigit() for c in words[-1]) else ""
    return any(f not in _WEAK_FORMS and _ends_with_form(key, last, f) for f in _LEGAL_FORMS)


def _ends_with_form(key: str, last: str, form: str) -> bool:
    if len(form) <= 3:
        return last == form  # "AG", "SA", "BV" only as the name's last word
    return key.endswith(form)


def _layout(seg: _Segment, page: PageText) -> float:
    score = 0.0
    ratio = seg.line.height / max(page.median_height, 1)
    score += min(max(ratio - 1.0, 0.0), 1.5) * 0.5
    top = seg.line.box[1] / max(page.height, 1)
    if top < 0.15:
        score += 0.5
    elif top < 0.30:
        score += 0.25
    elif top > 0.85 and _legal_form(seg.text.split()):
        score += 0.3  # the footer's legal line names the seller
    if seg.line.index == _first_text_line(page):
        score += 0.3
    return score


def _first_text_line(page: PageText) -> int:
    for line in page.lines:
        if sum(c.isalpha() for c in line.text) >= 3:
            return line.index
    return -1


def _label_near(seg: _Segment, page: PageText, hits: Sequence[Sequence[LabelHit]]) -> str | None:
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


def _next_to(seg: _Segment, hit: LabelHit) -> bool:
    """Whether ``hit`` labels the segment rather than a column of its own left of it."""
    line = seg.line
    gap = line.words[seg.start].box[0] - line.words[hit.end - 1].box[2]
    return gap <= BESIDE_GAP * line.height


def _party_above(seg: _Segment, page: PageText, hits: Sequence[Sequence[LabelHit]]) -> str | None:
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
        header = len(line.words) <= 3 and distance <= SECTION_LINES * 2
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


def _owner(seg: _Segment, page: PageText) -> bool:
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


def _row_label(seg: _Segment) -> bool:
    """Whether an amount is the next word after the segment on its line: a table row's
    label ("Erhaltene Anzahlungen   -500,00"), not a company's name (a name in a column
    beside a labelled amount, "Calendly LLC   Invoice Amount $144.00", is still one)."""
    following = seg.line.words[seg.end : seg.end + 1]
    return any(_AMOUNT_WORD.match(w.text) for w in following)


def _legal_wording(seg: _Segment, hits: Sequence[Sequence[LabelHit]]) -> bool:
    """Whether the segment holds the words of a legal notice after other words ("Ma société.
    Société anonyme au capital de ...", "H. Meier Geschäftsführer", "... GmbH (Amtsgericht"):
    a sentence about the company, or a person's title, not its name alone."""
    return any(h.role == "legal" and seg.start < h.start < seg.end for h in hits[seg.line.index])


def _in_footer_domain(words: Sequence[str], page: PageText) -> bool:
    """Whether a word of the name is the domain of an e-mail or web address in the footer
    ("CRONUS DE" ... "info@cronus.com"): the seller prints its own contact there."""
    domains = _footer_domains(page)
    names = {fold(w) for w in words} - set(_LEGAL_FORMS)
    return any(len(n) >= 4 and n in d for n in names for d in domains)


def _footer_domains(page: PageText) -> list[str]:
    footer = " ".join(ln.text for ln in page.lines if ln.box[1] > page.height * FOOTER_FROM)
    return _domains(footer)


def _domains(text: str) -> list[str]:
    found = _DOMAIN.findall(text)
    return [d.lower().replace("-", "") for d in found]


def _legal_context(seg: _Segment, page: PageText) -> bool:
    """A footer-style legal line: legal words on this line or the next one."""
    near = [page.lines[i] for i in (seg.line.index, seg.line.index + 1) if i < len(page.lines)]
    words = {fold(w.text) for line in near for w in line.words}
    return bool(words & _LEGAL_WORDS) and seg.line.box[1] > page.height * 0.6


def _ocr_read(line: Line, start: int, end: int) -> bool:
    """Whether OCR read these words: a PDF's text layer gives every word confidence 1, and
    its text is what was printed, never to be "repaired" ("Rossi Forniture" stays)."""
    return any(word.confidence < 1.0 for word in line.words[start:end])


def _clean(text: str, *, ocr: bool = True) -> str:
    text = re.sub(r"^#\d+\s+(?=[^\W\d_])", "", text)  # a receipt counter before the name
    text = _REGISTRATION.sub("", text)  # "S/B 273500-U (KSB)": the name ends before it
    text = re.sub(r"\s*\((?=[^)]*\d)[^)]*\)?\s*$", "", text)  # "(12345-X)" registration no.
    text = re.sub(r"\s+\d{4,}-?[A-Z]$", "", text)  # "273500-U" without brackets
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+([),.])", r"\1", text))  # OCR: "( Johor )"
    text = _OPEN_TAIL.sub("", text)  # "... SDN. BHD. (" / "... SDN BHD (CO. NO": cut off
    if ocr:
        text = vendor_ocr.repaired(text)  # "SDw BHD", "STATIQNERY", "SDN, BHD,"
    return " ".join(text.strip(" ,;:-•·|*").split())
