"""A page's text as extraction sees it: lines of words, each line cut into cells.

A **cell** is a run of words with no gap wider than ``CELL_GAP`` line heights: on a page
laid out in columns, "Rechnungsnummer" and "471102" sit in two cells of one visual line.
Words that OCR glued to their label ("Date:09/01/2019", "CASH:RM") are split at the colon
first, and two words joined by a slash ("Käufer/Leistungsempfänger") at the slash, the box
shared out by character count.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from ocr_gateway.processing.result import Box, OcrResult, OcrWord, union_box

CELL_GAP = 1.0  # a gap wider than this many line heights starts a new cell
_GLUED = re.compile(r"^([^\W\d][^:]*:)(\S+)$")
_SIGNS = frozenset({"RM", "MYR", "$", "S$", "USD", "EUR", "€", "£", "GBP"})  # "CASH:RM"
_SLASHED = re.compile(r"^([^\W\d_]{3,}/)([^\W\d_]{3,}\S*)$")  # "Käufer/Leistungsempfänger"


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    words: tuple[OcrWord, ...]
    text: str = field(init=False)
    offsets: tuple[int, ...] = field(init=False)
    height: int = field(init=False)
    box: Box = field(init=False)
    cells: tuple[tuple[int, int], ...] = field(init=False)  # word ranges [start, end)

    def __post_init__(self) -> None:
        offsets, position = [], 0
        for word in self.words:
            offsets.append(position)
            position += len(word.text) + 1
        object.__setattr__(self, "offsets", tuple(offsets))
        object.__setattr__(self, "text", " ".join(w.text for w in self.words))
        height = statistics.median([w.box[3] - w.box[1] for w in self.words] or [1])
        object.__setattr__(self, "height", max(int(height), 1))
        object.__setattr__(self, "box", union_box(w.box for w in self.words))
        object.__setattr__(self, "cells", tuple(self._cells()))

    def _cells(self) -> list[tuple[int, int]]:
        cells, start = [], 0
        for i in range(1, len(self.words)):
            if self.gap_before(i) > CELL_GAP:
                cells.append((start, i))
                start = i
        cells.append((start, len(self.words)))
        return cells

    def gap_before(self, index: int) -> float:
        """Horizontal gap before word ``index``, in line heights (infinite for the first)."""
        if index == 0:
            return float("inf")
        return (self.words[index].box[0] - self.words[index - 1].box[2]) / self.height

    def cell_of(self, word: int) -> tuple[int, int]:
        return next(c for c in self.cells if c[0] <= word < c[1])

    def word_span(self, start: int, end: int) -> tuple[int, int]:
        """Word range ``[first, last + 1)`` overlapping the character span ``[start, end)``."""
        hit = [
            i
            for i, (w, at) in enumerate(zip(self.words, self.offsets, strict=True))
            if at < end and at + len(w.text) > start
        ]
        return (hit[0], hit[-1] + 1) if hit else (0, 0)

    def words_text(self, start: int, end: int) -> str:
        return " ".join(w.text for w in self.words[start:end])

    def box_of(self, start: int, end: int) -> Box:
        return union_box(w.box for w in self.words[start:end])

    def confidence_of(self, start: int, end: int) -> float:
        words = self.words[start:end]
        weight = sum(max(len(w.text), 1) for w in words)
        return sum(w.confidence * max(len(w.text), 1) for w in words) / max(weight, 1)


@dataclass(frozen=True, slots=True)
class PageText:
    lines: tuple[Line, ...]
    width: int
    height: int
    median_height: float

    @classmethod
    def of(cls, result: OcrResult, *, keep: Sequence[OcrWord] | None = None) -> PageText:
        """The page of ``result``; with ``keep``, only those words (a template region)."""
        kept = set(id(w) for w in keep) if keep is not None else None
        lines: list[Line] = []
        for line in result.lines:
            words = [w for w in line.words if kept is None or id(w) in kept]
            words = [part for w in words for part in _split_glued(w)]
            if words:
                lines.append(Line(len(lines), tuple(words)))
        heights = [line.height for line in lines] or [1]
        return cls(tuple(lines), result.width, result.height, statistics.median(heights))


def _split_glued(word: OcrWord) -> list[OcrWord]:
    match = _GLUED.match(word.text)
    if not match or not (
        any(c.isdigit() for c in match.group(2)) or match.group(2).upper() in _SIGNS
    ):
        match = _SLASHED.match(word.text)
    if not match:
        return [word]
    label, value = match.group(1), match.group(2)
    x0, y0, x1, y1 = word.box
    cut = x0 + round((x1 - x0) * len(label) / len(word.text))
    return [
        OcrWord(label, word.confidence, (x0, y0, max(cut, x0 + 1), y1)),
        OcrWord(value, word.confidence, (min(cut + 1, x1 - 1), y0, x1, y1)),
    ]
