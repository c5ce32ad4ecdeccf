"""The ONNX export cache: what counts as sound, what is rebuilt, and when (fake exporter)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from ocr_gateway.processing import onnx_models
from ocr_gateway.processing.engine import ModelUnavailableError
from ocr_gateway.processing.onnx_models import (
    MANIFEST,
    PARTS,
    ensure_models,
    file_sha256,
    folder_for,
    mark_broken,
    weights_key,
)

ALL = ("craft.onnx", "craft-int8.onnx", "recognizer.onnx")


@pytest.fixture
def weights(tmp_path: Path) -> Path:
    folder = tmp_path / "weights"
    folder.mkdir()
    for name in onnx_models.WEIGHT_FILES:
        (folder / name).write_bytes(name.encode() * 100)
    return folder


class FakeExporter:
    """Writes plausible files and a manifest, and counts what it was asked to build."""

    def __init__(self, *, int8_fails: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.int8_fails = int8_fails

    def __call__(self, folder: Path, weights_dir: Path, parts: Sequence[str]) -> None:
        self.calls.append(list(parts))
        folder.mkdir(parents=True, exist_ok=True)
        key = weights_key(weights_dir)
        manifest = onnx_models.read_manifest(folder)
        if not manifest or manifest["key"] != key:  # as the real export: start afresh
            manifest = {"key": key, "files": {}, "unavailable": {}}
        for part in parts:
            for name in PARTS[part]:
                if name == "craft-int8.onnx" and self.int8_fails:
                    manifest["unavailable"][name] = "failed verification"
                    continue
                (folder / name).write_bytes(f"{name} v{len(self.calls)}".encode())
                entry = {
                    "sha256": file_sha256(folder / name),
                    "bytes": (folder / name).stat().st_size,
                }
                manifest["files"][name] = entry
        manifest["recognizer"] = {
            "characters": ["[blank]", "a"],
            "ignore_idx": [],
            "blank_idx": [0],
        }
        (folder / MANIFEST).write_text(json.dumps(manifest))


def test_a_missing_export_is_built_once(tmp_path: Path, weights: Path) -> None:
    exporter = FakeExporter()
    models = ensure_models(tmp_path / "models", ALL, weights_dir=weights, exporter=exporter)
    assert exporter.calls == [["detector", "recognizer"]]
    assert models.folder == folder_for(tmp_path / "models", weights_key(weights))
    assert all(models.has(name) for name in ALL)
    assert models.recognizer_spec.characters == ("[blank]", "a")
    ensure_models(tmp_path / "models", ALL, weights_dir=weights, exporter=exporter)
    assert len(exporter.calls) == 1  # sound: reused, nothing exported again


def test_a_corrupt_file_rebuilds_only_its_part(tmp_path: Path, weights: Path) -> None:
    exporter = FakeExporter()
    models = ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    data = models.path("recognizer.onnx").read_bytes()
    models.path("recognizer.onnx").write_bytes(data[:-1] + b"X")  # same size, other bytes
    ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    assert exporter.calls[1:] == [["recognizer"]]
    models.path("craft-int8.onnx").unlink()
    ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    assert exporter.calls[2:] == [["detector"]]


def test_a_file_that_does_not_load_is_rebuilt(tmp_path: Path, weights: Path) -> None:
    exporter = FakeExporter()
    models = ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    mark_broken(models, "craft.onnx")
    ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    assert exporter.calls[1:] == [["detector"]]


def test_new_weights_mean_a_new_export(tmp_path: Path, weights: Path) -> None:
    exporter = FakeExporter()
    first = ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    (weights / "english_g2.pth").write_bytes(b"retrained")
    second = ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    assert second.folder != first.folder
    assert len(exporter.calls) == 2


def test_a_manifest_of_other_weights_is_not_trusted(tmp_path: Path, weights: Path) -> None:
    exporter = FakeExporter()
    models = ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    manifest = json.loads((models.folder / MANIFEST).read_text())
    (models.folder / MANIFEST).write_text(json.dumps({**manifest, "key": "0" * 64}))
    ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    assert exporter.calls[1:] == [["detector", "recognizer"]]


def test_an_int8_detector_that_failed_verification_is_not_retried(
    tmp_path: Path, weights: Path
) -> None:
    exporter = FakeExporter(int8_fails=True)
    models = ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    assert not models.has("craft-int8.onnx")
    assert models.has("craft.onnx")
    ensure_models(tmp_path, ALL, weights_dir=weights, exporter=exporter)
    assert len(exporter.calls) == 1


def test_an_export_that_leaves_files_missing_is_an_error(tmp_path: Path, weights: Path) -> None:
    def lazy(folder: Path, weights_dir: Path, parts: Sequence[str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)

    with pytest.raises(ModelUnavailableError, match="incomplete"):
        ensure_models(tmp_path, ALL, weights_dir=weights, exporter=lazy)


def test_missing_weights_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match=r"craft_mlt_25k\.pth"):
        ensure_models(tmp_path / "models", ALL, weights_dir=tmp_path, exporter=FakeExporter())


def test_a_failing_export_subprocess_is_reported(tmp_path: Path, weights: Path) -> None:
    # The real subprocess, on weights that are not weights: easyocr cannot load them.
    with pytest.raises(ModelUnavailableError, match="export failed"):
        onnx_models.export_in_subprocess(tmp_path / "out", weights, ["recognizer"])
