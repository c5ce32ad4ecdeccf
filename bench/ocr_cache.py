"""OCR results cached on disk, so that iterating on extraction costs seconds, not minutes.

A result is stored as ``OcrResult.to_dict()`` JSON under ``bench/out/ocr-cache/`` (gitignored),
named by the sha256 of the image bytes plus a digest of the engine's name, version and
settings: another engine, another version or other knobs miss the cache and OCR again. The
engine is created (and its model loaded) only on the first miss.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

from ocr_gateway.processing.engine import OcrEngine
from ocr_gateway.processing.result import OcrResult

DEFAULT_DIR = Path(__file__).resolve().parent / "out" / "ocr-cache"


class OcrCache:
    def __init__(self, make_engine: Callable[[], OcrEngine], folder: Path = DEFAULT_DIR) -> None:
        self._make_engine = make_engine
        self._engine: OcrEngine | None = None
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def read(self, data: bytes, image: Callable[[], Image.Image]) -> OcrResult:
        """The OCR result of the image whose file bytes are ``data`` (``image`` decodes it)."""
        path = self.folder / f"{hashlib.sha256(data).hexdigest()}-{self._engine_key()}.json"
        if path.exists():
            self.hits += 1
            return OcrResult.from_dict(json.loads(path.read_text()))
        self.misses += 1
        result = self.engine().read(image(), languages=["en"])
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(result.to_dict()))
        tmp.replace(path)  # a killed run leaves no half-written entry
        return result

    def engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = self._make_engine()
        return self._engine

    def _engine_key(self) -> str:
        engine = self.engine() if self._engine is None else self._engine
        identity: dict[str, Any] = {
            "name": engine.name,
            "version": engine.version,
            "settings": _settings(engine),
        }
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]


def _settings(engine: OcrEngine) -> Any:
    settings = getattr(engine, "settings", None)
    return settings() if callable(settings) else None
