"""The stored shape of an OCR result."""

from __future__ import annotations

import json

from ocr_gateway.processing.result import OcrLine, OcrResult, OcrWord


def sample() -> OcrResult:
    line = OcrLine.of(
        [OcrWord("Total", 1.0, (10, 10, 60, 30)), OcrWord("$5", 0.5, (70, 10, 90, 30))]
    )
    return OcrResult.of([line], width=200, height=100, timings={"detect": 1.23456})


def test_to_dict_is_camel_case_json() -> None:
    data = sample().to_dict()
    json.dumps(data)
    assert set(data) == {"text", "lines", "words", "meanConfidence", "timings", "width", "height"}
    assert data["lines"][0]["box"] == [10, 10, 90, 30]
    assert data["words"][1] == {"text": "$5", "confidence": 0.5, "box": [70, 10, 90, 30]}
    assert data["timings"] == {"detect": 1.2346}


def test_confidence_is_weighted_by_text_length() -> None:
    assert sample().mean_confidence == (5 * 1.0 + 2 * 0.5) / 7


def test_round_trip() -> None:
    result = sample()
    again = OcrResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again.text == result.text == "Total $5"
    assert again.words == result.words
    assert again.lines[0].box == result.lines[0].box
    assert abs(again.mean_confidence - result.mean_confidence) < 1e-4
