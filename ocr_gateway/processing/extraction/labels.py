"""Find labels on a page, tolerating OCR noise, missing accents and split compounds.

Words are **folded** before matching: lower case, accents dropped ("Fälligkeit" =
"Falligkeit"), ``°``/``º`` read as ``o`` ("N°" = "No"), letter look-alikes inside words
repaired (``lnvoice``/``Tota]``/``Subtota1``/``Tota/`` -> ``invoice``/``total``/``subtotal``/``total``), and
punctuation dropped except ``#``. A label phrase matches one to five consecutive words whose
folded text, joined without spaces, equals the folded phrase: "Rechnungs-Nr.", "Rechnungs
Nr." and "Rechnungsnr" are one label. Phrases of six characters or more also match at a
similarity ratio of ``FUZZY_RATIO`` when they are one word ("Rechnungsnumer"), five-letter
words with one inner letter substituted ("Totel"); several words
only with one letter substituted ("lnvoice No"), never inserted ("TOTAL AT" is not "Total
VAT"). At each word the longest phrase wins
("Total Qty" is a quantity, not a total), and hits do not overlap.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ocr_gateway.processing.extraction import vocabulary
from ocr_gateway.processing.extraction.page import Line, PageText

FUZZY_RATIO = 0.86
MIN_FUZZY_LENGTH = 6
SHORT_FUZZY_LENGTH = 5  # one inner letter off ("Totel"): the first and last letters right
MIN_SUBSTITUTION_LENGTH = 8
MAX_LABEL_WORDS = 5

_LETTER_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "l", "|": "l", "]": "l", "[": "l", "!": "l", "5": "s", "°": "o", "º": "o"}
)


_TRAILING_SLASH = re.compile(r"(?<=[^\W\d_]{3})/$")  # "Tota/" is "Total"; "S/B" stays


@dataclass(frozen=True, slots=True)
class Label:
    role: str
    phrase: str
    weight: float
    language: str


@dataclass(frozen=True, slots=True)
class LabelHit:
    line: int
    start: int  # word range [start, end) on the line
    end: int
    label: Label
    exact: bool

    @property
    def role(self) -> str:
        return self.label.role

    @property
    def weight(self) -> float:
        return self.label.weight if self.exact else self.label.weight * 0.9


def fold(word: str) -> str:
    """A word as labels are compared (see the module docstring)."""
    text = unicodedata.normalize("NFKD", word.casefold().replace("ß", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    letters = sum(c.isalpha() for c in text)
    digits = sum(c.isdigit() for c in text)
    if letters and letters >= digits:
        text = _TRAILING_SLASH.sub("l", text).translate(_LETTER_LOOKALIKES)
    return re.sub(r"[^\w#]", "", text).replace("_", "")


def fold_phrase(phrase: str) -> str:
    return "".join(fold(w) for w in phrase.split())


class Vocabulary:
    """Labels by folded phrase; built from the built-in vocabulary plus template labels."""

    def __init__(self, labels: Iterable[Label]) -> None:
        self.by_key: dict[str, list[Label]] = {}
        for label in labels:
            key = fold_phrase(label.phrase)
            if key:
                self.by_key.setdefault(key, []).append(label)
        self._by_length: dict[int, list[str]] = {}
        for key in self.by_key:
            self._by_length.setdefault(len(key), []).append(key)
        self._cache: dict[str, tuple[list[Label], bool]] = {}

    @classmethod
    def builtin(cls, extra: Mapping[str, Sequence[str]] | None = None) -> Vocabulary:
        """The built-in labels, plus ``extra`` {role: phrases} at full weight (a phrase the
        built-in vocabulary already has for that role keeps its built-in weight)."""
        labels = [
            Label(role, phrase, weight, language)
            for role in vocabulary.roles()
            for phrase, weight, language in vocabulary.entries(role)
        ]
        known = {(label.role, fold_phrase(label.phrase)) for label in labels}
        for role, phrases in (extra or {}).items():
            # A phrase the vocabulary has already keeps its weight ("Total" stays generic).
            labels += [
                Label(role, p, 1.0, "template")
                for p in phrases
                if (role, fold_phrase(p)) not in known
            ]
        return cls(labels)

    def lookup(self, key: str) -> tuple[list[Label], bool]:
        """Labels whose phrase is ``key`` (exact), else the closest fuzzy match (cached)."""
        if key not in self._cache:
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[key] = self._lookup(key)
        return self._cache[key]

    def substituted(self, key: str) -> tuple[list[Label], bool]:
        """Labels equal to ``key`` or one letter off ("lnvoice No"), for several words."""
        if key in self.by_key:
            return self.by_key[key], True
        if len(key) < MIN_SUBSTITUTION_LENGTH:
            return [], False
        cached = self._cache.get("|" + key)  # "|" never occurs in a folded word
        if cached is None:
            cached = self._cache["|" + key] = self._substituted(key)
        return cached

    def _substituted(self, key: str) -> tuple[list[Label], bool]:
        for candidate in self._by_length.get(len(key), ()):
            if sum(a != b for a, b in zip(key, candidate, strict=True)) == 1:
                return self.by_key[candidate], False
        return [], False

    def _inner_substituted(self, key: str) -> tuple[list[Label], bool]:
        """A five-letter word with one inner letter misread ("Totel", "Tatal" not: two):
        thermal receipts print their labels in such short words, too short for a ratio."""
        for candidate in self._by_length.get(len(key), ()):
            same_ends = key[0] == candidate[0] and key[-1] == candidate[-1]
            if same_ends and sum(a != b for a, b in zip(key, candidate, strict=True)) == 1:
                return self.by_key[candidate], False
        return [], False

    def _lookup(self, key: str) -> tuple[list[Label], bool]:
        if key in self.by_key:
            return self.by_key[key], True
        for ending, role in sorted(vocabulary.COMPOUND_ENDINGS.items(), key=lambda e: -len(e[0])):
            if key.endswith(ending) and len(key) > len(ending) + 2:
                return [Label(role, key, 0.9, "de")], False
        if len(key) == SHORT_FUZZY_LENGTH:
            return self._inner_substituted(key)
        if len(key) < MIN_FUZZY_LENGTH or "|" in key:
            return [], False
        best, best_ratio = None, FUZZY_RATIO
        for length in range(len(key) - 2, len(key) + 3):
            for candidate in self._by_length.get(length, ()):
                matcher = difflib.SequenceMatcher(None, key, candidate, autojunk=False)
                if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                    continue
                ratio = matcher.ratio()
                if ratio >= best_ratio:
                    best, best_ratio = candidate, ratio
        return (self.by_key[best], False) if best else ([], False)


def find_labels(page: PageText, vocab: Vocabulary) -> list[list[LabelHit]]:
    """Label hits per line, left to right, longest first, not overlapping."""
    return [_line_hits(line, vocab) for line in page.lines]


def _line_hits(line: Line, vocab: Vocabulary) -> list[LabelHit]:
    folded = [cached_fold(w.text) for w in line.words]
    hits: list[LabelHit] = []
    start = 0
    while start < len(folded):
        hit = _longest_at(line, folded, start, vocab)
        if hit is None:
            start += 1
            continue
        hits.extend(hit)
        start = hit[0].end
    return hits


def _longest_at(
    line: Line, folded: list[str], start: int, vocab: Vocabulary
) -> list[LabelHit] | None:
    if not folded[start] or not any(c.isalpha() for c in folded[start]):
        return None
    key = ""
    best: list[LabelHit] | None = None
    for end in range(start + 1, min(start + MAX_LABEL_WORDS, len(folded)) + 1):
        if end > start + 1 and line.gap_before(end - 1) > 1.5:
            break  # a label does not jump across columns
        key += folded[end - 1]
        if not folded[end - 1]:
            continue
        # Only a one-word label may match fuzzily: "TOTAL AT" is not "Total VAT"; nor may a
        # number be a label's misread last letter ("Fattura n. 3" is not "Fattura n°").
        if end == start + 1:
            labels, exact = vocab.lookup(key)
        elif folded[end - 1].isdigit():
            labels, exact = vocab.by_key.get(key, []), True
        else:
            labels, exact = vocab.substituted(key)
        if labels:
            best = [LabelHit(line.index, start, end, label, exact) for label in _by_role(labels)]
    return best


def _by_role(labels: Sequence[Label]) -> list[Label]:
    """One label per role (the weightiest) where a phrase exists in several languages."""
    best: dict[str, Label] = {}
    for label in labels:
        if label.role not in best or label.weight > best[label.role].weight:
            best[label.role] = label
    return list(best.values())


@lru_cache(maxsize=65536)
def cached_fold(word: str) -> str:
    return fold(word)


def modifiers(words: Iterable[str], *, exact_before: int = 0) -> set[str]:
    """Which of ``net``/``gross``/``plus`` the words carry ("Summe netto" -> {"net"}); words
    of six letters or more may be misread ("Inclueive"), except the first ``exact_before``
    (a label's own words, already matched: in "Tota| (Exc luding", "luding" is a piece of
    "excluding", not a misread "including")."""
    found = set()
    for index, word in enumerate(words):
        folded = cached_fold(word)
        fuzzy = index >= exact_before and len(folded) >= MIN_FUZZY_LENGTH
        for kind, forms in vocabulary.MODIFIERS.items():
            if folded in forms or (fuzzy and _near_any(folded, forms)):
                found.add(kind)
    return found


@lru_cache(maxsize=4096)
def _near_any(word: str, forms: tuple[str, ...]) -> bool:
    return any(
        len(f) >= MIN_FUZZY_LENGTH and difflib.SequenceMatcher(None, word, f).ratio() >= 0.8
        for f in forms
    )
