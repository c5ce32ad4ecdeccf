"""Unsure crops read again from altered copies; the reading most of them agree with is kept.

The recogniser misreads small thermal and dot-matrix print in ways that depend on the exact
pixels: a blur joins a dot-matrix glyph's dots, an erosion thickens a faint stroke, a wider
copy moves CTC's frames. One copy's reading is no surer than another's (keeping the most
confident copy lost fields on the development set's receipts), but the readings that several
copies share are: ``agreed`` keeps the reading with the least summed edit distance to all the
others (the medoid), the original where readings tie. Measured in bench/RESULTS.md ("Unsure
crops read from eight altered copies").

``VARIANTS`` are the copies: each takes a grey crop (uint8, the model's height) and returns
one, perhaps of another width. The first ``FIRST`` are read first; a crop that all of them
read as the original did keeps its reading without the others (half the cost, about).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

    Crop = npt.NDArray[Any]  # uint8, grey


def _blur(crop: Crop) -> Crop:
    import cv2

    return cv2.GaussianBlur(crop, (0, 0), 1.0)


def _dilate(crop: Crop) -> Crop:
    import cv2
    import numpy as np

    return cv2.dilate(crop, np.ones((2, 2), np.uint8))


def _erode(crop: Crop) -> Crop:
    import cv2
    import numpy as np

    return cv2.erode(crop, np.ones((2, 2), np.uint8))


def _equalised(crop: Crop) -> Crop:
    import cv2

    return cv2.createCLAHE(clipLimit=2.0, tileGridSize=(1, 8)).apply(crop)


def _sharpened(crop: Crop) -> Crop:
    import cv2

    return cv2.addWeighted(crop, 1.6, cv2.GaussianBlur(crop, (0, 0), 2), -0.6, 0)


def _binarised(crop: Crop) -> Crop:
    import cv2

    return cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def _stretched(factor: float) -> Callable[[Crop], Crop]:
    def stretch(crop: Crop) -> Crop:
        import cv2

        width = max(1, round(crop.shape[1] * factor))
        method = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
        return cv2.resize(crop, (width, crop.shape[0]), interpolation=method)

    return stretch


Variant = Callable[["Crop"], "Crop"]
VARIANTS: tuple[Variant, ...] = (
    _blur,
    _erode,
    _stretched(1.15),
    _dilate,
    _equalised,
    _sharpened,
    _binarised,
    _stretched(0.87),
)
FIRST = 3  # copies read first: where they all read what the crop read, the rest are not read


def agreed(readings: Sequence[tuple[str, float]]) -> tuple[str, float]:
    """The reading whose text is nearest all the others' (summed Levenshtein distance); the
    first of the nearest where several are (``readings[0]`` is the original crop's)."""
    from rapidfuzz.distance import Levenshtein

    texts = [text for text, _confidence in readings]
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == 1:
        return readings[0]
    counts = [texts.count(text) for text in distinct]
    cost = {
        text: sum(
            n * Levenshtein.distance(text, other) for other, n in zip(distinct, counts, strict=True)
        )
        for text in distinct
    }
    return min(readings, key=lambda reading: cost[reading[0]])
