"""The torch-free ports in easyocr_parts give what easyocr's originals give, input for input."""

from __future__ import annotations

import importlib
import os
import random
from typing import Any

import numpy as np
import pytest

from ocr_gateway.processing import easyocr_parts as parts
from ocr_gateway.processing import onnx_samples


def easyocr_module(name: str) -> Any:
    """easyocr's module ``name``: skipped without easyocr, except under CI=true (the Makefile
    installs it there), where a missing easyocr fails like a missing PostgreSQL does."""
    if os.environ.get("CI"):
        return importlib.import_module(name)
    return pytest.importorskip(name)


easyocr_utils = easyocr_module("easyocr.utils")
easyocr_imgproc = easyocr_module("easyocr.imgproc")
easyocr_recognition = easyocr_module("easyocr.recognition")


def quads(count: int, seed: int) -> list[np.ndarray]:
    """CRAFT-like int32 quadrilaterals: mostly level words on a few lines, some tilted."""
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        x, y = rng.randint(0, 900), rng.choice((40, 42, 80, 200, 205, 400)) + rng.randint(0, 3)
        w, h = rng.randint(8, 200), rng.randint(8, 30)
        tilt = rng.choice((0, 0, 0, rng.randint(-25, 25)))
        box = [x, y, x + w, y + tilt, x + w, y + h + tilt, x, y + h]
        result.append(np.array(box, dtype=np.int32))
    return result


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("merge_gap", [0.5, 1.0])
def test_group_text_box_matches_easyocr(seed: int, merge_gap: float) -> None:
    polys = quads(40, seed)
    for margin in (0.0, 0.1):
        ours = parts.group_text_box(polys, 0.1, 0.5, 0.5, merge_gap, margin, True)
        theirs = easyocr_utils.group_text_box(polys, 0.1, 0.5, 0.5, merge_gap, margin, True)
        assert ours[0] == theirs[0]
        np.testing.assert_allclose(np.array(ours[1]), np.array(theirs[1]))


def test_detection_preprocessing_matches_easyocr() -> None:
    rgb = onnx_samples.pages(1, seed=3)[0][:301, :517]
    ours, ratio = parts.resize_aspect_ratio(rgb, max(rgb.shape[:2]))
    theirs, their_ratio, _ = easyocr_imgproc.resize_aspect_ratio(rgb, max(rgb.shape[:2]), 1)
    assert ratio == their_ratio
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(
        parts.normalize_mean_variance(ours), easyocr_imgproc.normalizeMeanVariance(theirs)
    )


def easyocr_crop(horizontal: list, free: list, grey: np.ndarray) -> tuple:
    """((points, crop), padded width) of the one box, as easyocr cuts it."""
    image_list, max_width = easyocr_utils.get_image_list(horizontal, free, grey, model_height=64)
    return image_list[0], max_width


def test_crops_and_padded_width_match_get_image_list() -> None:
    grey = np.asarray(onnx_samples.page(640, 480, seed=9).convert("L"))
    for box in ([10, 300, 20, 52], [100, 130, 200, 260], [600, 700, 400, 480]):
        ours = parts.horizontal_crop(grey, box)
        assert ours is not None
        (points, crop), max_width = easyocr_crop([box], [], grey)
        assert ours[0] == points
        np.testing.assert_array_equal(ours[1], crop)
        assert parts.batch_width(ours[2]) == max_width
    quad = [[50.0, 60.0], [250.0, 90.0], [245.0, 125.0], [45.0, 95.0]]
    free = parts.free_crop(grey, quad)
    assert free is not None
    (_points, crop), max_width = easyocr_crop([], [quad], grey)
    np.testing.assert_array_equal(free[1], crop)
    assert parts.batch_width(free[2]) == max_width


@pytest.mark.parametrize("adjust_contrast", [0.0, 0.5])
def test_collate_matches_align_collate(adjust_contrast: float) -> None:
    from PIL import Image

    crops = [
        parts.compute_ratio_and_resize(c, c.shape[1], c.shape[0], 64)[0]
        for c in onnx_samples.crops(6, seed=1)
    ]
    crops[0] = (crops[0] // 4 + 120).astype(np.uint8)  # low contrast: gets stretched
    width = max(parts.batch_width(c.shape[1] / c.shape[0]) for c in crops)
    collate = easyocr_recognition.AlignCollate(
        imgH=64, imgW=width, keep_ratio_with_pad=True, adjust_contrast=adjust_contrast
    )
    theirs = collate([Image.fromarray(c, "L") for c in crops]).numpy()
    np.testing.assert_allclose(
        parts.collate(crops, width, adjust_contrast=adjust_contrast), theirs, atol=1e-6
    )


def test_decoding_matches_the_ctc_converter() -> None:
    rng = np.random.default_rng(4)
    characters = "0123456789abc"
    converter = easyocr_utils.CTCLabelConverter(characters)
    logits = rng.normal(size=(3, 20, len(characters) + 1)).astype(np.float32) * 4
    ignore = [3, 7]
    probs = parts.probabilities(logits, ignore)
    import torch

    expected = torch.nn.functional.softmax(torch.from_numpy(logits), dim=2).numpy()
    expected[:, :, ignore] = 0.0
    expected = expected / np.expand_dims(expected.sum(axis=2), axis=-1)
    np.testing.assert_allclose(probs, expected, atol=1e-6)
    texts = converter.decode_greedy(probs.argmax(axis=2).reshape(-1), [20, 20, 20])
    ours = parts.decode_greedy(probs, converter.character, converter.ignore_idx)
    assert [text for text, _ in ours] == texts
    for (_text, confidence), row in zip(ours, probs, strict=True):
        kept = row.max(axis=1)[row.argmax(axis=1) != 0]
        assert confidence == pytest.approx(easyocr_recognition.custom_mean(kept), rel=1e-6)
