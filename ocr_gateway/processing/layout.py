"""Reading order: turn an engine's loose text boxes into words and lines.

easyocr returns one box per run of text (often several words: "Invoice No: INV_2024_0042"),
in no useful order. Here each run is split into words (boxes shared out by character count,
which is approximate for proportional fonts but good enough to point at a value), runs whose
vertical extents overlap enough are grouped into one visual line, lines are sorted top to bottom
and words left to right. Two columns at the same height therefore read as one line, row by row,
which is what invoices (label ... value) need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ocr_gateway.processing.result import Box, OcrLine, OcrWord

# A run joins a line when they share at least this fraction of the shorter one's height.
MIN_VERTICAL_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class TextRun:
    """One detection of an engine: text, confidence and its axis-aligned box."""

    text: str
    confidence: float
    box: Box


def box_of_points(points: Sequence[Sequence[float]], *, scale: float = 1.0) -> Box:
    """Axis-aligned box around a polygon, divided by ``scale`` (to undo a resize)."""
    xs = [p[0] / scale for p in points]
    ys = [p[1] / scale for p in points]
    return (int(min(xs)), int(min(ys)), round(max(xs)), round(max(ys)))


def split_words(run: TextRun) -> list[OcrWord]:
    """Split a run at whitespace; each word gets the slice of the box its characters span."""
    text = run.text.strip()
    if not text:
        return []
    x0, y0, x1, y1 = run.box
    per_char = (x1 - x0) / len(run.text)
    lead = len(run.text) - len(run.text.lstrip())
    words = []
    start = 0
    for token in text.split():
        start = text.index(token, start)
        left = x0 + round((lead + start) * per_char)
        right = x0 + round((lead + start + len(token)) * per_char)
        words.append(OcrWord(token, run.confidence, (left, y0, max(right, left + 1), y1)))
        start += len(token)
    return words


class _LineBuilder:
    def __init__(self, run: TextRun) -> None:
        self.runs = [run]
        self.top = float(run.box[1])
        self.bottom = float(run.box[3])

    def overlap(self, box: Box) -> float:
        """Shared height as a fraction of the shorter of this line and ``box``."""
        shared = min(self.bottom, box[3]) - max(self.top, box[1])
        shorter = min(self.bottom - self.top, box[3] - box[1])
        return shared / shorter if shorter > 0 else 0.0

    def add(self, run: TextRun) -> None:
        # The running mean keeps a line from creeping down the page the way a union would.
        n = len(self.runs)
        self.top = (self.top * n + run.box[1]) / (n + 1)
        self.bottom = (self.bottom * n + run.box[3]) / (n + 1)
        self.runs.append(run)

    def build(self) -> OcrLine:
        runs = sorted(self.runs, key=lambda r: r.box[0])
        return OcrLine.of([w for r in runs for w in split_words(r)])


def group_lines(runs: Sequence[TextRun]) -> list[OcrLine]:
    """Lines in reading order: top to bottom, each line's words left to right."""
    builders: list[_LineBuilder] = []
    for run in sorted(runs, key=lambda r: ((r.box[1] + r.box[3]) / 2, r.box[0])):
        if not run.text.strip():
            continue
        best = max(builders, key=lambda b: b.overlap(run.box), default=None)
        if best is not None and best.overlap(run.box) >= MIN_VERTICAL_OVERLAP:
            best.add(run)
        else:
            builders.append(_LineBuilder(run))
    builders.sort(key=lambda b: (b.top, min(r.box[0] for r in b.runs)))
    return [b.build() for b in builders]
