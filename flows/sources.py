"""The ingest edge: read every file under the raw dir, pairing text files with their sidecars."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.errors import InputError
from flows.paths import SIDECAR_SUFFIX
from flows.transforms.ingest import TEXT_SUFFIX, RawFile


@dataclass(frozen=True)
class RawInput:
    """Where one input lives on disk: `path` POSIX-relative to the raw dir, `sidecar` if any."""

    path: str
    file: Path
    sidecar: Path | None = None


def read_raw_files(raw_dir: Path) -> list[RawFile]:
    """Every non-hidden file under `raw_dir`, sorted by path; nothing is silently dropped.

    A "<stem>.meta.json" beside "<stem>.txt" becomes that file's sidecar; any other file
    (an orphan sidecar, a .pdf) is returned on its own so ingest rejects it with a reason.
    """
    return [read_raw_input(item) for item in list_raw_inputs(raw_dir)]


def list_raw_inputs(raw_dir: Path) -> list[RawInput]:
    """The same files as `read_raw_files`, located but not read: big corpora stream from these."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(f"raw dir {raw_dir} does not exist or is not a directory")
    paths = {_relative(path, raw_dir): path for path in raw_dir.rglob("*") if path.is_file()}
    visible = sorted(name for name in paths if not _is_hidden(name))
    if not visible:
        raise InputError(f"raw dir {raw_dir} holds no input files")
    texts = {name for name in visible if name.endswith(TEXT_SUFFIX)}
    inputs = []
    for name in visible:
        if name.endswith(SIDECAR_SUFFIX) and _text_name(name) in texts:
            continue
        sidecar_name = name[: -len(TEXT_SUFFIX)] + SIDECAR_SUFFIX if name in texts else None
        inputs.append(RawInput(name, paths[name], paths.get(sidecar_name)))
    return inputs


def read_raw_input(item: RawInput) -> RawFile:
    """The bytes of one located input and of its sidecar."""
    try:
        sidecar = item.sidecar.read_bytes() if item.sidecar is not None else None
        return RawFile(path=item.path, data=item.file.read_bytes(), sidecar=sidecar)
    except OSError as exc:
        raise InputError(f"cannot read raw file {item.file}: {exc}") from exc


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _is_hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))


def _text_name(sidecar_name: str) -> str:
    return sidecar_name[: -len(SIDECAR_SUFFIX)] + TEXT_SUFFIX
