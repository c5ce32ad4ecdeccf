"""The engines' image handling, identity and device choice, without running a model."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ocr_gateway.processing.engine import (
    EasyOcrEngine,
    LoadableOcrEngine,
    ModelUnavailableError,
    OcrEngine,
    OcrError,
    OnnxOcrEngine,
)
from ocr_gateway.processing.engine_factory import Backend, build_engine, choose_backend
from ocr_gateway.processing.page_image import cap_pixels, pad_box, recognition_grey
from ocr_gateway.settings import Settings


def test_pages_over_the_pixel_cap_are_downscaled() -> None:
    page, scale = cap_pixels(Image.new("L", (4000, 3000), 255), 1_000_000)
    assert page.mode == "RGB"
    assert page.width * page.height <= 1_000_000
    assert abs(scale - page.width / 4000) < 1e-9
    small, unchanged = cap_pixels(Image.new("RGB", (800, 600), "white"), 1_000_000)
    assert (small.size, unchanged) == ((800, 600), 1.0)


def test_transparency_is_flattened_onto_white() -> None:
    page, _ = cap_pixels(Image.new("RGBA", (4, 4), (0, 0, 0, 0)), 100)
    assert page.getpixel((0, 0)) == (255, 255, 255)


def test_sixteen_bit_greyscale_keeps_its_contrast() -> None:
    image = Image.new("I;16", (2, 1))
    image.putpixel((0, 0), 65535)
    page, _ = cap_pixels(image, 100)
    assert page.getpixel((0, 0)) == (255, 255, 255)
    assert page.getpixel((1, 0)) == (0, 0, 0)


def test_detected_boxes_are_mapped_back_and_padded_by_text_height() -> None:
    # A 20 px high box found at half scale -> 40 px high at full size.
    assert pad_box([100, 200, 50, 70], 0.5, (0.1, 0.1, 0.25), (1000, 1000)) == [196, 404, 96, 150]
    assert pad_box([0, 500, 0, 10], 0.5, (0.5, 0.5, 0.5), (1000, 1000)) == [0, 1000, 0, 30]


def test_the_recognition_image_is_darkened() -> None:
    grey = recognition_grey(Image.new("RGB", (1, 1), (128, 128, 128)), 2.0)
    assert grey.getpixel((0, 0)) == 64
    plain = recognition_grey(Image.new("RGB", (1, 1), (128, 128, 128)), None)
    assert plain.getpixel((0, 0)) == 128


def test_both_engines_are_ocr_engines_with_names_of_their_own() -> None:
    torch_engine = EasyOcrEngine(gpu=False)
    onnx_engine = OnnxOcrEngine()
    for engine in (torch_engine, onnx_engine):
        assert isinstance(engine, OcrEngine)
        assert isinstance(engine, LoadableOcrEngine)
        assert engine.version[0].isdigit()
    # Caches of OCR results key on name, version and settings: the two must never mix.
    assert (torch_engine.name, onnx_engine.name) == ("easyocr", "easyocr-onnx")
    assert "+ort" in onnx_engine.version
    assert torch_engine.settings()["detect_max_side"] == "auto"
    assert onnx_engine.settings()["detector_int8"] is True
    assert onnx_engine.settings()["text_threshold"] == 0.5


def test_the_onnx_engine_refuses_languages_it_has_no_model_for(tmp_path: Path) -> None:
    engine = OnnxOcrEngine(models_dir=tmp_path)
    with pytest.raises(ModelUnavailableError, match="'de'"):
        engine.read(Image.new("RGB", (8, 8), "white"), languages=["en", "de"])
    assert not any(tmp_path.iterdir())  # refused before anything was exported


def never(*_: object) -> bool:
    raise AssertionError("must not be asked")


@pytest.mark.parametrize(
    ("engine", "gpu", "providers", "torch_gpu", "expected"),
    [
        # No GPU anywhere (this project's machines): ONNX Runtime on the CPU.
        ("onnx", None, ["CPUExecutionProvider"], False, Backend("onnx", "cpu")),
        # onnxruntime-gpu installed and a GPU present: ONNX Runtime on CUDA.
        (
            "onnx",
            None,
            ["CUDAExecutionProvider", "CPUExecutionProvider"],
            never,
            Backend("onnx", "cuda"),
        ),
        (
            "onnx",
            True,
            ["CUDAExecutionProvider", "CPUExecutionProvider"],
            never,
            Backend("onnx", "cuda"),
        ),
        # A CPU-only onnxruntime but a CUDA torch: easyocr on torch CUDA.
        ("onnx", None, ["CPUExecutionProvider"], True, Backend("torch", "cuda")),
        # The GPU switched off: neither is asked.
        ("onnx", False, never, never, Backend("onnx", "cpu")),
        ("torch", False, never, never, Backend("torch", "cpu")),
        ("torch", None, never, True, Backend("torch", "cuda")),
        ("torch", None, never, False, Backend("torch", "cpu")),
    ],
)
def test_the_backend_follows_the_settings_and_the_machine(
    engine: str, gpu: bool | None, providers: object, torch_gpu: object, expected: Backend
) -> None:
    onnx_providers = providers if callable(providers) else (lambda: providers)
    torch_cuda = torch_gpu if callable(torch_gpu) else (lambda: torch_gpu)
    chosen = choose_backend(
        engine=engine,  # type: ignore[arg-type]
        gpu=gpu,
        onnx_providers=onnx_providers,  # type: ignore[arg-type]
        torch_cuda=torch_cuda,  # type: ignore[arg-type]
    )
    assert chosen == expected


def test_insisting_on_a_gpu_without_one_fails_loudly() -> None:
    with pytest.raises(OcrError, match="GPU"):
        choose_backend(
            engine="onnx",
            gpu=True,
            onnx_providers=lambda: ["CPUExecutionProvider"],
            torch_cuda=lambda: False,
        )


def test_each_ocr_process_gets_its_share_of_the_cores(tmp_path: Path) -> None:
    settings = Settings(ocr_model_dir=tmp_path, ocr_gpu=False, ocr_threads=None)
    engine = build_engine(settings, processes=2)
    assert isinstance(engine, OnnxOcrEngine)
    assert engine.threads == settings.ocr_threads_for(2)
    assert engine.models_dir == tmp_path
    reference = build_engine(
        Settings(ocr_engine="torch", ocr_gpu=False, ocr_threads=3), processes=2
    )
    assert isinstance(reference, EasyOcrEngine)
    assert reference.num_threads == 3


def test_the_heap_can_be_bounded_and_trimmed_here() -> None:
    from ocr_gateway.processing import heap

    assert heap.bound_heap() is True  # glibc (this project's machines)
    heap.release_freed()
