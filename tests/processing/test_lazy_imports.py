"""Importing the processing package never imports torch or easyocr (the API process does)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import ocr_gateway.processing
from ocr_gateway.processing import (
    builtin_templates, decode, engine, extraction, fetch, layout, netguard, normalize, result,
    template, totals,
)
engine.EasyOcrEngine(gpu=False, max_pixels=1000).settings()
heavy = sorted(m for m in ("torch", "easyocr", "torchvision", "cv2", "numpy") if m in sys.modules)
print(",".join(heavy) or "none")
"""


def test_processing_modules_do_not_import_torch_or_easyocr() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "none"
