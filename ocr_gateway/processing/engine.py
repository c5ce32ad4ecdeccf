"""OCR engines: the ``OcrEngine`` protocol, its errors, and what the engines share.

Two engines implement the protocol, both with easyocr's models and its pre- and
post-processing, and both import their heavy libraries lazily (the API process imports this
module for the types and must never load torch, easyocr or onnxruntime):

- ``onnx_engine.OnnxOcrEngine`` (``name = "easyocr-onnx"``, the default): CRAFT and the
  recogniser exported to ONNX once (``onnx_models``) and run on ONNX Runtime, no torch in the
  process;
- ``torch_engine.EasyOcrEngine`` (``name = "easyocr"``): easyocr itself on torch, the reference
  the ONNX path is tested against.

``engine_factory.build_engine(settings, processes=...)`` picks one (GPU, threads, settings).
``EasyOcrEngine`` and ``OnnxOcrEngine`` stay importable from here, lazily.

Errors: ``OcrError`` (OCR could not run at all) > ``ModelUnavailableError`` (no model for the
requested languages; permanent until the install changes).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from PIL import Image

from ocr_gateway.processing.result import Box, OcrLine, OcrResult, OcrWord

if TYPE_CHECKING:
    from ocr_gateway.processing.onnx_engine import OnnxOcrEngine
    from ocr_gateway.processing.torch_engine import EasyOcrEngine

__all__ = [
    "Box",
    "EasyOcrEngine",
    "LoadableOcrEngine",
    "ModelUnavailableError",
    "OcrEngine",
    "OcrError",
    "OcrLine",
    "OcrResult",
    "OcrWord",
    "OnnxOcrEngine",
]

DEFAULT_LANGUAGES = ("en",)


class OcrError(Exception):
    """OCR could not run at all (as opposed to running and finding no text)."""


class ModelUnavailableError(OcrError):
    """No offline weights for the requested languages; permanent until the install changes."""


@runtime_checkable
class OcrEngine(Protocol):
    name: str
    version: str

    def read(self, image: Image.Image, *, languages: Sequence[str]) -> OcrResult: ...


@runtime_checkable
class LoadableOcrEngine(OcrEngine, Protocol):
    """What OCR processes hold: an engine that loads its models up front and names its knobs."""

    def load(self, languages: Sequence[str] = ...) -> float: ...

    def settings(self) -> dict[str, Any]: ...


class StepTimer:
    """Seconds per named step of one page (``OcrResult.timings``)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - began


def language_key(languages: Sequence[str]) -> tuple[str, ...]:
    unique = tuple(dict.fromkeys(code.strip() for code in languages if code.strip()))
    return unique or DEFAULT_LANGUAGES


def __getattr__(name: str) -> Any:
    # The engines import this module; importing them here lazily avoids the cycle.
    if name == "EasyOcrEngine":
        from ocr_gateway.processing.torch_engine import EasyOcrEngine

        return EasyOcrEngine
    if name == "OnnxOcrEngine":
        from ocr_gateway.processing.onnx_engine import OnnxOcrEngine

        return OnnxOcrEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
