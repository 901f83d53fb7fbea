"""Ingest: encodings, sidecars and rejects, on small inline files; the raw-dir reader."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json

import pandas as pd
import pytest

from flows.errors import InputError
from flows.schemas import DOCUMENTS, REJECTS
from flows.sources import read_raw_files
from flows.transforms.ingest import (
    UTF8_BOM,
    RawFile,
    guess_language,
    ingest_raw_files,
)

TEXT = "英伟达周一下跌，纳斯达克指数也跌了。\n市场担心AI芯片需求。\n"
SIDECAR = json.dumps({"published": "2025-01-28", "language": "zh", "source": "a blog"}).encode()
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def ingest_one(data: bytes, sidecar: bytes | None = SIDECAR, path: str = "a.txt"):
    documents, rejects = ingest_raw_files([RawFile(path, data, sidecar)])
    assert len(documents) + len(rejects) == 1
    return documents, rejects


def reason_of(data: bytes, sidecar: bytes | None = SIDECAR, path: str = "a.txt") -> str:
    documents, rejects = ingest_one(data, sidecar, path)
    assert documents.empty, f"expected a reject, got {documents.to_dict('records')}"
    assert rejects.loc[0, "stage"] == "ingest"
    assert rejects.loc[0, "sha256"] == hashlib.sha256(data).hexdigest()
    return rejects.loc[0, "reason"]


def test_utf8_file_with_sidecar_becomes_a_document_with_its_metadata():
    documents, rejects = ingest_one(TEXT.encode())
    assert list(documents.columns) == DOCUMENTS.names
    assert list(rejects.columns) == REJECTS.names
    row = documents.iloc[0]
    assert row["doc_id"] == "a"
    assert row["published"] == dt.date(2025, 1, 28)
    assert (row["language"], row["source"], row["encoding"]) == ("zh", "a blog", "utf-8")
    assert row["text"] == TEXT
    assert row["n_chars"] == len(TEXT)
    assert row["sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()


def test_doc_id_keeps_subdirectories_and_drops_only_the_suffix():
    documents, _ = ingest_one(TEXT.encode(), path="2025/01/post.v2.txt")
    assert documents.loc[0, "doc_id"] == "2025/01/post.v2"


def test_bom_is_stripped_and_crlf_becomes_lf():
    documents, _ = ingest_one(b"\xef\xbb\xbf" + "第一行\r\n第二行\r第三行".encode())
    assert documents.loc[0, "text"] == "第一行\n第二行\n第三行"
    assert documents.loc[0, "encoding"] == "utf-8-sig"


def test_gbk_bytes_are_rejected_naming_the_detected_encoding():
    reason = reason_of((TEXT * 3).encode("gbk"))
    assert "not UTF-8" in reason and "GB18030/GBK" in reason and '"encoding"' in reason


def test_gbk_bytes_are_decoded_when_the_sidecar_declares_gbk():
    sidecar = json.dumps({"published": "2025-01-28", "encoding": "gbk"}).encode()
    documents, rejects = ingest_one(TEXT.encode("gbk"), sidecar)
    assert rejects.empty
    assert documents.loc[0, "text"] == TEXT
    assert documents.loc[0, "encoding"] == "gbk"


def test_declared_encoding_is_decoded_strictly():
    sidecar = json.dumps({"encoding": "ascii"}).encode()
    assert "declared encoding 'ascii'" in reason_of(TEXT.encode(), sidecar)
    assert "unknown encoding" in reason_of(b"abc", json.dumps({"encoding": "klingon"}).encode())


def test_utf16_without_a_bom_is_rejected_as_utf16_not_as_binary():
    assert "looks like UTF-16" in reason_of((TEXT * 3).encode("utf-16-le"))


@pytest.mark.parametrize(
    ("bom", "codec", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    ],
)
def test_a_byte_order_mark_makes_utf16_and_utf32_certain(bom, codec, encoding):
    text = "港股周一收涨，恒指涨1.2%。\r\n腾讯跌0.5%。𠮷\r\n"
    documents, rejects = ingest_one(bom + text.encode(codec))
    assert rejects.empty
    row = documents.iloc[0]
    assert row["text"] == "港股周一收涨，恒指涨1.2%。\n腾讯跌0.5%。𠮷\n"  # no BOM, LF line ends
    assert row["encoding"] == encoding and row["n_chars"] == len(row["text"])
    assert row["text"].index("腾讯") == text.replace("\r\n", "\n").index("腾讯")


def test_a_utf16_bom_with_broken_bytes_or_nul_characters_is_rejected():
    odd = codecs.BOM_UTF16_LE + "恒指涨了".encode("utf-16-le") + b"\x41"
    assert "does not decode as UTF-16" in reason_of(odd)
    lone_surrogate = codecs.BOM_UTF16_LE + "恒指".encode("utf-16-le") + b"\x00\xd8"
    assert "does not decode as UTF-16" in reason_of(lone_surrogate)
    nul = codecs.BOM_UTF16_BE + "恒指\x00涨了".encode("utf-16-be")
    assert reason_of(nul).startswith("binary file") and "NUL" in reason_of(nul)
    assert "empty file" in reason_of(codecs.BOM_UTF16_LE + " \r\n".encode("utf-16-le"))


def test_a_utf8_bom_with_crlf_keeps_offsets_into_the_stored_text():
    documents, _ = ingest_one(UTF8_BOM + "英伟达跌17%。\r\n\r\n苹果涨3%。".encode())
    text = documents.loc[0, "text"]
    assert text == "英伟达跌17%。\n\n苹果涨3%。" and documents.loc[0, "n_chars"] == len(text)


def test_binary_png_header_is_rejected_as_binary():
    assert reason_of(PNG_HEADER, path="a.txt").startswith("binary file")


def test_nul_bytes_in_valid_utf8_are_binary():
    assert "NUL" in reason_of(b"abc\x00def")


def test_invalid_utf8_byte_in_utf8_text_is_rejected_with_its_offset():
    data = ("今天英伟达下跌" * 20).encode() + b"\xff" + "结束".encode()
    reason = reason_of(data)
    assert "UTF-8" in reason and str(len(("今天英伟达下跌" * 20).encode())) in reason


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\u3000\n".encode()])
def test_empty_or_blank_files_are_rejected(data):
    assert "empty file" in reason_of(data)


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        (b"{not json", "not valid UTF-8 JSON"),
        (b"[1, 2]", "must be a JSON object, got list"),
        (b'"2025-01-28"', "must be a JSON object, got str"),
        (b'{"published": "28/01/2025"}', "ISO date"),
        (b'{"published": "2025-02-30"}', "ISO date"),
        (b'{"published": 20250128}', "'published' must be a str"),
        (b'{"language": ["zh"]}', "'language' must be a str"),
        (b'{"source": 3}', "'source' must be a str"),
    ],
)
def test_bad_sidecars_reject_the_file(sidecar, expected):
    assert expected in reason_of(TEXT.encode(), sidecar)


def test_sidecar_may_carry_extra_provenance_fields():
    sidecar = json.dumps({"published": "2025-01-28", "licence": "cc-by", "url": "x"}).encode()
    documents, rejects = ingest_one(TEXT.encode(), sidecar)
    assert rejects.empty and len(documents) == 1


def test_file_without_sidecar_is_accepted_with_nulls_and_a_language_guess():
    files = [RawFile("x.txt", TEXT.encode(), None), RawFile("y.txt", b"Hello world.", None)]
    files.append(RawFile("z.txt", TEXT.encode(), SIDECAR))
    documents, rejects = ingest_raw_files(files)
    assert rejects.empty
    x = documents.set_index("doc_id").loc["x"]
    assert pd.isna(x["published"]) and pd.isna(x["source"])
    assert x["language"] == "zh"
    assert documents.set_index("doc_id").loc["y", "language"] == "en"


def test_language_guess():
    assert guess_language("英伟达 NVDA 下跌了百分之十七") == "zh"
    assert guess_language("Nvidia fell 17% on Monday, 周一") == "en"
    assert guess_language("123 456 !!") is None


def test_unsupported_types_and_orphan_sidecars_are_rejects_not_drops():
    files = [
        RawFile("report.pdf", b"%PDF-1.4", None),
        RawFile("blob.bin", b"\x00\x01", None),
        RawFile("lonely.meta.json", SIDECAR, None),
        RawFile("ok.txt", TEXT.encode(), None),
    ]
    documents, rejects = ingest_raw_files(files)
    assert documents["doc_id"].tolist() == ["ok"]
    reasons = dict(zip(rejects["path"], rejects["reason"], strict=True))
    assert list(reasons) == ["blob.bin", "lonely.meta.json", "report.pdf"]  # sorted by path
    assert "unsupported file type .pdf" in reasons["report.pdf"]
    assert (
        "orphan sidecar" in reasons["lonely.meta.json"]
        and "lonely.txt" in reasons["lonely.meta.json"]
    )


def test_read_raw_files_pairs_sidecars_and_keeps_everything_else(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_bytes(TEXT.encode())
    (tmp_path / "a.meta.json").write_bytes(SIDECAR)
    (tmp_path / "sub" / "b.txt").write_bytes(b"plain")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    (tmp_path / "orphan.meta.json").write_bytes(SIDECAR)
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_bytes(b"hidden")
    files = read_raw_files(tmp_path)
    assert [f.path for f in files] == ["a.txt", "c.pdf", "orphan.meta.json", "sub/b.txt"]
    assert files[0].sidecar == SIDECAR and files[3].sidecar is None
    documents, rejects = ingest_raw_files(files)
    assert documents["doc_id"].tolist() == ["a", "sub/b"]
    assert rejects["path"].tolist() == ["c.pdf", "orphan.meta.json"]


def test_read_raw_files_raises_for_missing_or_empty_dirs(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_raw_files(tmp_path / "nope")
    (tmp_path / ".hidden").write_bytes(b"x")
    with pytest.raises(InputError, match="no input files"):
        read_raw_files(tmp_path)


def test_no_files_gives_empty_tables_with_the_contract_columns():
    documents, rejects = ingest_raw_files([])
    assert list(documents.columns) == DOCUMENTS.names and documents.empty
    assert list(rejects.columns) == REJECTS.names and rejects.empty
