"""Pause CPython's cyclic garbage collector around allocation-heavy, cycle-free stages.

Stages that build tens of thousands of small acyclic tuples trigger collections whose full
passes walk every live object of the process (~20% of claim extraction). Reference counting
frees those tuples anyway. The pause is process-wide, so it is counted: overlapping pauses
(threads of one build) leave the collector paused until the last one ends, then restore it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"depth": 0, "was_enabled": False}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the collector for the block; the outermost pause restores what it found."""
    with _lock:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_enabled"]:
                gc.enable()
