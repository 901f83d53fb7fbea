"""Release table files: row groups bounded in rows and bytes, whatever the pieces were."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows import release, schemas

SPEC = schemas.TABLES["documents"]


def _documents(count: int, text_length: int, first: int = 0) -> pd.DataFrame:
    ids = [f"doc/{index:05d}" for index in range(first, first + count)]
    return pd.DataFrame(
        {
            "doc_id": ids,
            "path": [f"{doc_id}.txt" for doc_id in ids],
            "published": pd.Series([pd.Timestamp("2025-01-28").date()] * count, dtype=object),
            "language": "zh",
            "source": "test",
            "encoding": "utf-8",
            "sha256": "0" * 64,
            "n_chars": text_length,
            "text": ["字" * text_length] * count,
        }
    )[SPEC.schema.names]


def _pieces(tmp_path, frames: list[pd.DataFrame]) -> list:
    paths = []
    for index, frame in enumerate(frames):
        path = tmp_path / f"piece-{index}.parquet"
        pq.write_table(release.to_arrow(frame, SPEC), path)
        paths.append(path)
    return paths


@pytest.fixture
def small_groups(monkeypatch):
    monkeypatch.setattr(release, "ROW_GROUP_ROWS", 10)
    monkeypatch.setattr(release, "ROW_GROUP_BYTES", 4_000)
    monkeypatch.setattr(release, "BUFFER_BYTES", 20_000)


def test_pieces_give_whole_groups_and_every_row_in_order(tmp_path, small_groups):
    frames = [_documents(count, 10, first) for count, first in [(3, 0), (25, 3), (4, 28), (9, 32)]]
    out = tmp_path / "out"
    out.mkdir()
    release.write_table_from_files(_pieces(tmp_path, frames), SPEC, out)
    metadata = pq.read_metadata(out / "documents.parquet")
    sizes = [metadata.row_group(index).num_rows for index in range(metadata.num_row_groups)]
    assert sum(sizes) == 41 and max(sizes) == 10
    assert sizes[:-1] == [10] * (len(sizes) - 1)  # the remainder carries on to the next flush
    ids = pq.read_table(out / "documents.parquet")["doc_id"].to_pylist()
    assert ids == [f"doc/{index:05d}" for index in range(41)]


def test_large_rows_make_groups_of_fewer_rows(tmp_path, small_groups):
    out = tmp_path / "out"
    out.mkdir()
    release.write_table(_documents(12, 500), SPEC, out)  # ~1.5 kB per row (UTF-8)
    metadata = pq.read_metadata(out / "documents.parquet")
    sizes = [metadata.row_group(index).num_rows for index in range(metadata.num_row_groups)]
    assert sum(sizes) == 12 and max(sizes) < 10
    table = release.to_arrow(_documents(12, 500), SPEC)
    assert max(sizes) * table.nbytes / table.num_rows <= release.ROW_GROUP_BYTES


@pytest.mark.parametrize("count", [0, 7, 23])
def test_one_piece_gives_the_bytes_write_table_writes(tmp_path, small_groups, count):
    frame = _documents(count, 10)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    release.write_table(frame, SPEC, tmp_path / "a")
    release.write_table_from_files(_pieces(tmp_path, [frame]), SPEC, tmp_path / "b")
    first, second = (tmp_path / name / "documents.parquet" for name in "ab")
    assert first.read_bytes() == second.read_bytes()
    assert pa.Table.equals(pq.read_table(first), release.to_arrow(frame, SPEC))
