"""One build at a time per output folder, and the leftovers of killed builds cleared.

Two builds writing one `out_dir` would race on its staging directories, its cache and LATEST.
The lock is an OS file lock (`filelock`, flock on POSIX): the kernel drops it when its process
dies, so a killed build never leaves the folder locked. Holding it also proves that every
staging directory present belongs to a build that no longer runs, so those are removed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from flows.errors import BuildInProgress
from flows.release import STAGING_PREFIX

LOCK_FILE = ".build.lock"


@contextmanager
def exclusive_build(out_dir: Path) -> Iterator[list[Path]]:
    """Hold `out_dir`'s build lock; yields the stale staging directories it removed.

    Fails at once (no waiting) with BuildInProgress when another build holds the lock: a
    scheduled rebuild that finds one running should skip, not queue behind it.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out_dir / LOCK_FILE, timeout=0, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise BuildInProgress(
            f"another build is writing {out_dir} (it holds {out_dir / LOCK_FILE});"
            " try again when it has finished"
        ) from None
    try:
        yield remove_stale_staging(out_dir)
    finally:
        lock.release()


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Delete the staging directories of builds that were killed; call only under the lock."""
    stale = sorted(path for path in out_dir.glob(f"{STAGING_PREFIX}*") if path.is_dir())
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale
