"""Importing the processing package never imports torch, easyocr or onnxruntime (the API
process does), and building an engine does not either: models load on first use."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import ocr_gateway.processing
from ocr_gateway.processing import (
    builtin_templates, craft, decode, detect_scale, easyocr_parts, engine, engine_factory,
    extraction, fetch, layout, lifecycle, normalize, onnx_engine, onnx_export, onnx_models,
    onnx_samples, page_image, recognizer, result, template, torch_engine, totals,
)
engine.EasyOcrEngine(gpu=False, max_pixels=1000).settings()
engine.OnnxOcrEngine(max_pixels=1000).settings()
heavy = ("torch", "easyocr", "torchvision", "onnxruntime", "onnx", "cv2", "numpy", "scipy")
print(",".join(sorted(m for m in heavy if m in sys.modules)) or "none")
"""


def test_processing_modules_do_not_import_torch_easyocr_or_onnxruntime() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "none"
