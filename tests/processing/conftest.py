"""Shared fixtures for the processing tests.

OCR costs seconds per page on a CPU, so each engine is built once per session and each
rendered invoice is read at most once per engine (``OcrCache``). ``ocr_engine`` is the engine
that ships (easyocr on ONNX Runtime, int8 detector); ``torch_engine`` is easyocr itself, the
reference. The ONNX exports are made once per session at most (``onnx_models_dir``, in
tests/conftest.py). easyocr's two CPU-only torch warnings are filtered in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.invoices import RenderedInvoice, sample_invoices
from tests.support.ocr import OcrCache

if TYPE_CHECKING:
    from ocr_gateway.processing.onnx_engine import OnnxOcrEngine
    from ocr_gateway.processing.torch_engine import EasyOcrEngine


@pytest.fixture(scope="session")
def invoices() -> list[RenderedInvoice]:
    return sample_invoices()


@pytest.fixture(scope="session")
def ocr_engine(onnx_models_dir: Path) -> OnnxOcrEngine:
    from ocr_gateway.processing.onnx_engine import OnnxOcrEngine

    engine = OnnxOcrEngine(models_dir=onnx_models_dir, threads=2)
    engine.load(["en"])
    return engine


@pytest.fixture(scope="session")
def ocr_results(ocr_engine: OnnxOcrEngine, invoices: list[RenderedInvoice]) -> OcrCache:
    return OcrCache(ocr_engine, invoices)


@pytest.fixture(scope="session")
def torch_engine() -> EasyOcrEngine:
    from ocr_gateway.processing.torch_engine import EasyOcrEngine

    engine = EasyOcrEngine(gpu=False)
    engine.load(["en"])
    return engine


@pytest.fixture(scope="session")
def torch_results(torch_engine: EasyOcrEngine, invoices: list[RenderedInvoice]) -> OcrCache:
    return OcrCache(torch_engine, invoices)
