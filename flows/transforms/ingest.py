"""Decode raw files and their sidecars into the documents table, rejecting what is unusable."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

import charset_normalizer
import pandas as pd

from flows.paths import SIDECAR_SUFFIX
from flows.schemas import DOCUMENTS, REJECTS

TEXT_SUFFIX = ".txt"
UTF8_BOM = b"\xef\xbb\xbf"
# A byte order mark makes a wide encoding certain: (BOM, the codec that reads it and drops it).
# UTF-32 LE first: its BOM starts with UTF-16 LE's.
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Sidecar fields we read, with the JSON type each must have; other fields are kept out of
# the documents table but allowed (provenance such as "licence" or "url").
SIDECAR_FIELDS = {"published": str, "language": str, "source": str, "encoding": str}
CJK_SHARE_FOR_CHINESE = 0.5
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_NEWLINES = re.compile(r"\r\n?")
_PRETTY_ENCODINGS = {
    "gb18030": "GB18030/GBK",
    "gbk": "GB18030/GBK",
    "gb2312": "GB18030/GBK",
    "big5": "Big5",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
    "utf_32": "UTF-32",
    "utf_32_le": "UTF-32",
    "utf_32_be": "UTF-32",
}


@dataclass(frozen=True)
class RawFile:
    """A file under the raw dir: `path` POSIX-relative to it, `sidecar` its .meta.json bytes."""

    path: str
    data: bytes
    sidecar: bytes | None = None


class _Rejected(Exception):
    """A single file is unusable; the message is the reject's reason."""


def ingest_raw_files(files: Sequence[RawFile]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (documents, rejects): every file lands in exactly one of them, sorted by path.

    Text is kept exactly as decoded except that a leading BOM is removed and CRLF/CR line
    ends become LF, so character offsets into `documents.text` are stable across platforms.
    """
    documents, rejects = [], []
    for raw in sorted(files, key=lambda f: f.path):
        sha256 = hashlib.sha256(raw.data).hexdigest()
        try:
            documents.append(_document(raw, sha256))
        except _Rejected as exc:
            rejects.append(
                {"path": raw.path, "stage": "ingest", "reason": str(exc), "sha256": sha256}
            )
    return _frame(documents, DOCUMENTS.names), _frame(rejects, REJECTS.names)


def guess_language(text: str) -> str | None:
    """'zh' when most letters are CJK, 'en' when most are Latin, else None (no guess)."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if cjk + latin == 0:
        return None
    return "zh" if cjk / (cjk + latin) >= CJK_SHARE_FOR_CHINESE else "en"


def _document(raw: RawFile, sha256: str) -> dict:
    path = PurePosixPath(raw.path)
    if raw.path.endswith(SIDECAR_SUFFIX):
        text_name = raw.path[: -len(SIDECAR_SUFFIX)] + TEXT_SUFFIX
        raise _Rejected(f"orphan sidecar: no text file {text_name} beside it")
    if path.suffix.lower() != TEXT_SUFFIX:
        kind = path.suffix or "(no extension)"
        raise _Rejected(f"unsupported file type {kind}: only UTF-8 {TEXT_SUFFIX} files are read")
    meta = _parse_sidecar(raw)
    if not raw.data:
        raise _Rejected("empty file (0 bytes)")
    encoding, text = _decode(raw.data, meta.get("encoding"))
    if not text.strip():
        raise _Rejected("empty file (only whitespace)")
    text = _NEWLINES.sub("\n", text)
    return {
        "doc_id": raw.path[: -len(TEXT_SUFFIX)],
        "path": raw.path,
        "sha256": sha256,
        "published": meta.get("published"),
        "language": meta.get("language") or guess_language(text),
        "source": meta.get("source"),
        "encoding": encoding,
        "n_chars": len(text),
        "text": text,
    }


def _parse_sidecar(raw: RawFile) -> dict:
    if raw.sidecar is None:
        return {}
    name = _sidecar_name(raw.path)
    try:
        meta = json.loads(raw.sidecar.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Rejected(f"sidecar {name} is not valid UTF-8 JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise _Rejected(f"sidecar {name} must be a JSON object, got {type(meta).__name__}")
    for field, kind in SIDECAR_FIELDS.items():
        value = meta.get(field)
        if value is not None and not isinstance(value, kind):
            raise _Rejected(
                f"sidecar {name}: {field!r} must be a {kind.__name__}, "
                f"got {type(value).__name__} {value!r}"
            )
    if meta.get("published") is not None:
        meta["published"] = _iso_date(meta["published"], name)
    return meta


def _iso_date(value: str, sidecar: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Rejected(
            f"sidecar {sidecar}: 'published' must be an ISO date like 2025-01-28, got {value!r}"
        ) from None


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    """(encoding name, text); strict decoding, never replacement characters.

    Without a declared encoding only UTF-8 is read, and UTF-16/32 when a byte order mark
    makes it certain; anything else is guessed only to name it in the reject's reason."""
    if declared is not None:
        return _decode_declared(data, declared)
    wide = next((codec for bom, codec in WIDE_BOMS if data.startswith(bom)), None)
    if wide is not None:
        return _decode_wide(data, wide)
    has_bom = data.startswith(UTF8_BOM)
    try:
        text = data[len(UTF8_BOM) :].decode("utf-8") if has_bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Rejected(_not_utf8_reason(data, exc)) from None
    if "\x00" in text:
        raise _Rejected("binary file: contains NUL bytes")
    return ("utf-8-sig" if has_bom else "utf-8"), text


def _decode_declared(data: bytes, declared: str) -> tuple[str, str]:
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        raise _Rejected(f"sidecar declares unknown encoding {declared!r}") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _Rejected(
            f"does not decode as the declared encoding {declared!r}: "
            f"invalid byte at offset {exc.start}"
        ) from None
    if "\x00" in text:
        raise _Rejected(f"binary file: contains NUL characters after decoding as {declared!r}")
    return codec, text.removeprefix("\ufeff")


def _decode_wide(data: bytes, codec: str) -> tuple[str, str]:
    """A file that opens with a UTF-16/32 byte order mark, decoded strictly by `codec`."""
    pretty = _PRETTY_ENCODINGS[codec.replace("-", "_")]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _Rejected(
            f"starts with a {pretty} byte order mark but does not decode as {pretty}: "
            f"invalid byte at offset {exc.start}"
        ) from None
    if "\x00" in text:
        raise _Rejected(f"binary file: contains NUL characters after decoding as {pretty}")
    return codec, text


def _not_utf8_reason(data: bytes, error: UnicodeDecodeError) -> str:
    best = charset_normalizer.from_bytes(data).best()
    guess = best.encoding if best is not None else None
    wide = guess is not None and guess.startswith(("utf_16", "utf_32"))
    if guess is None or (b"\x00" in data and not wide):
        return f"binary file: not text in any known encoding (invalid UTF-8 at byte {error.start})"
    if guess == "utf_8":
        return f"invalid UTF-8 at byte {error.start}"
    pretty = _PRETTY_ENCODINGS.get(guess, guess.upper().replace("_", "-"))
    return (
        f"not UTF-8: looks like {pretty}; re-save as UTF-8 or declare "
        f'"encoding" in the sidecar (invalid UTF-8 at byte {error.start})'
    )


def _sidecar_name(text_path: str) -> str:
    return str(PurePosixPath(text_path).with_suffix("")) + SIDECAR_SUFFIX


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    if "n_chars" in frame:
        frame["n_chars"] = frame["n_chars"].astype("int32")
    return frame.reset_index(drop=True)
