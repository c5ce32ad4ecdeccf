"""The API process never imports torch, easyocr or onnxruntime: OCR runs in OCR processes only."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from ocr_gateway.app import create_app
from ocr_gateway.settings import Settings
import ocr_gateway.processing.pipeline, ocr_gateway.processing.local, ocr_gateway.processing.tasks
create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
heavy = sorted(m for m in ("torch", "easyocr", "torchvision", "cv2", "onnxruntime") if m in sys.modules)
print(",".join(heavy) or "none")
"""


def test_the_api_process_never_imports_torch_easyocr_or_onnxruntime() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "none"
