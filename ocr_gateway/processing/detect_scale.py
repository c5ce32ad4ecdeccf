"""The detection resolution, chosen from the page: scale it so that its text is a set height.

CRAFT's cost grows with pixels (it is most of a page's time), and it finds text best at a
certain size on screen: too small and short tokens vanish, too large and only pixels are
added. So the scale is set from the page's own text height (``text_height``), measured
cheaply, without a network:

1. greyscale copy with its long side at most ``MEASURE_SIDE`` px, binarised (Otsu);
2. connected components of the dark pixels; glyph-like ones kept (2 .. 1/8 of the page high,
   at most 4 x as wide as high, not tiny specks);
3. the median of their heights, in page pixels.

The scale puts that median at ``text_height`` px; the detection image's long side stays
within ``min_side`` .. ``max_side`` (so a sparse page with huge print still gets detail, and
a dense one a bounded cost). A small scan with small print is upscaled. A page without
glyph-like components (blank, a photo) is detected at ``max_side``.

CRAFT's time and memory follow the pixel count, not the long side: with ``max_pixels`` a page
may go past ``max_side`` as long as it stays within that many pixels (and ``PIXEL_CAP_SIDE``).
An A4 page capped at 1536 px long side has 1.67 MP; a tall receipt (936 x 2779) capped the
same way gets only 0.6 MP and its print falls to 7 px, below what CRAFT finds reliably. A
pixel budget of an A4 page lets it keep 12-16 px at no more cost than an invoice page.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MEASURE_SIDE = 1600
MIN_GLYPHS = 20
PIXEL_CAP_SIDE = 4096  # the longest side a pixel budget lets a (very tall) page reach


_UNMEASURED = -1.0


def detection_scale(
    page: Image.Image,
    *,
    text_height: float | None,
    min_side: int,
    max_side: int,
    measured: float | None = _UNMEASURED,
    max_pixels: int | None = None,
) -> float:
    """Factor to resize ``page`` by for detection (see the module docstring); ``measured``:
    the page's median text height when the caller has it already (``None``: no glyphs);
    ``max_pixels``: a pixel budget that may take the long side past ``max_side``."""
    long_side = max(page.size)
    if measured == _UNMEASURED:
        measured = median_text_height(page) if text_height else None
    cap = largest_scale(page.size, max_side=max_side, max_pixels=max_pixels)
    if measured is None or text_height is None:
        return min(1.0, cap)
    scale = text_height / measured
    return max(min_side / long_side, min(cap, scale))


def largest_scale(size: tuple[int, int], *, max_side: int, max_pixels: int | None) -> float:
    """The largest detection scale of a page of ``size``: its long side at ``max_side``, or,
    with a pixel budget, as far as ``max_pixels`` (never below the long-side cap, never past
    ``PIXEL_CAP_SIDE``)."""
    long_side = max(size)
    by_side = max_side / long_side
    if max_pixels is None:
        return by_side
    by_pixels = math.sqrt(max_pixels / max(1, size[0] * size[1]))
    return min(max(by_side, by_pixels), max(by_side, PIXEL_CAP_SIDE / long_side))


def upscale_factor(
    measured: float | None, size: tuple[int, int], *, text_height: float | None, max_pixels: int
) -> float:
    """Factor (>= 1) to enlarge a page by before detection and recognition so that its median
    text height ``measured`` reaches ``text_height`` px, within ``max_pixels``; 1 when the
    text is that high already, unmeasured (``None``), or the page is at the cap."""
    if measured is None or text_height is None or measured <= 0:
        return 1.0
    wanted = text_height / measured
    room = math.sqrt(max_pixels / max(1, size[0] * size[1]))
    return max(1.0, min(wanted, room))


def median_text_height(page: Image.Image) -> float | None:
    """Median height of the page's glyph-like dark components, in ``page`` pixels."""
    import numpy as np

    factor = min(1.0, MEASURE_SIDE / max(page.size))
    grey = page.convert("L")
    if factor < 1.0:
        size = (max(1, round(page.width * factor)), max(1, round(page.height * factor)))
        grey = grey.resize(size, Image.Resampling.BOX)
    heights = glyph_heights(np.asarray(grey, dtype=np.uint8))
    if len(heights) < MIN_GLYPHS:
        return None
    return float(np.median(heights)) / factor


def glyph_heights(grey: npt.NDArray[np.uint8]) -> npt.NDArray[np.int32]:
    import cv2
    import numpy as np

    _threshold, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    areas = stats[1:, cv2.CC_STAT_AREA]
    glyph = (heights >= 2) & (heights <= grey.shape[0] / 8) & (widths <= 4 * heights) & (areas >= 4)
    result: npt.NDArray[np.int32] = heights[glyph].astype(np.int32)
    return result
