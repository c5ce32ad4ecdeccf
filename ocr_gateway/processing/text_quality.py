"""Whether a PDF text layer is text a reader would recognise, or garbage worth OCRing instead.

A text layer can be present and useless: a font without a ToUnicode map yields glyph ids
(control or private-use characters, U+FFFD), a broken encoding yields "glyph soup" (letters
in random case with no vowels, runs of punctuation). ``text_problem(text)`` names the first
problem found, or returns None for usable text; the checks, in order:

1. ``too_little_text``: fewer than ``MIN_TEXT_CHARS`` visible characters (a scan, a blank page);
2. ``unmapped_glyphs``: more than ``MAX_JUNK_SHARE`` of the characters are control, private-use,
   unassigned or replacement characters;
3. ``symbol_soup``: more than ``MAX_SYMBOL_SHARE`` of the characters are punctuation or symbols
   (invoices are letters and digits; a shifted encoding maps them to ``!"#$%&'``);
4. ``not_words``: of the Latin letter runs of 3+ letters (``MIN_WORDS`` of them at least), fewer
   than ``MIN_WORD_SHARE`` look like words of a European language: a vowel (when longer than
   four letters), no run of six consonants, lower case turning upper at most once.

Other scripts (Greek, Cyrillic, CJK …) pass check 4 untested: the rule knows Latin words only.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

MIN_TEXT_CHARS = 8
MAX_JUNK_SHARE = 0.05
MAX_SYMBOL_SHARE = 0.5
MIN_WORDS = 10
MIN_WORD_SHARE = 0.6
JUNK_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})
VOWELS = frozenset("aeiouy")
LETTER_RUN = re.compile(r"[^\W\d_]{3,}")
CONSONANT_RUN = 6


def text_problem(text: str) -> str | None:
    """The reason ``text`` is not a usable text layer (see the module docstring), or None."""
    visible = [c for c in text if not c.isspace()]
    if len(visible) < MIN_TEXT_CHARS:
        return "too_little_text"
    junk = sum(1 for c in visible if unicodedata.category(c) in JUNK_CATEGORIES or c == "\ufffd")
    if junk / len(visible) > MAX_JUNK_SHARE:
        return "unmapped_glyphs"
    symbols = sum(1 for c in visible if unicodedata.category(c)[0] in "PS")
    if symbols / len(visible) > MAX_SYMBOL_SHARE:
        return "symbol_soup"
    words = [w for w in LETTER_RUN.findall(text) if _latin(w)]
    if len(words) >= MIN_WORDS and sum(map(word_like, words)) / len(words) < MIN_WORD_SHARE:
        return "not_words"
    return None


def usable_text(text: str) -> bool:
    return text_problem(text) is None


def word_like(word: str) -> bool:
    """Whether a run of Latin letters could be a word (or an abbreviation) of a European
    language: lower case turns upper at most once (``GmbH``, ``McDonald``), a vowel unless it is
    short (``HT``, ``BTW``, ``Nr``), no six consonants in a row (``Angstschweiß`` has 8:
    rare enough to lose)."""
    base = _fold(word)
    rises = sum(1 for a, b in itertools.pairwise(word) if a.islower() and b.isupper())
    if rises > 1:
        return False
    if len(base) > 4 and not VOWELS & set(base):
        return False
    run = 0
    for char in base:
        run = 0 if char in VOWELS else run + 1
        if run >= CONSONANT_RUN:
            return False
    return True


def _fold(word: str) -> str:
    """Lowercase without accents (``é`` -> ``e``, ``ß`` stays a consonant)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in word)
