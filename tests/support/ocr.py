"""Read each rendered page at most once per test session (OCR costs seconds per page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ocr_gateway.processing.engine import OcrEngine
    from ocr_gateway.processing.result import OcrResult
    from tests.support.invoices import RenderedInvoice


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
