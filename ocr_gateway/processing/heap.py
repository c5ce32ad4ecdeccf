"""Keep an OCR process's heap from growing page after page (glibc only; elsewhere a no-op).

Each page allocates and frees hundreds of megabytes (page images, score maps, ONNX Runtime's
activations). glibc serves blocks below its mmap threshold from heaps that it rarely gives
back, and it raises that threshold each time a large block is freed, so freed memory
accumulates as fragments: an OCR process on the ONNX engine grew from 470 to 715 MiB RSS over
five pages and peaked at 1.6 GiB after 112. Two remedies, measured together (bench/RESULTS.md):

- ``bound_heap()`` (once per process): a fixed 1 MiB mmap threshold, so every large block
  is its own mapping and is unmapped when freed;
- ``release_freed()`` (after each page): ``malloc_trim(0)`` returns what is free at the top
  of every heap to the system.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter numbers
MMAP_THRESHOLD_BYTES = 1 << 20


@functools.cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


def bound_heap() -> bool:
    libc = _libc()
    return bool(libc and libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


def release_freed() -> None:
    libc = _libc()
    if libc:
        libc.malloc_trim(0)
