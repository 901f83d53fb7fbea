"""The ingest edge: read every file under the raw dir, pairing text files with their sidecars."""

from __future__ import annotations

from pathlib import Path

from flows.errors import InputError
from flows.paths import SIDECAR_SUFFIX
from flows.transforms.ingest import TEXT_SUFFIX, RawFile


def read_raw_files(raw_dir: Path) -> list[RawFile]:
    """Every non-hidden file under `raw_dir`, sorted by path; nothing is silently dropped.

    A "<stem>.meta.json" beside "<stem>.txt" becomes that file's sidecar; any other file
    (an orphan sidecar, a .pdf) is returned on its own so ingest rejects it with a reason.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(f"raw dir {raw_dir} does not exist or is not a directory")
    paths = {_relative(path, raw_dir): path for path in raw_dir.rglob("*") if path.is_file()}
    visible = sorted(name for name in paths if not _is_hidden(name))
    if not visible:
        raise InputError(f"raw dir {raw_dir} holds no input files")
    texts = {name for name in visible if name.endswith(TEXT_SUFFIX)}
    files = []
    for name in visible:
        if name.endswith(SIDECAR_SUFFIX) and _text_name(name) in texts:
            continue
        sidecar_name = name[: -len(TEXT_SUFFIX)] + SIDECAR_SUFFIX if name in texts else None
        sidecar = paths[sidecar_name].read_bytes() if sidecar_name in paths else None
        files.append(RawFile(path=name, data=paths[name].read_bytes(), sidecar=sidecar))
    return files


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _is_hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))


def _text_name(sidecar_name: str) -> str:
    return sidecar_name[: -len(SIDECAR_SUFFIX)] + TEXT_SUFFIX
