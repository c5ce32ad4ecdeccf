"""OCR helpers for tests: read each rendered page at most once, share one ONNX export.

The ONNX exports live where the app keeps them (``./data/models`` under the repository, the
default ``OCR_GATEWAY_OCR_MODEL_DIR``, gitignored), so the worker processes that integration
tests start find them too: a fresh clone exports once, in the first test that needs them
(about a minute on 2 cores), and every later test and run reuses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ocr_gateway.settings import Settings

if TYPE_CHECKING:
    from ocr_gateway.processing.engine import OcrEngine
    from ocr_gateway.processing.result import OcrResult
    from tests.support.invoices import RenderedInvoice

REPOSITORY = Path(__file__).resolve().parents[2]
ALL_EXPORTS = ("craft.onnx", "craft-int8.onnx", "recognizer.onnx")


def exported_models_dir() -> Path:
    """The app's default models directory, with sound exports of every model in it."""
    from ocr_gateway.processing.onnx_models import ensure_models

    default: Path = Settings.model_fields["ocr_model_dir"].default
    models_dir = REPOSITORY / default
    ensure_models(models_dir, ALL_EXPORTS)
    return models_dir


class OcrCache:
    def __init__(self, engine: OcrEngine, invoices: list[RenderedInvoice]) -> None:
        self.engine = engine
        self.invoices = invoices
        self.results: dict[int, OcrResult] = {}

    def __getitem__(self, index: int) -> OcrResult:
        if index not in self.results:
            image = self.invoices[index].image
            self.results[index] = self.engine.read(image, languages=["en"])
        return self.results[index]
