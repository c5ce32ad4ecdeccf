"""Unsure crops read again from altered copies: which reading is kept, and when it is read."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from ocr_gateway.processing import crop_variants, recognizer
from ocr_gateway.processing.onnx_engine import OnnxOcrEngine, engine_version

SPEC = recognizer.RecognizerSpec(characters=("",), ignore_idx=(), blank_idx=(0,))


def test_the_reading_the_copies_agree_with_is_kept() -> None:
    readings = [("T0TAL", 0.41), ("TOTAL", 0.38), ("TOTAL", 0.35), ("TOTA1", 0.52)]
    assert crop_variants.agreed(readings) == ("TOTAL", 0.38)


def test_the_original_wins_a_tie_and_a_reading_all_share() -> None:
    assert crop_variants.agreed([("RM 7.60", 0.4), ("RM 7.80", 0.6)]) == ("RM 7.60", 0.4)
    assert crop_variants.agreed([("12.90", 0.3)] * 3) == ("12.90", 0.3)


def test_the_nearest_reading_wins_when_none_repeats() -> None:
    # "SDN BHD" is one edit from each of the others; they are two apart from each other.
    readings = [("SDw BHD", 0.2), ("SDN BHD", 0.3), ("SDN 8HD", 0.25), ("SLN BHD", 0.1)]
    assert crop_variants.agreed(readings)[0] == "SDN BHD"


def test_every_copy_is_a_grey_crop_of_the_model_height() -> None:
    crop = np.random.default_rng(5).integers(0, 256, (64, 140), dtype=np.uint8)
    copies = [variant(crop) for variant in crop_variants.VARIANTS]
    assert all(c.dtype == np.uint8 and c.ndim == 2 and c.shape[0] == 64 for c in copies)
    assert sorted({c.shape[1] for c in copies}) == [122, 140, 161]  # the stretched two
    assert not any(np.array_equal(c, crop) for c in copies)


class ScriptedReads:
    """``recognizer._read`` answering from a script: what each call was asked to read."""

    def __init__(self, answers: Sequence[Sequence[tuple[str, float]]]) -> None:
        self.answers = list(answers)
        self.asked: list[int] = []

    def __call__(self, _session: Any, _spec: Any, images: Sequence[Any], *_a: Any, **_k: Any):
        self.asked.append(len(images))
        return list(self.answers.pop(0))


def read_two_boxes(
    monkeypatch: pytest.MonkeyPatch, spec: recognizer.RecognizerSpec, reads: ScriptedReads
) -> list[str]:
    monkeypatch.setattr(recognizer, "_read", reads)
    grey = np.full((100, 400), 255, dtype=np.uint8)
    grey[20:40, 10:200] = 0
    boxes = [[10, 200, 20, 40], [10, 300, 60, 80]]
    return [text for _points, text, _conf in recognizer.recognize(None, spec, grey, boxes, [])]


VOTING = recognizer.RecognizerSpec(characters=("",), ignore_idx=(), blank_idx=(0,), vote_below=0.9)
FIRST = crop_variants.FIRST
REST = len(crop_variants.VARIANTS) - FIRST


def test_only_the_unsure_crop_is_read_from_its_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    first = [("TOTAL", 0.6)] * (FIRST - 1) + [("T0TAL", 0.3)]
    rest = [("TOTAL", 0.6)] * (REST - 2) + [("T0TAL", 0.3)] * 2
    reads = ScriptedReads([[("TOTA1", 0.45), ("Thank you", 0.97)], first, rest])
    assert read_two_boxes(monkeypatch, VOTING, reads) == ["TOTAL", "Thank you"]
    assert reads.asked == [2, FIRST, REST]  # each pass of copies: the unsure crop's only


def test_copies_that_all_read_what_the_crop_read_end_the_vote(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = ScriptedReads([[("TOTA1", 0.45), ("Thank you", 0.97)], [("TOTA1", 0.5)] * FIRST])
    assert read_two_boxes(monkeypatch, VOTING, reads) == ["TOTA1", "Thank you"]
    assert reads.asked == [2, FIRST]


def test_a_dense_page_votes_on_its_least_sure_crops_within_the_width_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The two crops are about 600 and 900 px wide at the model's height: one fits 1,000 px.
    spec = dataclasses.replace(VOTING, vote_max_width=1000)
    first = [("Thank you", 0.6)] * FIRST
    reads = ScriptedReads(
        [[("TOTA1", 0.45), ("Thank yov", 0.3)], first, [("Thank you", 0.5)] * REST]
    )
    assert read_two_boxes(monkeypatch, spec, reads) == ["TOTA1", "Thank you"]
    assert reads.asked == [2, FIRST, REST]


def test_without_a_vote_the_crops_are_read_as_easyocr_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = ScriptedReads([[("TOTA1", 0.45), ("Thank you", 0.97)]])
    assert read_two_boxes(monkeypatch, SPEC, reads) == ["TOTA1", "Thank you"]
    assert reads.asked == [2]


def test_the_vote_is_in_the_engines_settings_and_version(tmp_path: Any) -> None:
    default = OnnxOcrEngine(models_dir=tmp_path)
    plain = OnnxOcrEngine(models_dir=tmp_path, vote_below=0.0)
    assert default.settings()["vote_below"] == 0.7
    assert default.version == engine_version() + "+vote0.7"
    assert plain.version == engine_version()
