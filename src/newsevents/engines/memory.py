"""Process memory: read resident and peak memory, and give free heap pages back to the OS."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

__all__ = ["malloc_trim", "process_memory"]


def process_memory(pid: int | str = "self") -> dict[str, int]:
    """Memory of a process in bytes: ``rss`` now and its peak ``hwm``, with its ``pid``.

    Read from ``/proc/<pid>/status`` (Linux); empty when that is not available or the process
    is gone.
    """
    found: dict[str, int] = {"pid": os.getpid() if pid == "self" else int(pid)}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    found["rss" if key == "VmRSS" else "hwm"] = int(value.split()[0]) * 1024
    except OSError:
        return {}
    return found


@lru_cache(maxsize=1)
def _libc() -> Any:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def malloc_trim() -> bool:
    """Hand the heap's free pages back to the OS (glibc ``malloc_trim``); False where unavailable.

    Called once per batch, this keeps a coding process's resident memory near what it really
    uses. Unlike setting ``MALLOC_TRIM_THRESHOLD_``, it does not make each allocation slower.
    """
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
