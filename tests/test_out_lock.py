"""One build per output folder: the lock, its release when a holder dies, stale staging cleanup."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flows import out_lock, release
from flows.errors import BuildInProgress

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOLDER = textwrap.dedent(
    """
    import sys, time
    from flows.out_lock import exclusive_build
    with exclusive_build(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(600)
    """
)


@pytest.fixture
def holder(tmp_path):
    """Another process that holds the lock of tmp_path/out until the test kills it."""
    out = tmp_path / "out"
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout.readline().strip() == "locked"
            yield out, process
        finally:
            process.kill()


def test_a_second_build_of_the_same_folder_is_refused(tmp_path):
    with out_lock.exclusive_build(tmp_path / "out"):
        with pytest.raises(BuildInProgress, match="another build is writing") as error:
            with out_lock.exclusive_build(tmp_path / "out"):
                pass
        assert error.value.exit_code == 3
    with out_lock.exclusive_build(tmp_path / "out"):  # released on exit
        pass


def test_other_folders_are_not_locked(tmp_path):
    with out_lock.exclusive_build(tmp_path / "one"), out_lock.exclusive_build(tmp_path / "two"):
        pass


def test_the_lock_of_a_killed_process_is_released(holder):
    out, process = holder
    with pytest.raises(BuildInProgress):
        with out_lock.exclusive_build(out):
            pass
    process.kill()
    process.wait(timeout=30)
    with out_lock.exclusive_build(out):
        pass


def test_stale_staging_folders_are_removed_and_releases_kept(tmp_path):
    out = tmp_path / "out"
    stale = out / f"{release.STAGING_PREFIX}4242-20250128T060000"
    (stale / "half").mkdir(parents=True)
    (stale / "half" / "claims.parquet").write_bytes(b"PAR1")
    kept = [out / "2025.01.28-abcdef12", out / ".cache" / "documents"]
    for path in kept:
        path.mkdir(parents=True)
    (out / "LATEST").write_text("2025.01.28-abcdef12\n")
    with out_lock.exclusive_build(out) as removed:
        assert removed == [stale]
    assert not stale.exists()
    assert all(path.is_dir() for path in kept)
    assert (out / "LATEST").read_text() == "2025.01.28-abcdef12\n"


def _write_raw(raw: Path) -> Path:
    raw.mkdir()
    (raw / "post.txt").write_text("周一英伟达股价下跌了3%，纳指收跌1.2%。\n", encoding="utf-8")
    sidecar = {"published": "2025-02-04", "language": "zh", "source": "test"}
    (raw / "post.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return raw


@pytest.mark.usefixtures("prefect_harness")
def test_build_refuses_a_locked_folder_then_cleans_up_after_the_killed_build(holder, tmp_path):
    from flows.build import build

    out, process = holder
    raw = _write_raw(tmp_path / "raw")
    with pytest.raises(BuildInProgress):
        build(raw_dir=raw, out_dir=out)
    assert sorted(path.name for path in out.iterdir()) == [out_lock.LOCK_FILE]
    process.kill()  # as if the holder died mid-publish, leaving its staging folder
    process.wait(timeout=30)
    leftover = out / f"{release.STAGING_PREFIX}{process.pid}-20250204T060000"
    leftover.mkdir()
    summary = build(raw_dir=raw, out_dir=out)
    assert summary.status == "published"
    assert not leftover.exists()
    assert any("interrupted builds" in note for note in summary.notes)
    assert release.latest_release(out) == out / summary.version
