"""release_unused_memory: trims Arrow's pool and the C heap; works without malloc_trim."""

from __future__ import annotations

import pyarrow as pa

from flows import memory


def test_release_unused_memory_trims_both_allocators(monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "_malloc_trim", lambda: calls.append)
    kept = pa.array(range(100_000))  # live Arrow memory stays allocated
    before = pa.total_allocated_bytes()
    memory.release_unused_memory()
    assert calls == [0]
    assert pa.total_allocated_bytes() == before and kept[-1].as_py() == 99_999


def test_release_unused_memory_without_malloc_trim(monkeypatch):
    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    memory.release_unused_memory()  # no glibc (macOS, musl): Arrow's pool only, no error
