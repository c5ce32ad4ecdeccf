"""Shared fixtures for the processing tests.

OCR costs seconds per page on a CPU, so one engine (one easyocr Reader) serves the whole
session, and each rendered invoice is read at most once (``ocr_results`` caches by index).
easyocr's two CPU-only torch warnings are filtered in pyproject.toml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.support.invoices import RenderedInvoice, sample_invoices
from tests.support.ocr import OcrCache

if TYPE_CHECKING:
    from ocr_gateway.processing.engine import EasyOcrEngine


@pytest.fixture(scope="session")
def invoices() -> list[RenderedInvoice]:
    return sample_invoices()


@pytest.fixture(scope="session")
def ocr_engine() -> EasyOcrEngine:
    from ocr_gateway.processing.engine import EasyOcrEngine

    engine = EasyOcrEngine(gpu=False)
    engine.load(["en"])
    return engine


@pytest.fixture(scope="session")
def ocr_results(ocr_engine: EasyOcrEngine, invoices: list[RenderedInvoice]) -> OcrCache:
    return OcrCache(ocr_engine, invoices)
