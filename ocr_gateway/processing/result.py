"""What an OCR engine returns: words and lines with boxes and confidences, in reading order.

Boxes are ``(x0, y0, x1, y1)`` in pixels of the original page image (before any downscaling the
engine did internally), with ``x1``/``y1`` exclusive. Confidences are 0..1.
``to_dict()`` gives the camelCase, JSON-able shape stored on a page; ``from_dict()`` reads it back
(so fields can be re-extracted from a stored result without running OCR again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Box = tuple[int, int, int, int]


def union_box(boxes: Iterable[Box]) -> Box:
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return (min(x0s), min(y0s), max(x1s), max(y1s))


def weighted_confidence(words: Sequence[OcrWord]) -> float:
    """Mean confidence weighted by text length (a long word counts more than a stray dot)."""
    weight = sum(max(len(w.text), 1) for w in words)
    if not weight:
        return 0.0
    return sum(w.confidence * max(len(w.text), 1) for w in words) / weight


def _box_from(value: Any) -> Box:
    x0, y0, x1, y1 = (int(v) for v in value)
    return (x0, y0, x1, y1)


@dataclass(frozen=True, slots=True)
class OcrWord:
    text: str
    confidence: float
    box: Box

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "confidence": round(self.confidence, 4), "box": list(self.box)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OcrWord:
        return cls(str(data["text"]), float(data["confidence"]), _box_from(data["box"]))


@dataclass(frozen=True, slots=True)
class OcrLine:
    text: str
    confidence: float
    box: Box
    words: tuple[OcrWord, ...]

    @classmethod
    def of(cls, words: Sequence[OcrWord]) -> OcrLine:
        """A line made of ``words`` (already sorted left to right)."""
        return cls(
            text=" ".join(w.text for w in words),
            confidence=weighted_confidence(words),
            box=union_box(w.box for w in words),
            words=tuple(words),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "confidence": round(self.confidence, 4),
            "box": list(self.box),
            "words": [w.to_dict() for w in self.words],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OcrLine:
        return cls(
            text=str(data["text"]),
            confidence=float(data["confidence"]),
            box=_box_from(data["box"]),
            words=tuple(OcrWord.from_dict(w) for w in data["words"]),
        )


@dataclass(frozen=True, slots=True)
class OcrResult:
    text: str
    lines: tuple[OcrLine, ...]
    words: tuple[OcrWord, ...]
    mean_confidence: float
    width: int
    height: int
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(
        cls, lines: Sequence[OcrLine], *, width: int, height: int, timings: dict[str, float]
    ) -> OcrResult:
        """A result made of ``lines`` (already in reading order)."""
        words = tuple(w for line in lines for w in line.words)
        return cls(
            text="\n".join(line.text for line in lines),
            lines=tuple(lines),
            words=words,
            mean_confidence=weighted_confidence(words),
            width=width,
            height=height,
            timings=timings,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "lines": [line.to_dict() for line in self.lines],
            "words": [w.to_dict() for w in self.words],
            "meanConfidence": round(self.mean_confidence, 4),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "width": self.width,
            "height": self.height,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OcrResult:
        lines = [OcrLine.from_dict(line) for line in data["lines"]]
        timings = {str(k): float(v) for k, v in data.get("timings", {}).items()}
        result = cls.of(
            lines, width=int(data["width"]), height=int(data["height"]), timings=timings
        )
        return result
