"""A company name as OCR misreads it on thermal receipts, read back (``repaired``).

Receipts print the shop's legal name in small, wide-set capitals; OCR (easyocr's
english_g2) then misreads a letter or two and the punctuation of abbreviations. The name
is compared against what a company name is made of, never against known names:

1. **legal form**: a word one letter off "SDN" before "BHD", or off "BHD" after "SDN"
   ("SDw BHD", "SLn BHD", "SDN 8HD") is that word;
2. **legal and business words** of five letters or more ("ENTERPRISE", "HARDWARE",
   "STATIONERY", ``vocabulary.LEGAL_FORMS`` and ``BUSINESS_WORDS``) with letters substituted
   (not inserted nor dropped), the first and the last one right (an ending that differs is
   a word of its own: "STATIONERS"): one look-alike (Q/O, 8/B, 5/S, 1/I/l,
   0/O, c/e; two at most) in a word of five or six letters, one substitution in seven, two from eight
   letters, a look-alike counting half ("STATIQNERY", "ENTERRBISE", "HARDWAKE"); other letters
   than look-alikes only in a word in capitals (receipt print), so that a word of another
   language in a name set in upper and lower case ("Rossi Forniture") stays;
3. **abbreviation points**: a comma, semicolon or colon after "SDN"/"BHD" is its point
   ("SDN , BHD ," -> "SDN. BHD."); initials
   separated by points, commas or semicolons are initials with points ("D,I.y," ->
   "D.I.y.", "D.I.Y" -> "D.I.Y."); a semicolon glued to a word is a point ("MR;" -> "MR.");
4. **spaces read as marks**: an underscore between letters is a space ("HANDEL_SDN");
   in a name in capitals that ends in a legal form, a comma glued to a word before the
   next one is a speck ("IKANO, HANDEL SDN BHD": a legal name has no comma inside);
5. **case in a name in capitals**: where the other words are capitals, a word that starts
   with two capitals and goes on in lower case is capitals misread ("TEd HENG BOoks"), and
   a lone "E" between two words is the ampersand ("STATIONERY E BOOKS": easyocr reads "&"
   as "E"; an initial stands first, not between the words of a name);
6. **marks set apart**: a possessive "'S" that OCR set off as a word of its own, its S read
   as "5" or "$" after a word in capitals ("DOMINO 'S PIZZA", "DOMINO '$ PIZZA"), goes back
   onto its word ("DOMINO'S PIZZA"); the legal form "S/B" (Sendirian Berhad) with its B read
   as an 8 ("99 SPEED MART S/8") is "S/B".

A word keeps its case style (capitals, capitalised, lower case). Words that are right
already, and words that match no such word closely, stay as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ocr_gateway.processing.extraction import vocabulary

MIN_WORD = 5
SHORT_LIMIT = 1.0  # five or six letters: look-alikes only, two at most ("STORY" stays)
MIDDLE_LIMIT = 1.0  # seven letters: one substitution
LONG_WORD = 8  # from this length, two substitutions
LOOKALIKE_COST = 0.5
_LOOKALIKES = frozenset(
    frozenset(pair) for pair in ("qo", "0o", "8b", "5s", "1i", "1l", "il", "0d", "od", "qd", "ce")
)
_INITIALS = re.compile(r"(?<![\w.])([A-Za-z])(?:[.,;]([A-Za-z]))+[.,;]?(?![\w])")
_ABBREVIATION_MARK = re.compile(r"(?i)\b(sdn|bhd)\s*[,;:](?=\s|$)")
_GLUED_SEMICOLON = re.compile(r"(?<=[A-Za-z]);(?=\s|$)")
_WORD = re.compile(r"[A-Za-z0-9]+")
_UNDERSCORE = re.compile(r"(?<=[A-Za-z])_(?=[A-Za-z])")
_INNER_COMMA = re.compile(r"(?<=[A-Z]{2}),(?= [A-Z]{2})")
_MISREAD_CASE = re.compile(r"^[A-Z]{2,}[A-Za-z]*[a-z][A-Za-z]*$")  # "TEd", "BOoks"
_DETACHED_POSSESSIVE = re.compile(r"(?<=[A-Z]{2}) ['’`]([Ss5$])(?=\s|$)")  # noqa: RUF001
_SB_MISREAD = re.compile(r"(?<=\w )S/8(?=[\s(.]|$)")
_LEGAL_END = re.compile(r"\b(?:SDN\.? BHD|BHD|S/B|PLT|ENTERPRISE)\.?$")


def _specks_removed(text: str) -> str:
    """A comma inside a name in capitals that ends in a legal form, dropped."""
    if text != text.upper() or not _LEGAL_END.search(text):
        return text
    return _INNER_COMMA.sub("", text)


def _capitals_repaired(text: str) -> str:
    """Rule 5: a word half in lower case, and a lone "E", in a name set in capitals."""
    words = text.split(" ")
    letters = [w for w in words if sum(c.isalpha() for c in w) >= 2]
    shouted = [w for w in letters if _MISREAD_CASE.match(w)]
    capitals = [w for w in letters if w.isupper()]
    if len(capitals) < 2 or len(capitals) + len(shouted) < len(letters):
        return text
    words = [w.upper() if _MISREAD_CASE.match(w) else w for w in words]
    for i in range(1, len(words) - 1):
        if words[i] == "E" and len(words[i - 1]) >= 2 and len(words[i + 1]) >= 2:
            words[i] = "&"
    return " ".join(words)


def repaired(text: str) -> str:
    """``text`` with the misreads of the module docstring read back."""
    text = _marks_repaired(_specks_removed(_UNDERSCORE.sub(" ", text)))
    text = _capitals_repaired(text)
    text = _legal_pair(text)
    text = _WORD.sub(lambda m: _known_word(m.group()), text)
    return _points(text)


def _marks_repaired(text: str) -> str:
    """Rule 6: a possessive set apart, "S/8"."""
    text = _DETACHED_POSSESSIVE.sub(lambda m: "'S" if m[1] in "5$S" else "'s", text)
    return _SB_MISREAD.sub("S/B", text)


def _legal_pair(text: str) -> str:
    words = text.split(" ")
    for i in range(len(words) - 1):
        first, second = _letters(words[i]), _letters(words[i + 1])
        if first.casefold() == "sdn" and _one_off(second, "bhd"):
            words[i + 1] = words[i + 1].replace(second, _styled("bhd", second), 1)
        elif second.casefold() == "bhd" and _one_off(first, "sdn"):
            words[i] = words[i].replace(first, _styled("sdn", first), 1)
    return " ".join(words)


def _letters(word: str) -> str:
    return word.strip(".,;:()")


def _one_off(word: str, target: str) -> bool:
    return len(word) == len(target) and _cost(word.casefold(), target) <= 1


def _known_word(word: str) -> str:
    """The legal or business word ``word`` is a misreading of, in its case style, or it."""
    if len(word) < MIN_WORD or not any(c.isalpha() for c in word):
        return word
    folded = word.casefold()
    words = _vocabulary().get(len(word), ())
    if folded in words:
        return word
    limit = 2.0 if len(word) >= LONG_WORD else MIDDLE_LIMIT if len(word) == 7 else SHORT_LIMIT
    best = min(
        (
            (_cost(folded, known), known)
            for known in words
            if known[0] == folded[0] and known[-1] == folded[-1]
        ),
        default=(limit + 1, ""),
    )
    # Other substitutions than look-alikes only in capitals (thermal print, "HARDWAKE"): a
    # capitalised or lower-case word is more likely a word of another language ("Forniture").
    loose = len(word) >= 7 and word.isupper()
    if best[0] > limit or (not loose and not _lookalikes_only(folded, best[1])):
        return word
    return _styled(best[1], word)


def _lookalikes_only(word: str, known: str) -> bool:
    return all(a == b or frozenset((a, b)) in _LOOKALIKES for a, b in zip(word, known, strict=True))


def _cost(word: str, known: str) -> float:
    cost = 0.0
    for a, b in zip(word, known, strict=True):
        if a != b:
            cost += LOOKALIKE_COST if frozenset((a, b)) in _LOOKALIKES else 1.0
    return cost


def _styled(known: str, like: str) -> str:
    letters = [c for c in like if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if upper * 2 > len(letters):
        return known.upper()
    return known.capitalize() if like[:1].isupper() else known


@lru_cache(maxsize=1)
def _vocabulary() -> dict[int, frozenset[str]]:
    words = {
        w.casefold()
        for phrase in (*vocabulary.LEGAL_FORMS, *vocabulary.BUSINESS_WORDS)
        for w in phrase.split()
        if len(w) >= MIN_WORD and w.isalpha()
    }
    by_length: dict[int, set[str]] = {}
    for word in words:
        by_length.setdefault(len(word), set()).add(word)
    return {length: frozenset(group) for length, group in by_length.items()}


def _points(text: str) -> str:
    text = _ABBREVIATION_MARK.sub(lambda m: m[1] + ".", text)
    text = _INITIALS.sub(lambda m: ".".join(re.findall(r"[A-Za-z]", m.group())) + ".", text)
    return _GLUED_SEMICOLON.sub(".", text)
