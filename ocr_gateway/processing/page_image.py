"""Page images as both OCR engines take them: flattened to RGB, capped in pixels, boxes padded.

Shared by ``torch_engine.EasyOcrEngine`` and ``onnx_engine.OnnxOcrEngine`` so that the two
read the same pixels and pad the same boxes (their words are compared in the tests):

- ``to_rgb`` flattens transparency onto white and keeps 16-bit greyscale contrast;
- ``cap_pixels`` downscales anything above ``max_pixels`` (a 35 MP scan would otherwise cost
  gigabytes) and returns the scale factor that maps boxes back to the original;
- ``recognition_grey`` is the greyscale copy recognition crops are cut from, darkened by a
  gamma (easyocr then reads small ``$`` signs as ``$``/``S`` rather than ``9``/``5``);
- ``pad_box`` / ``pad_quad`` map a detected box from detection scale to full size, widened by
  a fraction of the text height.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Padding = tuple[float, float, float]  # sides, top, bottom, as fractions of the text height


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB with transparency flattened onto white (a transparent PNG would otherwise go black)."""
    if image.mode == "RGB":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: convert("RGB") clips everything above 255 to white.
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def cap_pixels(image: Image.Image, max_pixels: int) -> tuple[Image.Image, float]:
    """RGB copy of ``image`` at most ``max_pixels`` big, and its scale factor (<= 1)."""
    page = to_rgb(image)
    pixels = page.width * page.height
    if pixels <= max_pixels:
        return page, 1.0
    scale = math.sqrt(max_pixels / pixels)
    size = (max(1, int(page.width * scale)), max(1, int(page.height * scale)))
    return page.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0), size[0] / image.width


def recognition_grey(page: Image.Image, gamma: float | None) -> Image.Image:
    grey = page.convert("L")
    if gamma and gamma != 1.0:
        grey = grey.point([round(255 * (v / 255) ** gamma) for v in range(256)])
    return grey


def as_array(image: Image.Image) -> npt.NDArray[np.uint8]:
    import numpy as np

    return np.asarray(image, dtype=np.uint8)


def pad_box(
    box: Sequence[float], scale: float, padding: Padding, size: tuple[int, int]
) -> list[int]:
    """easyocr's ``[x_min, x_max, y_min, y_max]`` at detection scale -> full-size pixels, widened
    by ``padding`` (sides, top, bottom) x text height. easyocr's own margin is a fraction of
    the smaller side, which leaves single characters and underscores at the crop's edge."""
    width, height_limit = size
    x_min, x_max, y_min, y_max = (v / scale for v in box[:4])
    height = y_max - y_min
    sides, top, bottom = padding
    return [
        max(0, math.floor(x_min - sides * height)),
        min(width, math.ceil(x_max + sides * height)),
        max(0, math.floor(y_min - top * height)),
        min(height_limit, math.ceil(y_max + bottom * height)),
    ]


def pad_quad(quad: Sequence[Sequence[float]], scale: float, padding: Padding) -> list[list[float]]:
    """A rotated box (top-left, top-right, bottom-right, bottom-left) -> full-size pixels,
    widened along its own axes by the largest of ``padding`` x its height."""
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = ((x / scale, y / scale) for x, y in quad)
    width = math.hypot(bx - ax, by - ay) or 1.0
    height = math.hypot(dx - ax, dy - ay) or 1.0
    pad = max(padding) * height
    ux, uy = (bx - ax) / width * pad, (by - ay) / width * pad
    vx, vy = (dx - ax) / height * pad, (dy - ay) / height * pad
    return [
        [ax - ux - vx, ay - uy - vy],
        [bx + ux - vx, by + uy - vy],
        [cx + ux + vx, cy + uy + vy],
        [dx - ux + vx, dy - uy + vy],
    ]
