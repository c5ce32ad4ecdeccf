"""The ONNX engine against easyocr on torch, its rebuild of a corrupt export, its process."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ocr_gateway.processing.onnx_engine import OnnxOcrEngine
from ocr_gateway.processing.onnx_models import MANIFEST
from ocr_gateway.processing.result import OcrResult
from ocr_gateway.processing.torch_engine import EasyOcrEngine
from tests.support.invoices import SAMPLE_INVOICES, RenderedInvoice
from tests.support.ocr import OcrCache

pytestmark = pytest.mark.slow
IDS = [spec.vendor_name for spec in SAMPLE_INVOICES]


def words(result: OcrResult) -> list[tuple[str, tuple[int, ...]]]:
    return [(w.text, tuple(round(v) for v in w.box)) for w in result.words]


def test_float32_onnx_reads_exactly_what_float32_torch_reads(
    onnx_models_dir: Path, invoices: list[RenderedInvoice]
) -> None:
    # Same scale, same thresholds, no quantisation on either side, no reading of altered
    # copies (easyocr has none): the port is exact.
    onnx = OnnxOcrEngine(
        models_dir=onnx_models_dir,
        threads=2,
        detector_int8=False,
        detect_text_height=None,
        vote_below=0.0,
    )
    reference = EasyOcrEngine(gpu=False, detect_bf16=False, quantize=False, detect_max_side=1536)
    page = invoices[0].image
    assert words(onnx.read(page, languages=["en"])) == words(reference.read(page, languages=["en"]))


@pytest.mark.parametrize("index", range(len(SAMPLE_INVOICES)), ids=IDS)
def test_the_shipping_engines_read_the_same_words(
    ocr_results: OcrCache, torch_results: OcrCache, index: int
) -> None:
    # int8 detection, resolution from the page, float32 recognition vs. easyocr's CPU defaults
    # (bfloat16 detection, int8 recogniser): both quantise differently, so a word near a
    # threshold may differ ("STY," vs "STY 1" on the third page); all else is the same.
    # How far apart they read depends on the CPU's integer and bfloat16 kernels: 0.97 and
    # more on a CPU with AVX-512/VNNI, 0.936-0.960 on an AVX2-only AMD EPYC (2026-12-02),
    # whatever the ONNX detector (int8 or float32). Exactness is the float32 test's above.
    ours = [text for text, _box in words(ocr_results[index])]
    theirs = [text for text, _box in words(torch_results[index])]
    assert difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False).ratio() >= 0.93


def test_a_corrupt_export_is_rebuilt_and_read_with(
    onnx_models_dir: Path, tmp_path: Path, ocr_results: OcrCache, invoices: list[RenderedInvoice]
) -> None:
    copy = tmp_path / "models"
    shutil.copytree(onnx_models_dir, copy, ignore=shutil.ignore_patterns(".export.lock"))
    (folder,) = (p for p in copy.iterdir() if p.is_dir())
    recognizer = folder / "recognizer.onnx"
    recognizer.write_bytes(recognizer.read_bytes()[:1000])  # a torn write
    before = json.loads((folder / MANIFEST).read_text())
    engine = OnnxOcrEngine(models_dir=copy, threads=2)
    result = engine.read(invoices[0].image, languages=["en"])
    assert words(result) == words(ocr_results[0])
    after = json.loads((folder / MANIFEST).read_text())
    assert after["files"]["recognizer.onnx"]["bytes"] > 1000
    assert after["files"]["craft-int8.onnx"] == before["files"]["craft-int8.onnx"]  # kept
    assert after["verification"]["recognizer.onnx"]["passed"] is True


PROBE = """
import sys
from PIL import Image, ImageDraw
from ocr_gateway.processing.engine_factory import build_engine
from ocr_gateway.settings import Settings
engine = build_engine(Settings(ocr_model_dir=sys.argv[1], ocr_gpu=False), processes=2)
engine.load(["en"])
page = Image.new("RGB", (1240, 400), "white")
ImageDraw.Draw(page).text((60, 100), "Invoice Total 1,234.50", fill="black", font_size=40)
text = engine.read(page, languages=["en"]).text
heavy = sorted(m for m in ("torch", "easyocr", "torchvision") if m in sys.modules)
print(engine.name, engine.threads, " ".join(text.split()), ",".join(heavy) or "none", sep="|")
"""


def test_an_ocr_process_on_onnx_never_loads_torch(onnx_models_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(onnx_models_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    name, threads, text, heavy = done.stdout.strip().splitlines()[-1].split("|")
    assert (name, heavy) == ("easyocr-onnx", "none")
    assert int(threads) >= 1
    assert "1,234.50" in text
