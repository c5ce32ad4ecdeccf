"""easyocr's pre- and post-processing, without torch.

The ONNX engine must not import torch (it costs ~2.4 s and ~900 MB per process), but
``import easyocr.<anything>`` runs ``easyocr/__init__.py``, which imports torch. So:

- ``craft_utils()`` loads easyocr's own ``craft_utils.py`` (``getDetBoxes``,
  ``adjustResultCoordinates``: numpy, cv2 and scipy only) from the installed package by path,
  under a private module name, without running the package's ``__init__``;
- the few functions easyocr keeps in torch-importing modules are ported here line for line
  (same arithmetic, same order, same quirks), each naming its original:
  ``imgproc.normalizeMeanVariance`` / ``resize_aspect_ratio`` (imgproc imports scikit-image),
  ``utils.group_text_box`` / ``diff`` / ``four_point_transform`` / ``get_image_list`` /
  ``CTCLabelConverter.decode_greedy``, and ``recognition.adjust_contrast_grey`` /
  ``custom_mean`` / ``AlignCollate`` + ``NormalizePAD`` / the softmax-and-renormalise of
  ``recognizer_predict``. ``tests/processing/test_easyocr_parts.py`` checks each port against
  easyocr's original on the same inputs.

Everything here takes and returns numpy arrays; imports are lazy (the API process imports the
processing package).
"""

from __future__ import annotations

import functools
import importlib.util
import math
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

    # Loose on purpose: cv2 and numpy arithmetic widen dtypes in ways the stubs cannot follow.
    FloatArray = npt.NDArray[Any]
    ByteArray = npt.NDArray[Any]

CRAFT_MEAN = (0.485, 0.456, 0.406)
CRAFT_VARIANCE = (0.229, 0.224, 0.225)
MODEL_HEIGHT = 64  # easyocr's recogniser input height (imgH)
# cv2.INTER_LINEAR: easyocr passes PIL's Image.Resampling.LANCZOS (== 1) to cv2.resize,
# which cv2 reads as INTER_LINEAR. Kept, so that crops match easyocr's exactly.
EASYOCR_CROP_INTERPOLATION = 1


@functools.cache
def craft_utils() -> ModuleType:
    """easyocr's ``craft_utils`` module, loaded without importing the easyocr package."""
    spec = importlib.util.find_spec("easyocr")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("easyocr is not installed")
    path = f"{next(iter(spec.submodule_search_locations))}/craft_utils.py"
    module_spec = importlib.util.spec_from_file_location("ocr_gateway._easyocr_craft_utils", path)
    if module_spec is None or module_spec.loader is None:
        raise ModuleNotFoundError(f"cannot load {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ detection (CRAFT)


def normalize_mean_variance(image: ByteArray) -> FloatArray:
    """``imgproc.normalizeMeanVariance``: RGB uint8 -> float32 standardised per channel."""
    import numpy as np

    out = image.copy().astype(np.float32)
    out -= np.array([m * 255.0 for m in CRAFT_MEAN], dtype=np.float32)
    out /= np.array([v * 255.0 for v in CRAFT_VARIANCE], dtype=np.float32)
    return out


def resize_aspect_ratio(
    image: FloatArray | ByteArray, square_size: int, mag_ratio: float = 1.0
) -> tuple[FloatArray, float]:
    """``imgproc.resize_aspect_ratio`` (INTER_LINEAR): scaled so the long side is at most
    ``square_size``, then zero-padded to multiples of 32. Returns (canvas, ratio)."""
    import cv2
    import numpy as np

    height, width, channels = image.shape
    target_size = mag_ratio * max(height, width)
    if target_size > square_size:
        target_size = square_size
    ratio = target_size / max(height, width)
    target_h, target_w = int(height * ratio), int(width * ratio)
    resized = cv2.resize(image, (target_w, target_h), interpolation=cv2.INTER_LINEAR)
    canvas = np.zeros((_ceil32(target_h), _ceil32(target_w), channels), dtype=np.float32)
    canvas[0:target_h, 0:target_w, :] = resized
    return canvas, ratio


def _ceil32(value: int) -> int:
    return value if value % 32 == 0 else value + (32 - value % 32)


def diff(values: Sequence[float]) -> float:
    """``utils.diff``."""
    return max(values) - min(values)


def group_text_box(
    polys: Sequence[Any],
    slope_ths: float = 0.1,
    ycenter_ths: float = 0.5,
    height_ths: float = 0.5,
    width_ths: float = 1.0,
    add_margin: float = 0.05,
    sort_output: bool = True,
) -> tuple[list[list[Any]], list[list[list[Any]]]]:
    """``utils.group_text_box``: CRAFT's quadrilaterals -> horizontal boxes merged along lines
    (``[x_min, x_max, y_min, y_max]``) and free (rotated) quadrilaterals."""
    horizontal, free = _split_by_slope(polys, slope_ths, add_margin)
    if sort_output:
        horizontal = sorted(horizontal, key=lambda item: item[4])
    merged: list[list[Any]] = []
    for boxes in _combine_lines(horizontal, ycenter_ths):
        merged.extend(_merge_line(boxes, height_ths, width_ths, add_margin))
    return merged, free


def _split_by_slope(
    polys: Sequence[Any], slope_ths: float, add_margin: float
) -> tuple[list[list[Any]], list[list[list[Any]]]]:
    import numpy as np

    horizontal: list[list[Any]] = []
    free: list[list[list[Any]]] = []
    for poly in polys:
        slope_up = (poly[3] - poly[1]) / np.maximum(10, (poly[2] - poly[0]))
        slope_down = (poly[5] - poly[7]) / np.maximum(10, (poly[4] - poly[6]))
        if max(abs(slope_up), abs(slope_down)) < slope_ths:
            x_max = max([poly[0], poly[2], poly[4], poly[6]])
            x_min = min([poly[0], poly[2], poly[4], poly[6]])
            y_max = max([poly[1], poly[3], poly[5], poly[7]])
            y_min = min([poly[1], poly[3], poly[5], poly[7]])
            horizontal.append([x_min, x_max, y_min, y_max, 0.5 * (y_min + y_max), y_max - y_min])
        else:
            free.append(_free_quad(poly, add_margin))
    return horizontal, free


def _free_quad(poly: Any, add_margin: float) -> list[list[Any]]:
    import numpy as np

    height = np.linalg.norm([poly[6] - poly[0], poly[7] - poly[1]])
    width = np.linalg.norm([poly[2] - poly[0], poly[3] - poly[1]])
    margin = int(1.44 * add_margin * min(width, height))
    theta13 = abs(np.arctan((poly[1] - poly[5]) / np.maximum(10, (poly[0] - poly[4]))))
    theta24 = abs(np.arctan((poly[3] - poly[7]) / np.maximum(10, (poly[2] - poly[6]))))
    return [
        [poly[0] - np.cos(theta13) * margin, poly[1] - np.sin(theta13) * margin],
        [poly[2] + np.cos(theta24) * margin, poly[3] - np.sin(theta24) * margin],
        [poly[4] + np.cos(theta13) * margin, poly[5] + np.sin(theta13) * margin],
        [poly[6] - np.cos(theta24) * margin, poly[7] + np.sin(theta24) * margin],
    ]


def _combine_lines(horizontal: list[list[Any]], ycenter_ths: float) -> list[list[list[Any]]]:
    import numpy as np

    combined: list[list[list[Any]]] = []
    new_box: list[list[Any]] = []
    b_height: list[Any] = []
    b_ycenter: list[Any] = []
    for poly in horizontal:
        if not new_box:
            b_height, b_ycenter = [poly[5]], [poly[4]]
            new_box.append(poly)
        elif abs(np.mean(b_ycenter) - poly[4]) < ycenter_ths * np.mean(b_height):
            b_height.append(poly[5])
            b_ycenter.append(poly[4])
            new_box.append(poly)
        else:
            b_height, b_ycenter = [poly[5]], [poly[4]]
            combined.append(new_box)
            new_box = [poly]
    combined.append(new_box)
    return combined


def _merge_line(
    boxes: list[list[Any]], height_ths: float, width_ths: float, add_margin: float
) -> list[list[Any]]:
    import numpy as np

    if len(boxes) == 1:
        box = boxes[0]
        margin = int(add_margin * min(box[1] - box[0], box[5]))
        return [[box[0] - margin, box[1] + margin, box[2] - margin, box[3] + margin]]
    groups: list[list[list[Any]]] = []
    new_box: list[list[Any]] = []
    b_height: list[Any] = []
    x_max: Any = 0
    for box in sorted(boxes, key=lambda item: item[0]):
        if new_box and (
            abs(np.mean(b_height) - box[5]) < height_ths * np.mean(b_height)
            and (box[0] - x_max) < width_ths * (box[3] - box[2])
        ):
            b_height.append(box[5])
            new_box.append(box)
        else:
            if new_box:
                groups.append(new_box)
            b_height, new_box = [box[5]], [box]
        x_max = box[1]
    if new_box:
        groups.append(new_box)
    return [_enclose(group, add_margin) for group in groups]


def _enclose(group: list[list[Any]], add_margin: float) -> list[Any]:
    x_min = min(group, key=lambda x: x[0])[0]
    x_max = max(group, key=lambda x: x[1])[1]
    y_min = min(group, key=lambda x: x[2])[2]
    y_max = max(group, key=lambda x: x[3])[3]
    margin = int(add_margin * (min(x_max - x_min, y_max - y_min)))
    return [x_min - margin, x_max + margin, y_min - margin, y_max + margin]


# ------------------------------------------------------------------ recognition crops


def calculate_ratio(width: float, height: float) -> float:
    """``utils.calculate_ratio``: width/height, inverted for vertical text."""
    ratio = width / height
    return 1.0 / ratio if ratio < 1.0 else ratio


def compute_ratio_and_resize(
    image: ByteArray, width: int, height: int, model_height: int
) -> tuple[ByteArray, float]:
    """``utils.compute_ratio_and_resize``."""
    import cv2

    ratio = width / height
    if ratio < 1.0:
        ratio = calculate_ratio(width, height)
        size = (model_height, int(model_height * ratio))
    else:
        size = (int(model_height * ratio), model_height)
    return cv2.resize(image, size, interpolation=EASYOCR_CROP_INTERPOLATION), ratio


def four_point_transform(image: ByteArray, rect: FloatArray) -> ByteArray:
    """``utils.four_point_transform``: the quadrilateral ``rect`` warped upright."""
    import cv2
    import numpy as np

    tl, tr, br, bl = rect
    width_a = np.sqrt(((br[0] - bl[0]) ** 2) + ((br[1] - bl[1]) ** 2))
    width_b = np.sqrt(((tr[0] - tl[0]) ** 2) + ((tr[1] - tl[1]) ** 2))
    max_width = max(int(width_a), int(width_b))
    height_a = np.sqrt(((tr[0] - br[0]) ** 2) + ((tr[1] - br[1]) ** 2))
    height_b = np.sqrt(((tl[0] - bl[0]) ** 2) + ((tl[1] - bl[1]) ** 2))
    max_height = max(int(height_a), int(height_b))
    dst = np.array(
        [[0, 0], [max_width - 1, 0], [max_width - 1, max_height - 1], [0, max_height - 1]],
        dtype="float32",
    )
    matrix = cv2.getPerspectiveTransform(rect, dst)
    warped: ByteArray = cv2.warpPerspective(image, matrix, (max_width, max_height))
    return warped


def horizontal_crop(
    grey: ByteArray, box: Sequence[int], model_height: int = MODEL_HEIGHT
) -> tuple[list[list[Any]], ByteArray, float] | None:
    """One horizontal box as ``utils.get_image_list`` cuts it: (corner points, crop resized to
    ``model_height``, its width/height ratio), or None for an empty box."""
    maximum_y, maximum_x = grey.shape
    x_min, x_max = max(0, box[0]), min(box[1], maximum_x)
    y_min, y_max = max(0, box[2]), min(box[3], maximum_y)
    width, height = x_max - x_min, y_max - y_min
    if height <= 0 or width <= 0 or int(model_height * calculate_ratio(width, height)) == 0:
        return None
    crop, ratio = compute_ratio_and_resize(
        grey[y_min:y_max, x_min:x_max], width, height, model_height
    )
    points = [[x_min, y_min], [x_max, y_min], [x_max, y_max], [x_min, y_max]]
    return points, crop, ratio


def free_crop(
    grey: ByteArray, quad: Sequence[Sequence[float]], model_height: int = MODEL_HEIGHT
) -> tuple[list[list[Any]], ByteArray, float] | None:
    """One rotated box as ``utils.get_image_list`` cuts it (see ``horizontal_crop``)."""
    import numpy as np

    warped = four_point_transform(grey, np.array(quad, dtype="float32"))
    height, width = warped.shape[:2]
    if height <= 0 or width <= 0 or int(model_height * calculate_ratio(width, height)) == 0:
        return None
    crop, ratio = compute_ratio_and_resize(warped, width, height, model_height)
    return [list(point) for point in quad], crop, ratio


def batch_width(ratio: float, model_height: int = MODEL_HEIGHT) -> int:
    """The padded input width easyocr gives a crop read on its own (``get_image_list``'s
    ``max_width`` for one box): ``ceil(max(ratio, 1)) * model_height``."""
    return math.ceil(max(ratio, 1.0)) * model_height


def contrast_grey(image: ByteArray) -> tuple[float, float, float]:
    """``recognition.contrast_grey``."""
    import numpy as np

    high = np.percentile(image, 90)
    low = np.percentile(image, 10)
    return float((high - low) / np.maximum(10, high + low)), float(high), float(low)


def adjust_contrast_grey(image: ByteArray, target: float = 0.4) -> ByteArray:
    """``recognition.adjust_contrast_grey``: stretch a low-contrast crop."""
    import numpy as np

    contrast, high, low = contrast_grey(image)
    if contrast >= target:
        return image
    ratio = 200.0 / np.maximum(10, high - low)
    stretched = (image.astype(int) - low + 25) * ratio
    clipped: ByteArray = np.maximum(
        np.full(stretched.shape, 0), np.minimum(np.full(stretched.shape, 255), stretched)
    ).astype(np.uint8)
    return clipped


def collate(
    crops: Sequence[ByteArray],
    width: int,
    *,
    adjust_contrast: float = 0.0,
    model_height: int = MODEL_HEIGHT,
) -> FloatArray:
    """``recognition.AlignCollate(keep_ratio_with_pad=True)`` + ``NormalizePAD``: crops ->
    ``[n, 1, model_height, width]`` in -1..1, each resized (bicubic) to its own width and
    right-padded with copies of its last column."""
    import numpy as np
    from PIL import Image

    batch = np.zeros((len(crops), 1, model_height, width), dtype=np.float32)
    for index, crop in enumerate(crops):
        if adjust_contrast > 0:
            crop = adjust_contrast_grey(crop, target=adjust_contrast)
        image = Image.fromarray(crop, "L")
        w, h = image.size
        resized_w = min(width, math.ceil(model_height * (w / float(h))))
        resized = image.resize((resized_w, model_height), Image.Resampling.BICUBIC)
        pixels = np.asarray(resized, dtype=np.float32) / 255.0
        pixels = (pixels - 0.5) / 0.5
        batch[index, 0, :, :resized_w] = pixels
        if resized_w != width:
            batch[index, 0, :, resized_w:] = pixels[:, resized_w - 1 : resized_w]
    return batch


# ------------------------------------------------------------------ recognition decoding


def probabilities(logits: FloatArray, ignore_idx: Sequence[int]) -> FloatArray:
    """``recognizer_predict``'s softmax, with the characters outside the language zeroed and
    the rest renormalised."""
    import numpy as np

    shifted = logits - logits.max(axis=2, keepdims=True)
    exp = np.exp(shifted)
    probs: FloatArray = exp / exp.sum(axis=2, keepdims=True)
    if ignore_idx:
        probs[:, :, list(ignore_idx)] = 0.0
        probs = probs / np.expand_dims(probs.sum(axis=2), axis=-1)
    return probs.astype(np.float32)


def decode_greedy(
    probs: FloatArray, characters: Sequence[str], blank_idx: Sequence[int]
) -> list[tuple[str, float]]:
    """``CTCLabelConverter.decode_greedy`` + ``custom_mean``: (text, confidence) per row."""
    import numpy as np

    indices = probs.argmax(axis=2)
    values = probs.max(axis=2)
    table = np.array(characters)
    results: list[tuple[str, float]] = []
    for row, value in zip(indices, values, strict=True):
        keep = np.insert(~(row[1:] == row[:-1]), 0, True) & ~np.isin(row, np.array(blank_idx))
        text = "".join(table[row[keep.nonzero()]])
        max_probs = value[row != 0]
        results.append((text, custom_mean(max_probs if len(max_probs) else np.array([0]))))
    return results


def custom_mean(values: npt.NDArray[Any]) -> float:
    """``recognition.custom_mean``: the confidence of a whole reading."""
    import numpy as np

    return float(values.prod() ** (2.0 / np.sqrt(len(values))))
