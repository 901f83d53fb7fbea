"""A release's dataset card (README.md) and Frictionless datapackage.json, built from its data."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import yaml

from flows import release, schemas
from flows.datapackage import column_descriptions, write_datapackage
from flows.release_files import describe_extra_files

__all__ = ["describe_extra_files", "write_card_files", "write_dataset_card", "write_datapackage"]

CARD_FILE = "README.md"
PRETTY_NAME = "Market claims: checkable figures in Chinese market commentary"
TAGS = ["finance", "stock-market", "fact-checking", "claims", "chinese"]
VALIDATION_DOCS = "validation/index.html"


def write_card_files(release_dir: Path) -> dict[str, dict]:
    """Write README.md and datapackage.json, then record every extra file in the manifest."""
    write_dataset_card(release_dir)
    write_datapackage(release_dir)
    manifest = release.read_manifest(release_dir)
    manifest["files"] = describe_extra_files(release_dir)
    release.write_json(Path(release_dir) / "manifest.json", manifest)
    return manifest["files"]


def write_dataset_card(release_dir: Path) -> Path:
    """Write `<release>/README.md`: Hugging Face YAML header, then what the data is and holds."""
    release_dir = Path(release_dir)
    manifest = release.read_manifest(release_dir)
    names = [name for name in schemas.TABLES if name in manifest["tables"]]
    header = {
        "pretty_name": PRETTY_NAME,
        "license": "other",
        "license_name": "mixed-sources",
        "language": ["zh"],
        "tags": TAGS,
        "configs": [{"config_name": name, "data_files": f"{name}.parquet"} for name in names],
    }
    front = yaml.safe_dump(header, sort_keys=False, allow_unicode=True)
    sections = [
        _summary(manifest),
        _verdicts(release_dir, names),
        _tables(manifest, names),
        _sources(release_dir, manifest, names),
        _build_and_validation(manifest, release_dir),
        _loading(manifest["version"]),
        _files(manifest, names),
    ]
    path = release_dir / CARD_FILE
    release.write_text_atomic(path, f"---\n{front}---\n\n" + "\n".join(sections))
    return path


def _summary(manifest: dict) -> str:
    code = manifest.get("code_version", {})
    return (
        f"# {PRETTY_NAME}\n\nRelease `{manifest['version']}`: quantitative claims found in raw "
        "Chinese market commentary, each checked against reference market data and given a "
        "verdict, with the documents, sentences, entity mentions and numbers they come from.\n\n"
        + _table(
            ["field", "value"],
            [
                ["version", manifest["version"]],
                ["schema version", manifest.get("schema_version", "")],
                ["created at", manifest.get("created_at", "")],
                ["content hash", f"`{manifest.get('content_hash', '')}`"],
                ["code", f"{code.get('package', '')} (git {code.get('git_commit') or 'unknown'})"],
            ],
        )
    )


def _verdicts(release_dir: Path, names: list[str]) -> str:
    if "claims" not in names:
        return "## Verdicts\n\nThis release has no claims table.\n"
    claims = pq.read_table(release_dir / "claims.parquet", columns=["metric", "verdict"])
    pairs = list(zip(*(claims.column(c).to_pylist() for c in ("metric", "verdict")), strict=True))
    verdicts = list(schemas.VERDICTS) + sorted({v for _, v in pairs} - set(schemas.VERDICTS))
    totals = [[v, sum(1 for _, seen in pairs if seen == v)] for v in verdicts]
    by_metric = [
        [metric, *(sum(1 for pair in pairs if pair == (metric, v)) for v in verdicts)]
        for metric in sorted({m for m, _ in pairs})
    ]
    bounds = _bound_claims(release_dir / "claims.parquet")
    return (
        f"## Verdicts\n\n{len(pairs)} claims.{bounds}\n\n"
        f"{_table(['verdict', 'claims'], totals)}\n"
        f"By metric:\n\n{_table(['metric', *verdicts], by_metric)}"
    )


def _bound_claims(path: Path) -> str:
    """ " N state a bound or a range (lower/upper), the others a point.", or "" without any."""
    if not {"lower", "upper"} <= set(pq.read_schema(path).names):
        return ""
    table = pq.read_table(path, columns=["lower", "upper"])
    lower, upper = (table.column(name).to_pylist() for name in ("lower", "upper"))
    count = sum(1 for low, high in zip(lower, upper, strict=True) if (low, high) != (None, None))
    if not count:
        return ""
    return f" {count} state a bound or a range (`lower`/`upper`), the others a point."


def _tables(manifest: dict, names: list[str]) -> str:
    descriptions = column_descriptions()
    overview = [
        [
            f"`{name}`",
            manifest["tables"][name]["rows"],
            ", ".join(schemas.TABLES[name].primary_key),
            _table_description(name),
        ]
        for name in names
    ]
    parts = ["## Tables\n", _table(["table", "rows", "primary key", "description"], overview)]
    for name in names:
        rows = [
            [f"`{f.name}`", str(f.type), "yes" if f.nullable else "no", descriptions[name, f.name]]
            for f in schemas.TABLES[name].schema
        ]
        parts.append(f"### {name}\n\n{_table_description(name)}\n")
        parts.append(_table(["column", "type", "nullable", "description"], rows))
    return "\n".join(parts)


def _sources(release_dir: Path, manifest: dict, names: list[str]) -> str:
    inputs = [
        [f"`{item['path']}`", item.get("bytes", ""), f"`{item.get('sha256', '')[:16]}…`"]
        for item in manifest.get("inputs", [])
    ]
    parts = [
        "## Sources and licences\n",
        "The annotations this project adds (segments, mentions, numbers, claims, verdicts and "
        "reasons) are released under CC BY 4.0; the code that builds them is MIT.\n",
        "Raw texts (copyright stays with their authors; excerpts are quoted for fact-checking):\n",
    ]
    parts.append(_table(["input", "bytes", "sha256"], inputs))
    if "documents" in names:
        documents = pq.read_table(release_dir / "documents.parquet").select(
            ["doc_id", "published", "source"]
        )
        rows = [
            [r["doc_id"], r["published"] or "", r["source"] or ""] for r in documents.to_pylist()
        ]
        parts.append(_table(["document", "published", "source"], sorted(rows)))
    reference = manifest.get("reference") or {}
    parts.append("Reference data (used under its providers' terms):\n")
    parts.append(_yaml_block(reference) if reference else "No reference block in the manifest.\n")
    if "market_daily" in names:
        parts.append("Daily bars by source:\n")
        parts.append(
            _table(["source", "rows", "symbols", "first", "last"], _bar_sources(release_dir))
        )
    return "\n".join(parts)


def _build_and_validation(manifest: dict, release_dir: Path) -> str:
    validation = manifest.get("validation")
    text = (
        "## How it was built and validated\n\nRaw texts are ingested (encoding detected, sidecar "
        "metadata read), split into sentences, labelled with entity mentions and topics, their "
        "numbers normalized, quantitative claims extracted and joined to reference market data "
        "for a verdict. Every table is checked by a Great Expectations suite before anything "
        "is published; the release is staged, validated, then renamed into place atomically.\n\n"
        f"Validation report: [{VALIDATION_DOCS}]({VALIDATION_DOCS}).\n"
    )
    if validation:
        text += "\nValidation summary from the manifest:\n\n" + _yaml_block(validation)
    return text


def _loading(version: str) -> str:
    return (
        "## How to load\n\n```python\nimport pandas as pd\n"
        f'claims = pd.read_parquet("data/processed/{version}/claims.parquet")\n```\n\n'
        "```python\nimport duckdb\n"
        f"duckdb.sql(\"select verdict, count(*) from 'data/processed/{version}/claims.parquet' "
        'group by 1").show()\n```\n\n'
        "```python\nfrom flows.release import load_table\n"
        f'claims = load_table("claims", "data/processed", version="{version}")\n```\n'
    )


def _files(manifest: dict, names: list[str]) -> str:
    rows = [
        [
            f"`{manifest['tables'][n]['file']}`",
            manifest["tables"][n]["bytes"],
            f"`{manifest['tables'][n]['sha256']}`",
        ]
        for n in names
    ]
    return "## Files\n\n" + _table(["file", "bytes", "sha256"], rows)


def _bar_sources(release_dir: Path) -> list[list]:
    bars = pq.read_table(release_dir / "market_daily.parquet", columns=["source", "symbol", "date"])
    grouped = bars.group_by("source").aggregate(
        [("symbol", "count"), ("symbol", "count_distinct"), ("date", "min"), ("date", "max")]
    )
    rows = grouped.sort_by("source").to_pylist()
    return [
        [r["source"], r["symbol_count"], r["symbol_count_distinct"], r["date_min"], r["date_max"]]
        for r in rows
    ]


def _table_description(name: str) -> str:
    metadata = schemas.TABLES[name].schema.metadata or {}
    return metadata.get(b"description", b"").decode()


def _table(header: list[str], rows: list[list]) -> str:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _yaml_block(payload: object) -> str:
    dumped = yaml.safe_dump(json.loads(json.dumps(payload)), sort_keys=True, allow_unicode=True)
    return f"```yaml\n{dumped}```\n"
