"""Which OCR engine an OCR process runs, on which device, with how many threads.

``build_engine(settings, processes=N)`` is what ``ocr-gateway worker`` and the embedded
queue's OCR processes call once per process. The choice (``choose_backend``):

1. ``OCR_GATEWAY_OCR_ENGINE=torch``: easyocr on torch (``EasyOcrEngine``), GPU as easyocr
   finds it unless ``OCR_GATEWAY_OCR_GPU=false``;
2. otherwise ONNX Runtime: on CUDA (``CUDAExecutionProvider``, from the ``onnxruntime-gpu``
   wheel) when it is available and the GPU is not switched off;
3. no CUDA in ONNX Runtime but a GPU torch can use: easyocr on torch CUDA (a GPU beats the
   int8 CPU path by far); torch is only imported to ask when an NVIDIA device node exists;
4. else ONNX Runtime on the CPU, the common case (this project's machines have no GPU).

``OCR_GATEWAY_OCR_GPU=true`` insists on a GPU: with none, the choice fails loudly rather than
silently running on the CPU.

Threads: the processes on one machine share its cores, so each gets ``cores / processes``
intra-op threads (``Settings.ocr_threads_for``), and ONNX Runtime's threads do not spin while
waiting (``session.intra_op.allow_spinning=0``), which otherwise burns the cores the other
process needs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ocr_gateway.processing.engine import LoadableOcrEngine, OcrError
from ocr_gateway.settings import Settings

CUDA_PROVIDER = "CUDAExecutionProvider"
NVIDIA_DEVICE = "/dev/nvidiactl"


@dataclass(frozen=True)
class Backend:
    engine: Literal["onnx", "torch"]
    device: Literal["cpu", "cuda"]


def choose_backend(
    *,
    engine: Literal["onnx", "torch"],
    gpu: bool | None,
    onnx_providers: Callable[[], Sequence[str]],
    torch_cuda: Callable[[], bool],
) -> Backend:
    """The engine and device for the settings and what this machine offers (see the module)."""
    if engine == "torch":
        return Backend("torch", "cuda" if gpu is not False and torch_cuda() else "cpu")
    if gpu is False:
        return Backend("onnx", "cpu")
    if CUDA_PROVIDER in onnx_providers():
        return Backend("onnx", "cuda")
    if torch_cuda():
        return Backend("torch", "cuda")
    if gpu:
        raise OcrError("OCR_GATEWAY_OCR_GPU=true but neither ONNX Runtime nor torch finds a GPU")
    return Backend("onnx", "cpu")


def onnx_providers() -> list[str]:
    import onnxruntime as ort

    return list(ort.get_available_providers())


def torch_cuda() -> bool:
    """Whether torch sees a CUDA GPU; asks torch (seconds, ~1 GB) only when a device exists."""
    if not os.path.exists(NVIDIA_DEVICE):
        return False
    import torch

    return bool(torch.cuda.is_available())


def build_engine(settings: Settings, *, processes: int) -> LoadableOcrEngine:
    """The OCR engine of one OCR process among ``processes`` on this machine."""
    backend = choose_backend(
        engine=settings.ocr_engine,
        gpu=settings.ocr_gpu,
        onnx_providers=onnx_providers,
        torch_cuda=torch_cuda,
    )
    threads = settings.ocr_threads_for(processes)
    if backend.engine == "torch":
        from ocr_gateway.processing.torch_engine import EasyOcrEngine

        return EasyOcrEngine(gpu=backend.device == "cuda", num_threads=threads)
    from ocr_gateway.processing.onnx_engine import OnnxOcrEngine

    return OnnxOcrEngine(
        models_dir=settings.ocr_model_dir,
        device=backend.device,
        threads=threads,
        detector_int8=settings.ocr_detector_int8,
        vote_below=settings.ocr_vote_below,
    )
