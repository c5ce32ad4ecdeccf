"""A receipt's brand line and its legal name line: which of them is the vendor.

A Malaysian receipt often prints a brand, a person's name (the licensee) or a shop sign
above the company's legal name ("SARANG HAE YO" / "TRENDYMAX (M) SDN. BHD."). The vendor
is the legal name line; ``vendor.choose_vendor`` calls in here to say so:

1. **a legal name of its own below**: a name joined over two lines in capitals whose last
   line is a whole legal name by itself, a distinctive word of its own before a legal form
   ("BECON ENTERPRISE SDN BHD", "YONGFATT ENTERPRISE"), is a brand over a name, not one name
   (``brand_over_name``). A last line whose only own word is a business word ("STATIONERY
   SDN. BHD.") or one that an open bracket or a trailing "&" leads into ("... (SETIA" /
   "ALAM) SDN BHD") still completes the line above;
2. **legal forms alone are no name**: "BHD", "SDN BHD", "(M) SDN BHD" on a line of their
   own are what is left of a name another line holds (``forms_only``);
3. **a cut-off legal form**: a name that ends in "SDN" lost its "BHD" to the line break
   ("SUBANG HEALTHCARE SDN"): "Sendirian" is never printed without "Berhad"
   (``completed``);
4. **a brand line right above a legal name line** ("FAMILYSHOP" / "ABC RESOURCES SDN BHD
   (383322-D)"): the line below names the company, the one above its shop sign, a
   person or a slogan; in capitals (receipt print) a candidate without a legal form of its
   own loses ``BRAND_PENALTY`` there (``above_legal_name``), even when its word is the
   web domain of the footer (a brand's site names the brand);
5. **a line that starts with "&"** goes on from the line above ("THE COFFEE SHOP" / "& TEA
   HOUSE (M) SDN. BHD.": a name is not begun with an ampersand), ``ampersand_below``;
6. **a company below the receipt's header**: once the header printed an address with a
   postcode and a phone or tax number, and then the document's title ("TAX INVOICE"), a
   company named right below the title (``TITLE_REACH`` lines) is the customer (``below_header``: ``HEADER_PENALTY``);
7. **a registration number glued to the name** ends it, as one after a space does
   ("MYNEWS RETAIL SB(306295-X) FKA ..." -> "MYNEWS RETAIL SB", ``before_registration``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ocr_gateway.processing.extraction import vocabulary
from ocr_gateway.processing.extraction.labels import cached_fold as fold
from ocr_gateway.processing.extraction.page import Line, PageText

HEADER_PENALTY = 1.2  # outweighs a legal form and a business word near the top
TITLE_REACH = 3  # the customer's lines that follow a receipt's title
_TITLE = re.compile(r"(?i)^[\W_]*(?:simplified\s+)?(?:tax\s+)?(?:invoice|receipt)[\W_]*$")
_POSTCODE = re.compile(r"\b\d{5}\b")
_HEADER_CONTACT = re.compile(r"(?i)\b(?:tel|phone|gst|fax)\b")
BRAND_PENALTY = 1.5  # outweighs a footer domain (+1.2) the brand's site gives it
_WEAK_FORMS = frozenset({"enterprise", "enterprises", "trading", "company", "co", "co."})
_BRACKETED_NUMBER = re.compile(r"\s*\([^)]*\d[^)]*\)?.*$")
MIN_OWN_LETTERS = 3  # a distinctive word of a name, not a stray letter pair
_COUNTRY_MARKS = frozenset({"(m)", "m", "(malaysia)", "msia", "&", "(s)"})
_GLUED_REGISTRATION = re.compile(r"(?<=[A-Za-z.])\(\d{5,}-?[A-Z]\).*$")
_CUT_SDN = re.compile(r"(?i)\bSDN\.?$")


@lru_cache(maxsize=1)
def _form_words() -> frozenset[str]:
    """The words legal forms are made of, folded ("sdn", "bhd", "s/b", "enterprise")."""
    return frozenset(w.casefold() for f in vocabulary.LEGAL_FORMS for w in f.split())


def _form_word(word: str) -> bool:
    folded = word.casefold().strip(".,")
    return folded in _form_words() or folded in _COUNTRY_MARKS or fold(word) in _form_words()


def forms_only(words: Sequence[str]) -> bool:
    """Whether every word is part of a legal form or a country mark ("SDN BHD", "(M) BHD")."""
    return bool(words) and all(_form_word(w) for w in words)


def _own_words(text: str) -> list[str]:
    return [w for w in text.split() if not _form_word(w)]


def _has_form(text: str) -> bool:
    return any(_form_word(w) for w in text.split()) and not forms_only(text.split())


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def brand_over_name(parts: Sequence[str]) -> bool:
    """Whether a name joined from the lines ``parts`` is a brand over a legal name (rule 1)."""
    if len(parts) < 2 or not all(_capitals(p) for p in parts):
        return False
    upper, last = parts[-2], parts[-1]
    if upper.count("(") > upper.count(")") or upper.rstrip().endswith(("&", "-", ",")):
        return False  # the name goes on below
    if last.startswith(("(", "&")) or _has_form(" ".join(parts[:-1])):
        return False
    words = last.split()
    if not words or not _form_word(words[-1]) or not _has_form(last):
        return False
    # "CP. (M) SDN BHD" (an OCR'd "CO.") has no distinctive word: it ends the name above.
    own = [w for w in _own_words(last) if sum(c.isalpha() for c in w) >= MIN_OWN_LETTERS]
    return any(fold(w) not in vocabulary.BUSINESS_WORDS for w in own)


def completed(text: str) -> str:
    """``text`` with a legal form the line break cut after "SDN" completed (rule 3)."""
    if not _capitals(text) or len(text.split()) < 2:
        return text
    return _CUT_SDN.sub("SDN BHD", text)


def before_registration(text: str) -> str:
    """``text`` up to a registration number glued to its last word (rule 4)."""
    return _GLUED_REGISTRATION.sub("", text).rstrip()


def above_legal_name(parts: Sequence[str], page: PageText, last_line: int) -> float:
    """``BRAND_PENALTY`` when a name without a legal form stands right above a line that
    holds a whole legal name in capitals (rule 4), else 0."""
    if last_line + 1 >= len(page.lines) or not all(_capitals(p) for p in parts):
        return 0.0
    if any(_form_word(w) for p in parts for w in p.split()):
        return 0.0
    below = _BRACKETED_NUMBER.sub("", page.lines[last_line + 1].text)
    if not _capitals(below) or not _strong_form(below):
        return 0.0
    own = [w for w in _own_words(below) if sum(c.isalpha() for c in w) >= MIN_OWN_LETTERS]
    return BRAND_PENALTY if own else 0.0


def _strong_form(text: str) -> bool:
    return any(_form_word(w) and w.casefold() not in _WEAK_FORMS for w in text.split())


def ampersand_below(upper: Line, lower: Line) -> bool:
    """Whether ``lower``, the next line, goes on from ``upper`` after an "&" (rule 5)."""
    if lower.index != upper.index + 1 or not lower.text.startswith("&"):
        return False
    if lower.box[1] - upper.box[3] > upper.height or any(c.isdigit() for c in upper.text):
        return False
    return _capitals(upper.text) and _capitals(lower.text) and len(lower.text.split()) >= 2


def below_header(page: PageText, line: int) -> float:
    """``HEADER_PENALTY`` when ``line`` lies below the title that ends the header (rule 6)."""
    title = next((ln.index for ln in page.lines if _TITLE.match(ln.text)), None)
    if title is None or not title < line <= title + TITLE_REACH:
        return 0.0  # a seller's legal line in a letter's footer is no customer
    header = [ln.text for ln in page.lines[:title]]
    postcode = any(_POSTCODE.search(t) for t in header)
    contact = any(_HEADER_CONTACT.search(t) for t in header)
    return HEADER_PENALTY if postcode and contact else 0.0
