"""Vendor /work/shared/reference (market_daily.csv, facts.json) into a reference snapshot.

Run once from the repo root:
    .venv/bin/python data/reference/vendor_snapshot.py /work/shared/reference 2025.01.31-1
Each fact of facts.json maps to (subject_id, metric, scale to base units, unit); its `value`
becomes the primary row (variant 0) and each of its `variants` one more row with its basis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from flows.reference import FACT_COLUMNS, write_snapshot  # noqa: E402

BILLION = 1e9
# original id → (subject_id, metric, scale, unit, primary basis, note)
MAPPING: dict[str, tuple[str, str, float, str, str, str]] = {
    "nvda_mcap_loss_2025-01-27": ("NVDA", "market_cap_change", -BILLION, "USD", "reported", ""),
    "nvda_mcap_gain_2025-01-28": ("NVDA", "market_cap_change", BILLION, "USD", "reported", ""),
    "nvda_shares_outstanding": ("NVDA", "shares_outstanding", BILLION, "shares", "reported", ""),
    "nvda_mcap_before_2025-01-27": ("NVDA", "market_cap", BILLION, "USD", "reported", ""),
    "nvda_mcap_after_2025-01-27": ("NVDA", "market_cap", BILLION, "USD", "reported", ""),
    "huang_networth_change_2025-01-27": (
        "jensen-huang",
        "net_worth_change",
        BILLION,
        "USD",
        "reported",
        "",
    ),
    "huang_networth_after_2025-01-27": (
        "jensen-huang",
        "net_worth",
        BILLION,
        "USD",
        "reported",
        "",
    ),
    "huang_networth_before_2025-01-27": (
        "jensen-huang",
        "net_worth",
        BILLION,
        "USD",
        "real-time",
        "",
    ),
    "ellison_networth_change_2025-01-27": (
        "larry-ellison",
        "net_worth_change",
        BILLION,
        "USD",
        "reported",
        "",
    ),
    "nvda_close_2025-01-28": ("NVDA", "close", 1.0, "USD", "reported", ""),
    "nvda_close_2025-01-27": ("NVDA", "close", 1.0, "USD", "reported", ""),
    "nvda_close_2025-01-24": ("NVDA", "close", 1.0, "USD", "reported", ""),
    "ixic_close_2025-01-27": ("^IXIC", "close", 1.0, "points", "reported", ""),
    "o1_price_input": ("openai-o1", "api_input_price", 1.0, "USD per 1M tokens", "reported", ""),
    "o1_price_cached_input": (
        "openai-o1",
        "api_cached_input_price",
        1.0,
        "USD per 1M tokens",
        "reported",
        "",
    ),
    "o1_price_output": ("openai-o1", "api_output_price", 1.0, "USD per 1M tokens", "reported", ""),
    "r1_price_input_cache_hit": (
        "deepseek-r1",
        "api_cached_input_price",
        1.0,
        "USD per 1M tokens",
        "reported",
        "",
    ),
    "r1_price_input_cache_miss": (
        "deepseek-r1",
        "api_input_price",
        1.0,
        "USD per 1M tokens",
        "reported",
        "",
    ),
    "r1_price_output": (
        "deepseek-r1",
        "api_output_price",
        1.0,
        "USD per 1M tokens",
        "reported",
        "",
    ),
    "v3_gpu_hours_total": (
        "deepseek",
        "gpu_hours",
        1e6,
        "GPU hours",
        "reported",
        "product: deepseek-v3 training",
    ),
    "v3_gpu_hours_pretrain": (
        "deepseek",
        "pretraining_gpu_hours",
        1e3,
        "GPU hours",
        "reported",
        "product: deepseek-v3 pre-training",
    ),
    "v3_training_cost_usd": (
        "deepseek",
        "cost",
        1e6,
        "USD",
        "reported",
        "product: deepseek-v3 training",
    ),
    "v3_rental_price_assumption": (
        "deepseek",
        "gpu_rental_price",
        1.0,
        "USD per GPU hour",
        "reported",
        "product: deepseek-v3 training",
    ),
    "v3_cluster_gpus": (
        "deepseek",
        "count",
        1.0,
        "count",
        "reported",
        "product: deepseek-v3 training; H800 GPUs",
    ),
    "v3_pretrain_duration": (
        "deepseek",
        "duration",
        1.0,
        "month",
        "reported",
        "product: deepseek-v3 pre-training",
    ),
    "v3_pretrain_tokens": (
        "deepseek",
        "training_tokens",
        1e12,
        "tokens",
        "reported",
        "product: deepseek-v3",
    ),
    "deepseek_founded": ("deepseek", "founded", 1.0, "date", "reported", ""),
    "hgp_cost": ("human-genome-project", "cost", BILLION, "USD", "reported", ""),
    "hgp_duration": ("human-genome-project", "duration", 1.0, "year", "reported", ""),
    "hgp_start_year": ("human-genome-project", "start_year", 1.0, "year", "reported", ""),
    "hgp_end_year": ("human-genome-project", "completion_year", 1.0, "year", "reported", ""),
    "genome_1000usd_year": (
        "whole-genome-sequencing",
        "thousand_usd_genome_year",
        1.0,
        "year",
        "reported",
        "",
    ),
    "sputnik_launch": ("sputnik-1", "year", 1.0, "year", "reported", "launch date 1957-10-04"),
}
# R1 vs o1 price ratios: one fact, one row per comparison (they disagree); ratio → percent.
RATIO_FACT_ID = "ratio_r1_vs_o1_price"
RATIO_PARTS = (
    "ratio_r1_miss_vs_o1_input",
    "ratio_r1_hit_vs_o1_input",
    "ratio_r1_hit_vs_o1_cached",
    "ratio_r1_output_vs_o1_output",
)
TEXT_NUMBERS = {"<2 months": 2.0, "~2 months": 2.0, "two months": 2.0}


def main(shared_dir: Path, version: str) -> None:
    facts_json = json.loads((shared_dir / "facts.json").read_text(encoding="utf-8"))
    bars = pd.read_csv(shared_dir / "market_daily.csv", dtype={"volume": "Int64"})
    rows = [row for fact in facts_json for row in _fact_rows(fact)]
    facts = pd.DataFrame(rows, columns=list(FACT_COLUMNS))
    here = Path(__file__).resolve().parent
    provenance = {
        "market_daily.csv": {
            "from": "shared/reference/market_daily.csv",
            "from_sha256": _sha256(shared_dir / "market_daily.csv"),
            "original_sources": sorted(set(bars["source"])),
        },
        "facts.jsonl": {
            "from": "shared/reference/facts.json",
            "from_sha256": _sha256(shared_dir / "facts.json"),
            "converted_by": "data/reference/vendor_snapshot.py",
            "original_sources": sorted({s for fact in facts_json for s in _sources(fact)}),
        },
    }
    sources_md = (here / "SOURCES.md").read_text(encoding="utf-8")
    created = dt.datetime(2025, 1, 31, tzinfo=dt.UTC)  # fixed: the data's as-of, not today
    snapshot = write_snapshot(here, version, bars, facts, provenance, created, sources_md)
    print(f"{snapshot.version} {snapshot.content_hash} ({len(bars)} bars, {len(facts)} facts)")


def _fact_rows(fact: dict) -> list[dict]:
    fact_id = fact["id"]
    if fact_id in RATIO_PARTS:
        return [_ratio_row(fact)]
    if fact_id.startswith(("pct_change_", "point_change_")):
        subject, metric, scale, unit, basis, note = _market_mapping(fact)
    else:
        subject, metric, scale, unit, basis, note = MAPPING[fact_id]
    notes = "; ".join(part for part in (note, fact.get("note", "")) if part)
    primary = _row(fact_id, 0, subject, metric, fact, fact["value"], scale, unit, basis)
    primary["source"] = " | ".join(fact["sources"])
    primary["note"] = f"{fact['metric']}" + (f"; {notes}" if notes else "")
    rows = [primary]
    for index, variant in enumerate(fact["variants"], start=1):
        row = _row(fact_id, index, subject, metric, fact, variant["value"], scale, unit, "")
        row.update(basis=variant["basis"], source=variant["source"], note=note or None)
        rows.append(row)
    return rows


def _market_mapping(fact: dict) -> tuple[str, str, float, str, str, str]:
    if fact["id"].startswith("pct_change_"):
        return fact["subject"], "pct_change", 1.0, "percent", "reported", ""
    return fact["subject"], "points_change", 1.0, "points", "reported", ""


def _row(fact_id, variant, subject, metric, fact, raw, scale, unit, basis) -> dict:
    value, value_text = _value(raw, scale)
    if metric == "year" and value is None:  # a dated event: its year is the value
        value = float(str(raw)[:4])
    return {
        "fact_id": fact_id,
        "variant": variant,
        "is_primary": variant == 0,
        "subject_id": subject,
        "metric": metric,
        "as_of": fact["as_of"],
        "value": value,
        "value_text": value_text,
        "unit": unit,
        "basis": basis,
        "source": "",
        "note": None,
    }


def _ratio_row(fact: dict) -> dict:
    variant = RATIO_PARTS.index(fact["id"])
    return {
        "fact_id": RATIO_FACT_ID,
        "variant": variant,
        "is_primary": variant == 0,
        "subject_id": "deepseek-r1",
        "metric": "price_ratio",
        "as_of": fact["as_of"],
        "value": round(fact["value"] * 100, 6),
        "value_text": None,
        "unit": "percent",
        "basis": "reported",
        "source": " | ".join(fact["sources"]),
        "note": f"{fact['id']}: {fact['metric']} (vs openai-o1); {fact['note']}",
    }


def _value(raw, scale: float) -> tuple[float | None, str | None]:
    if isinstance(raw, int | float):
        return round(raw * scale, 6), None
    if raw in TEXT_NUMBERS:
        return TEXT_NUMBERS[raw] * scale, raw
    return None, str(raw)  # a date such as "2023-07"


def _sources(fact: dict) -> list[str]:
    return list(fact["sources"]) + [variant["source"] for variant in fact["variants"]]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
