"""CRAFT text detection on ONNX Runtime, with easyocr's pre- and post-processing.

``detect(session, rgb, ...)`` returns exactly what easyocr's ``Reader.detect(rgb,
reformat=False, canvas_size=max side, mag_ratio=1, ...)`` returns for one image, at the
image's own scale: horizontal boxes ``[x_min, x_max, y_min, y_max]`` merged along text lines,
and free (rotated) quadrilaterals. The steps, as easyocr's ``detection.test_net`` and
``Reader.detect`` run them:

1. zero-pad to multiples of 32, standardise (``resize_aspect_ratio``,
   ``normalizeMeanVariance``);
2. CRAFT -> region and affinity score maps at half resolution;
3. ``craft_utils.getDetBoxes`` (easyocr's own module): connected components of the thresholded
   maps -> quadrilaterals, scaled back x2 and truncated to integers;
4. ``group_text_box`` merges boxes along lines; boxes no larger than ``min_size`` are dropped.

``choose_detection_side`` sets the detection resolution from the page's text height.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ocr_gateway.processing import easyocr_parts as parts

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True)
class DetectionParams:
    text_threshold: float = 0.5
    low_text: float = 0.3
    link_threshold: float = 0.4
    merge_gap: float = 0.5  # easyocr's width_ths: merge boxes closer than this x text height
    min_size: int = 8


def warm_up() -> None:
    """Import the post-processing (easyocr's craft_utils, scipy) before the first page."""
    parts.craft_utils()


def score_maps(session: Any, rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """CRAFT's ``[h/2, w/2, 2]`` region/affinity scores for an RGB image (padded to /32)."""
    import numpy as np

    canvas, _ratio = parts.resize_aspect_ratio(rgb, max(rgb.shape[:2]))
    batch = np.ascontiguousarray(parts.normalize_mean_variance(canvas).transpose(2, 0, 1)[None])
    (scores,) = session.run(["y"], {"image": batch})
    result: npt.NDArray[np.float32] = scores[0]
    return result


def detect(
    session: Any, rgb: npt.NDArray[np.uint8], params: DetectionParams
) -> tuple[list[list[Any]], list[list[list[Any]]]]:
    """(horizontal boxes, free quadrilaterals) in ``rgb``'s pixels, as easyocr finds them."""
    scores = score_maps(session, rgb)
    polys = quadrilaterals(scores, params)
    horizontal, free = parts.group_text_box(
        polys, 0.1, 0.5, 0.5, params.merge_gap, 0.0, sort_output=True
    )
    if params.min_size:
        horizontal = [b for b in horizontal if max(b[1] - b[0], b[3] - b[2]) > params.min_size]
        free = [
            q
            for q in free
            if max(parts.diff([c[0] for c in q]), parts.diff([c[1] for c in q])) > params.min_size
        ]
    return horizontal, free


def quadrilaterals(
    scores: npt.NDArray[np.float32], params: DetectionParams
) -> list[npt.NDArray[np.int32]]:
    """``getDetBoxes`` + ``adjustResultCoordinates`` (x2) + easyocr's int32 truncation."""
    import numpy as np

    craft_utils = parts.craft_utils()
    boxes, _polys, _mapper = craft_utils.getDetBoxes(
        scores[:, :, 0],
        scores[:, :, 1],
        params.text_threshold,
        params.link_threshold,
        params.low_text,
        False,
    )
    adjusted = craft_utils.adjustResultCoordinates(boxes, 1.0, 1.0)
    return [np.array(box).astype(np.int32).reshape(-1) for box in adjusted]
