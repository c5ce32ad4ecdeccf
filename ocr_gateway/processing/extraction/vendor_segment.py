"""A vendor candidate's text: a segment of a line (a cell, or part of one), or a name
printed over two or three lines, with what OCR and the layout add to it removed.

The text drops words detected inside another word's box (noise), a receipt counter
before the name, a registration number after it ("S/B 273500-U", "(1095514-X)"), and an
unclosed bracket the line break left at its end; OCR'd words are repaired
(``vendor_ocr``), a PDF's text layer is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocr_gateway.processing.extraction import vendor_ocr
from ocr_gateway.processing.extraction.page import Line
from ocr_gateway.processing.result import Box, union_box

_REGISTRATION = re.compile(r"\s+\(?\d{5,}-[A-Z]\)?(?:\s.*)?$")  # "273500-U", "(1095514-X)"

# An unclosed bracket at the end, empty or opening a registration label that the line
# break cut off ("MONSIEUR (M) SDN. BHD. (", "DION REALTIES SDN BHD (CO. NO").
_OPEN_TAIL = re.compile(r"(?i)\s*\((?:\s*(?:co|company|reg|roc|gst)\b[^()]*)?$")


@dataclass(frozen=True, slots=True)
class Segment:
    line: Line
    start: int  # word range
    end: int

    @property
    def text(self) -> str:
        return clean(
            visible_text(self.line, self.start, self.end),
            ocr=ocr_read(self.line, self.start, self.end),
        )


@dataclass(frozen=True, slots=True)
class Name:
    """A vendor candidate: one segment, or a name printed over two or three lines."""

    parts: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return clean(
            " ".join(visible_text(p.line, p.start, p.end) for p in self.parts),
            ocr=any(ocr_read(p.line, p.start, p.end) for p in self.parts),
        )

    @property
    def box(self) -> Box:
        return union_box(p.line.box_of(p.start, p.end) for p in self.parts)

    @property
    def confidence(self) -> float:
        return min(p.line.confidence_of(p.start, p.end) for p in self.parts)


def visible_text(line: Line, start: int, end: int) -> str:
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


def ocr_read(line: Line, start: int, end: int) -> bool:
    """Whether OCR read these words: a PDF's text layer gives every word confidence 1, and
    its text is what was printed, never to be "repaired" ("Rossi Forniture" stays)."""
    return any(word.confidence < 1.0 for word in line.words[start:end])


def clean(text: str, *, ocr: bool = True) -> str:
    text = re.sub(r"^#\d+\s+(?=[^\W\d_])", "", text)  # a receipt counter before the name
    text = _REGISTRATION.sub("", text)  # "S/B 273500-U (KSB)": the name ends before it
    text = re.sub(r"\s*\((?=[^)]*\d)[^)]*\)?\s*$", "", text)  # "(12345-X)" registration no.
    text = re.sub(r"\s+\d{4,}-?[A-Z]$", "", text)  # "273500-U" without brackets
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+([),.])", r"\1", text))  # OCR: "( Johor )"
    text = _OPEN_TAIL.sub("", text)  # "... SDN. BHD. (" / "... SDN BHD (CO. NO": cut off
    if ocr:
        text = vendor_ocr.repaired(text)  # "SDw BHD", "STATIQNERY", "SDN, BHD,"
    return " ".join(text.strip(" ,;:-•·|*").split())
