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
- heading its block, with its tax or company registration number (or that number's label)
  beginning the next line in its column ("TECNATIVA" / "B87530432") +0.4;
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

from ocr_gateway.processing.extraction import addressee, vendor_brand, vocabulary
from ocr_gateway.processing.extraction.labels import LabelHit, Vocabulary, fold_phrase
from ocr_gateway.processing.extraction.labels import cached_fold as fold
from ocr_gateway.processing.extraction.page import Line, PageText
from ocr_gateway.processing.extraction.scoring import FULL_SCORE, confidence
from ocr_gateway.processing.extraction.vendor_evidence import (
    LEGAL_FORMS,
    heads_tax_id,
    in_footer_domain,
    label_near,
    legal_context,
    legal_wording,
    owner,
    row_label,
    title_line,
)
from ocr_gateway.processing.extraction.vendor_segment import Name, Segment
from ocr_gateway.processing.result import Box

MIN_VENDOR_SCORE = 0.6
JOIN_BONUS = 0.3
DOMAIN_BONUS = 1.2
UNBALANCED_PENALTY = 0.3
TOP_BLOCK_LINES = 4  # a name at the top printed over at most this many lines
MIXED_CASE_MIN_OCR = 0.5  # a mixed-case line of such a name is read at least this surely
OWNER_PENALTY = 0.8  # the company named after "OWNED BY": the shop's owner, not its name
ROW_LABEL_PENALTY = 0.6  # an amount follows it on its line
TAX_ID_BONUS = 0.4  # its registration number printed right under it
LEGAL_WORDING_PENALTY = 0.8  # "... au capital de", "... Geschäftsführer" inside it
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
_COUNTRY_MARKS = frozenset({"m", "msia", "malaysia", "s", "pte", "sdn"})  # "CO. (M) SDN BHD"
_SLOGAN_WORDS = frozenset(
    {"welcome", "thank", "thanks", "powered", "visit", "please", "enjoy", "receipt", "member"}
)
_ADDRESSING_WORDS = frozenset({"your", "ihre", "ihr", "votre", "vos", "uw", "jouw", "vostra"})
_WEAK_FORMS = frozenset({"enterprise", "enterprises", "trading", "company", "co"})


@dataclass(frozen=True, slots=True)
class VendorChoice:
    text: str
    box: Box
    confidence: float
    method: str  # label | layout


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
    scored = [(Name((seg,)), *_score(seg, page, hits)) for seg in segments]
    scored += list(_joined(scored, page, hits))
    scored += list(_top_block(segments, page, hits))
    scored += list(_legal_cell_joined(segments, page, hits))
    scored += [
        (name, _score(up, page, hits, text=name.text)[0] + JOIN_BONUS, "layout")
        for up, low in itertools.pairwise(segments)
        if up.start == 0 == low.start and vendor_brand.ampersand_below(up.line, low.line)
        for name in (Name((up, low)),)
    ]
    scored = [s for s in scored if not vendor_brand.brand_over_name([p.text for p in s[0].parts])]
    scored = [
        (
            n,
            s
            - vendor_brand.above_legal_name([p.text for p in n.parts], page, n.parts[-1].line.index)
            - vendor_brand.below_header(page, n.parts[0].line.index),
            m,
        )
        for n, s, m in scored
    ]
    if not scored:
        return None
    scored.sort(key=lambda s: -s[1])
    name, score, method = scored[0]
    if score < MIN_VENDOR_SCORE:
        return None
    runner_up = next((s for g, s, _ in scored[1:] if fold(g.text) != fold(name.text)), 0.0)
    full = FULL_SCORE["vendor"]
    conf = confidence(score / full, runner_up / full, name.confidence)
    text = vendor_brand.completed(vendor_brand.before_registration(name.text))
    return VendorChoice(text, name.box, conf, method)


def _joined(
    scored: Sequence[tuple[Name, float, str]],
    page: PageText,
    hits: Sequence[Sequence[LabelHit]],
) -> Iterator[tuple[Name, float, str]]:
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
            if title_line(above.parts[0].line, hits) or title_line(parts[0].line, hits):
                break  # "464(o" / "TAX IHVOICE": a document title goes on no name
            parts = (above.parts[0], *parts)
            joined = Name(parts)
            score, method = _score(parts[0], page, hits, text=joined.text)
            yield joined, score + JOIN_BONUS, method


def _legal_cell_joined(
    segments: Sequence[Segment], page: PageText, hits: Sequence[Sequence[LabelHit]]
) -> Iterator[tuple[Name, float, str]]:
    """A name whose legal form OCR set apart in a cell of its own on the same line ("SWC
    ENTERPRISE" | "SDN BHD": a stray detection widened the gap): joined, as over two lines."""
    for left, right in itertools.pairwise(segments):
        if left.line is not right.line or right.start < left.end:
            continue
        words = [fold(w) for w in right.text.split()]
        if not words or not all(w in LEGAL_FORMS or w in _COUNTRY_MARKS for w in words):
            continue
        if _legal_form(left.text.split()) or any(c.isdigit() for c in left.text):
            continue
        name = Name((left, right))
        score, method = _score(left, page, hits, text=name.text)
        yield name, score + JOIN_BONUS, method


def _top_block(
    segments: Sequence[Segment], page: PageText, hits: Sequence[Sequence[LabelHit]]
) -> Iterator[tuple[Name, float, str]]:
    """A name printed over two to four lines at the top ("THE" / "ROTI" / "MAN" / "BAKERY",
    "GHEE HIANG" / "GH DISTRIBUTOR & MARKETING SDN BHD", "MVM Musterhafter" /
    "Versicherungsverein Musterstadt a.G."): the lines without digits from the first text
    line down to the registration number, address or contact line below, joined, when the
    whole ends in a legal form, or, in capitals (a receipt's shop), has a business word."""
    whole = {
        seg.line.index: seg for seg in segments if seg.start == 0 and seg.end == len(seg.line.words)
    }
    first = _first_text_line(page)
    parts: list[Segment] = []
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
        name = Name(tuple(block))
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
    own = [w for w in words if w and w not in LEGAL_FORMS and w not in _COUNTRY_MARKS]
    return len(own) >= 2


def _block_line(seg: Segment, hits: Sequence[Sequence[LabelHit]]) -> bool:
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


def _gapped(parts: Sequence[Segment]) -> bool:
    """Whether the lines stand further apart than a line height, or differ in size by more
    than half (a logo or a handwritten note above the name): not one printed name."""
    return any(
        lower.line.box[1] - upper.line.box[3] > 1.5 * upper.line.height
        or max(upper.line.height, lower.line.height)
        > 1.5 * min(upper.line.height, lower.line.height)
        for upper, lower in itertools.pairwise(parts)
    )


def _continues(upper: Segment, lower: Segment, page: PageText) -> bool:
    gap = lower.line.box[1] - upper.line.box[3]
    if gap > upper.line.height or _CONTACT.search(upper.text) or _STREET.search(upper.text):
        return False
    top, bottom = upper.line.words_text(upper.start, upper.end), lower.text
    words = [fold(w) for w in bottom.split()]
    forms = [w in LEGAL_FORMS or w in _COUNTRY_MARKS for w in words]
    only_forms = bool(words) and all(forms)
    # "WESTERN EASTERN" / "STATIONERY SDN. BHD": one word before the legal form below.
    short_tail = len(words) >= 2 and forms[-1] and sum(not f for f in forms) <= 1
    upper_plain = not any(c.isdigit() for c in top) and not _legal_form(top.split())
    opened = top.count("(") > top.count(")") or top.rstrip().endswith(("&", "-"))
    return opened or bottom.startswith("(") or only_forms or (short_tail and upper_plain)


def _segments(page: PageText, hits: Sequence[Sequence[LabelHit]]) -> Iterator[Segment]:
    for line in page.lines:
        for start, end in line.cells:
            for seg in _split(line, start, end):
                yield _after_label(seg, hits[line.index])


def _after_label(seg: Segment, hits: Sequence[LabelHit]) -> Segment:
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
    return Segment(seg.line, start, seg.end) if start != seg.start else seg


def _split(line: Line, start: int, end: int) -> Iterator[Segment]:
    """The cell's words cut at separator words and after a legal form followed by a comma."""
    begin = start
    for i in range(start, end):
        word = line.words[i].text
        if word in ("•", "·", "|", "-", "–", "—") or re.fullmatch(r"[•·|]+", word):  # noqa: RUF001
            if i > begin:
                yield Segment(line, begin, i)
            begin = i + 1
        elif word.endswith(",") and _legal_end(line, begin, i + 1):
            yield Segment(line, begin, i + 1)
            begin = i + 1
    if begin < end:
        yield Segment(line, begin, end)


def _legal_end(line: Line, start: int, end: int) -> bool:
    key = "".join(fold(w.text) for w in line.words[start:end])
    return any(key.endswith(form) for form in LEGAL_FORMS if form not in _WEAK_FORMS)


def _score(
    seg: Segment,
    page: PageText,
    hits: Sequence[Sequence[LabelHit]],
    *,
    text: str | None = None,
) -> tuple[float, str]:
    """The segment's score, or that of ``text`` (a name it completes) printed where it is."""
    text = vendor_brand.completed(seg.text if text is None else text)
    words = text.split()
    if vendor_brand.forms_only(words) or not _plausible(text, words, seg, hits):
        return 0.0, "layout"
    score = _wording(text, words) + _layout(seg, page)
    if text.count("(") != text.count(")"):
        score -= UNBALANCED_PENALTY  # "ENTERPRISE (SETIA": the name goes on below
    if in_footer_domain(words, page):
        score += DOMAIN_BONUS
    if owner(seg, page):
        score -= OWNER_PENALTY
    if row_label(seg):
        score -= ROW_LABEL_PENALTY
    if legal_wording(seg, hits):
        score -= LEGAL_WORDING_PENALTY
    if heads_tax_id(seg, page):
        score += TAX_ID_BONUS
    if addressee.heads_addressee_block(seg.line.index, seg.line.box_of(seg.start, seg.end), page):
        score -= addressee.ADDRESSEE_PENALTY
    label = label_near(seg, page, hits)
    if label == "vendorName":
        return score + 0.8, "label"
    if label == "buyer":
        score -= 1.5
    if legal_context(seg, page):
        score += 0.4
    return score, "layout"


def _plausible(
    text: str, words: Sequence[str], seg: Segment, hits: Sequence[Sequence[LabelHit]]
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
    return any(f not in _WEAK_FORMS and _ends_with_form(key, last, f) for f in LEGAL_FORMS)


def _ends_with_form(key: str, last: str, form: str) -> bool:
    if len(form) <= 3:
        return last == form  # "AG", "SA", "BV" only as the name's last word
    return key.endswith(form)


def _layout(seg: Segment, page: PageText) -> float:
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
