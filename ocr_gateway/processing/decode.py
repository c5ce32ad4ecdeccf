"""Decode page image bytes with Pillow, refusing decompression bombs before decoding.

Pillow opens lazily: ``Image.open`` reads only the header, so the pixel count is checked before
a single row is decompressed. Only the formats in ``formats`` are tried (never EPS, which runs
Ghostscript). The EXIF orientation is applied so that boxes match what a viewer shows.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

DEFAULT_FORMATS = ("PNG", "JPEG", "TIFF", "WEBP", "BMP", "GIF")


class ImageRejected(Exception):
    """Bytes that are not an acceptable image; ``code`` is ``not_an_image`` or ``too_many_pixels``."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class ImageProperties:
    width: int
    height: int
    format: str
    mode: str
    dpi: tuple[float, float] | None
    bytes: int
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "mode": self.mode,
            "dpi": list(self.dpi) if self.dpi else None,
            "bytes": self.bytes,
            "sha256": self.sha256,
        }


def decode_image(
    data: bytes, *, max_pixels: int, formats: Sequence[str] = DEFAULT_FORMATS
) -> tuple[Image.Image, ImageProperties]:
    """Decoded first frame of ``data`` and its properties; raises ``ImageRejected``."""
    image = _open(data, max_pixels=max_pixels, formats=formats)
    image_format = image.format or "unknown"
    dpi = _dpi(image.info.get("dpi"))
    try:
        image.load()
        oriented = _orient(image)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected(f"the image data is corrupt: {exc}", code="not_an_image") from exc
    properties = ImageProperties(
        width=oriented.width,
        height=oriented.height,
        format=image_format,
        mode=oriented.mode,
        dpi=dpi,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return oriented, properties


def _open(data: bytes, *, max_pixels: int, formats: Sequence[str]) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=list(formats))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own limit (~89 MP warns, twice that raises); a warning only arrives here when
        # warnings are errors (as in the test suite), otherwise it is logged and we refuse below.
        raise ImageRejected(f"the image is too large: {exc}", code="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        allowed = ", ".join(formats)
        raise ImageRejected(
            f"the content is not a decodable image (accepted formats: {allowed})",
            code="not_an_image",
        ) from exc
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected("the image has no pixels", code="not_an_image")
    if width * height > max_pixels:
        raise ImageRejected(
            f"the image has {width}x{height} = {width * height} pixels, "
            f"more than the limit of {max_pixels}",
            code="too_many_pixels",
        )
    return image


def _orient(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation (phone photos); copy nothing when there is none."""
    if image.getexif().get(ExifTags.Base.Orientation, 1) in (None, 1):
        return image
    return ImageOps.exif_transpose(image)


def _dpi(value: Any) -> tuple[float, float] | None:
    try:
        x, y = (round(float(v), 2) for v in value)
    except (TypeError, ValueError):
        return None
    return (x, y) if x > 0 and y > 0 else None
