"""Load the versioned vocabularies in flows/vocab: gazetteer, topic and claim rules (I/O edge)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

from flows.errors import InputError
from flows.paths import VOCAB_DIR
from flows.schemas import ENTITY_TYPES
from flows.transforms.claim_rules import ClaimRules, compile_claim_rules

ENTITIES_FILE = "entities.csv"
TOPICS_FILE = "topics.csv"
CLAIM_RULES_FILE = "claim_rules.json"
ENTITY_COLUMNS = (
    "entity_id",
    "entity_type",
    "canonical_name",
    "alias",
    "is_short_form",
    "is_case_sensitive",
    "context_entity_id",
    "ticker",
    "exchange",
)
TOPIC_COLUMNS = ("topic", "kind", "value")
TOPIC_KINDS = ("keyword", "pattern", "entity_id", "entity_type", "entities_all")
_BOOLEANS = {"true": True, "false": False}


def load_gazetteer(vocab_dir: Path = VOCAB_DIR) -> pd.DataFrame:
    """One row per alias (columns ENTITY_COLUMNS); a fresh copy of a cached, checked read."""
    return _read_gazetteer(Path(vocab_dir)).copy()


def load_topic_rules(vocab_dir: Path = VOCAB_DIR) -> pd.DataFrame:
    """One row per topic rule (columns TOPIC_COLUMNS); a fresh copy of a cached read."""
    return _read_topic_rules(Path(vocab_dir)).copy()


@cache
def load_claim_rules(vocab_dir: Path = VOCAB_DIR) -> ClaimRules:
    """The claim rules (claim_rules.json), compiled once per process."""
    return compile_claim_rules(read_claim_rules(vocab_dir))


@cache
def read_claim_rules(vocab_dir: Path = VOCAB_DIR) -> dict:
    """claim_rules.json as parsed JSON: keyword lists for metrics, directions and dates."""
    return json.loads((Path(vocab_dir) / CLAIM_RULES_FILE).read_text(encoding="utf-8"))


def gazetteer_version(vocab_dir: Path = VOCAB_DIR) -> str:
    """The gazetteer's version, from entities.meta.json, for the release manifest."""
    return _version(Path(vocab_dir) / ENTITIES_FILE)


def topic_rules_version(vocab_dir: Path = VOCAB_DIR) -> str:
    """The topic rules' version, from topics.meta.json, for the release manifest."""
    return _version(Path(vocab_dir) / TOPICS_FILE)


@cache
def _read_gazetteer(vocab_dir: Path) -> pd.DataFrame:
    path = vocab_dir / ENTITIES_FILE
    frame = _read_csv(path, ENTITY_COLUMNS)
    for column in ("is_short_form", "is_case_sensitive"):
        unknown = sorted(set(frame[column]) - set(_BOOLEANS))
        if unknown:
            raise InputError(f"{path}: {column} must be true or false, got {unknown}")
        frame[column] = frame[column].map(_BOOLEANS).astype(bool)
    bad_types = sorted(set(frame["entity_type"]) - set(ENTITY_TYPES))
    if bad_types:
        raise InputError(f"{path}: unknown entity_type {bad_types}; allowed: {ENTITY_TYPES}")
    duplicated = frame[frame.duplicated(["alias", "is_case_sensitive"], keep=False)]
    if len(duplicated):
        raise InputError(f"{path}: aliases listed twice: {sorted(set(duplicated['alias']))}")
    known = set(frame["entity_id"])
    unknown_context = sorted(set(frame["context_entity_id"]) - known - {""})
    if unknown_context:
        raise InputError(f"{path}: context_entity_id not in the gazetteer: {unknown_context}")
    return frame


@cache
def _read_topic_rules(vocab_dir: Path) -> pd.DataFrame:
    path = vocab_dir / TOPICS_FILE
    frame = _read_csv(path, TOPIC_COLUMNS)
    bad_kinds = sorted(set(frame["kind"]) - set(TOPIC_KINDS))
    if bad_kinds:
        raise InputError(f"{path}: unknown rule kind {bad_kinds}; allowed: {TOPIC_KINDS}")
    return frame


def _read_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing columns {missing}")
    empty = frame[(frame[list(columns[:3])] == "").any(axis=1)]
    if len(empty):
        raise InputError(f"{path}: rows {list(empty.index + 2)} leave a required column empty")
    return frame[list(columns)]


@cache
def _version(data_file: Path) -> str:
    meta = data_file.with_suffix(".meta.json")
    try:
        return str(json.loads(meta.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read a version from {meta}: {exc!r}") from exc
