"""easyocr's recogniser (english_g2: VGG + BiLSTM + CTC) on ONNX Runtime, crops batched by width.

``recognize(session, spec, grey, horizontal, free)`` returns what easyocr's
``Reader.recognize(grey, horizontal, free, reformat=False, detail=1)`` returns on a CPU:
``(corner points, text, confidence)`` per box, horizontal boxes first. easyocr reads box by
box there; each crop is resized to height 64 and right-padded (with copies of its last
column) to ``ceil(width / height) * 64``. Crops that get the same padded width therefore get
identical input tensors whether read alone or together, so they are batched by that width
(``batch_width``) without changing a result; a batch is capped at ``max_batch_pixels``.

As in easyocr's ``get_text``, readings below ``contrast_ths`` confidence are read again with
their contrast stretched (``adjust_contrast``), and the more confident reading is kept.
Beyond easyocr, readings still below ``vote_below`` (least sure first, within
``vote_max_width`` px of crops a page) are read from altered copies of their crop
(``crop_variants.VARIANTS``: the first few, then the rest where those disagree, each batch of
copies batched by width) and the reading the copies agree with is kept
(``crop_variants.agreed``); ``vote_below=0`` reads as easyocr does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ocr_gateway.processing import crop_variants
from ocr_gateway.processing import easyocr_parts as parts

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Reading = tuple[list[list[Any]], str, float]


@dataclass(frozen=True)
class RecognizerSpec:
    """What decoding needs besides the network (recorded at export from easyocr's Reader)."""

    characters: tuple[str, ...]  # index 0 is CTC's blank
    ignore_idx: tuple[int, ...]  # characters outside the language set: zeroed, renormalised
    blank_idx: tuple[int, ...]  # dropped from the decoded text
    contrast_ths: float = 0.1
    adjust_contrast: float = 0.5
    max_batch_pixels: int = 64 * 4096 * 8
    vote_below: float = 0.0  # 0: no reading of altered copies
    vote_max_width: int = 12_288  # px at the model's height: the least sure crops of a page
    # are voted on until their widths reach it (a receipt's unsure crops: 3,500-11,300 px)


def recognize(
    session: Any,
    spec: RecognizerSpec,
    grey: npt.NDArray[np.uint8],
    horizontal: Sequence[Sequence[int]],
    free: Sequence[Sequence[Sequence[float]]],
) -> list[Reading]:
    cut = [parts.horizontal_crop(grey, box) for box in horizontal]
    cut += [parts.free_crop(grey, quad) for quad in free]
    crops = [c for c in cut if c is not None]
    if not crops:
        return []
    images = [crop for _points, crop, _ratio in crops]
    widths = [parts.batch_width(ratio) for _points, _crop, ratio in crops]
    first = _read(session, spec, images, widths, adjust_contrast=0.0)
    again = [i for i, (_text, confidence) in enumerate(first) if confidence < spec.contrast_ths]
    if again:
        second = _read(
            session,
            spec,
            [images[i] for i in again],
            [widths[i] for i in again],
            adjust_contrast=spec.adjust_contrast,
        )
        for i, reading in zip(again, second, strict=True):
            if not first[i][1] > reading[1]:
                first[i] = reading
    if spec.vote_below > 0:
        _vote(session, spec, images, first)
    return [
        (points, text, confidence)
        for (points, _crop, _ratio), (text, confidence) in zip(crops, first, strict=True)
    ]


def _read(
    session: Any,
    spec: RecognizerSpec,
    images: Sequence[npt.NDArray[np.uint8]],
    widths: Sequence[int],
    *,
    adjust_contrast: float,
) -> list[tuple[str, float]]:
    """(text, confidence) per crop, in order; crops of one padded width share a batch."""
    results: list[tuple[str, float]] = [("", 0.0)] * len(images)
    for width, members in _by_width(widths).items():
        per_batch = max(1, spec.max_batch_pixels // (parts.MODEL_HEIGHT * width))
        for start in range(0, len(members), per_batch):
            chunk = members[start : start + per_batch]
            batch = parts.collate(
                [images[i] for i in chunk], width, adjust_contrast=adjust_contrast
            )
            (logits,) = session.run(["logits"], {"image": batch})
            probs = parts.probabilities(logits, spec.ignore_idx)
            for i, reading in zip(
                chunk, parts.decode_greedy(probs, spec.characters, spec.blank_idx), strict=True
            ):
                results[i] = reading
    return results


def _vote(
    session: Any,
    spec: RecognizerSpec,
    images: Sequence[npt.NDArray[np.uint8]],
    readings: list[tuple[str, float]],
) -> None:
    """The readings below ``spec.vote_below``, least sure first while their crops' widths stay
    within ``spec.vote_max_width`` (a bound on the cost of a dense page): replaced by the one
    their crop's altered copies agree with. The first copies of every unsure crop are read in
    one pass (batched by width); the other copies only of crops where a first copy read
    something else."""
    unsure, width = [], 0
    for i in sorted(range(len(readings)), key=lambda i: readings[i][1]):
        width += images[i].shape[1]
        if readings[i][1] >= spec.vote_below or width > spec.vote_max_width:
            break
        unsure.append(i)
    first = _read_copies(
        session, spec, images, unsure, crop_variants.VARIANTS[: crop_variants.FIRST]
    )
    split = [i for i in unsure if any(text != readings[i][0] for text, _c in first[i])]
    rest = _read_copies(session, spec, images, split, crop_variants.VARIANTS[crop_variants.FIRST :])
    for i in split:
        readings[i] = crop_variants.agreed([readings[i], *first[i], *rest[i]])


def _read_copies(
    session: Any,
    spec: RecognizerSpec,
    images: Sequence[npt.NDArray[np.uint8]],
    crops: Sequence[int],
    variants: Sequence[crop_variants.Variant],
) -> dict[int, list[tuple[str, float]]]:
    """Crop index -> its copies' readings, one per variant; every copy read in one pass."""
    if not crops:
        return {}
    copies = [variant(images[i]) for i in crops for variant in variants]
    widths = [parts.batch_width(copy.shape[1] / copy.shape[0]) for copy in copies]
    read = _read(session, spec, copies, widths, adjust_contrast=0.0)
    n = len(variants)
    return {i: read[k * n : (k + 1) * n] for k, i in enumerate(crops)}


def _by_width(widths: Sequence[int]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for index, width in enumerate(widths):
        groups[width].append(index)
    return groups
