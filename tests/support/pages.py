"""OCR results built from positioned text, for extraction tests (no OCR engine involved).

``page_of(rows)`` lays out rows top to bottom; a row is a string (one cell at the left
margin) or a list of ``(x, text)`` cells; ``Row(cells, height=...)`` sets a row's text
height (a logo-sized line). Words are ``CHAR`` px per character with ``SPACE`` px spaces,
so a cell's words sit close and cells far apart read as columns, the way OCR and PDF text
layers deliver them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ocr_gateway.processing.result import OcrLine, OcrResult, OcrWord

CHAR = 12
SPACE = 8
LINE_HEIGHT = 24
LINE_GAP = 16
WIDTH, HEIGHT = 1240, 1754
Cell = tuple[int, str]


@dataclass(frozen=True)
class Row:
    cells: Sequence[Cell] | str
    height: int = LINE_HEIGHT
    y: int | None = None  # top of the row; default: below the previous one


def page_of(
    rows: Sequence[Row | Sequence[Cell] | str],
    *,
    confidence: float = 0.95,
    top: int = 60,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> OcrResult:
    lines, y = [], top
    for raw in rows:
        row = raw if isinstance(raw, Row) else Row(raw)
        y = row.y if row.y is not None else y
        words = list(_words(row, y, confidence))
        if words:
            lines.append(OcrLine.of(words))
        y += row.height + LINE_GAP
    return OcrResult.of(lines, width=width, height=height, timings={})


def _words(row: Row, y: int, confidence: float) -> list[OcrWord]:
    cells = [(60, row.cells)] if isinstance(row.cells, str) else list(row.cells)
    scale = row.height / LINE_HEIGHT
    words = []
    for x, text in cells:
        for token in text.split():
            right = x + round(CHAR * scale * len(token))
            words.append(OcrWord(token, confidence, (x, y, right, y + row.height)))
            x = right + round(SPACE * scale)
    return words
